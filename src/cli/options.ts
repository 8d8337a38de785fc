import { InvalidArgumentError, Option } from 'commander';
import { formatDuration, parseDuration } from '../scenario/duration.js';
import { SIMULATION_LIMITS } from '../scenario/limits.js';

/** `--seed <n>`: a whole number from 0 to 2^32-1, checked before it reaches the PRNG. */
export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new InvalidArgumentError('expected a whole number from 0 to 4294967295.');
  }
  return Number(value);
}

/** `--until <duration>`: a Go-style duration such as 90s, 5m or 1m30s. */
export function parseUntil(value: string): number {
  const result = parseDuration(value);
  if (!result.ok) throw new InvalidArgumentError(/such as/.test(result.message) ? `${result.message}.` : `${result.message} (a duration such as 90s, 5m or 1m30s).`);
  if (result.ms < 0) throw new InvalidArgumentError(`"${value}" is negative; --until is a virtual time from the start of the scenario, such as 90s or 5m.`);
  if (result.ms > SIMULATION_LIMITS.durationMs) {
    throw new InvalidArgumentError(`"${value}" is more than a run can cover; the simulation runs at most ${formatDuration(SIMULATION_LIMITS.durationMs)} of virtual time.`);
  }
  return result.ms;
}

export const seedOption = (): Option => new Option('--seed <n>', 'replay with this seed instead of the scenario\'s').argParser(parseSeed);
export const untilOption = (): Option => new Option('--until <duration>', 'stop at this virtual time (e.g. 90s, 5m)').argParser(parseUntil);
export const formatOption = (): Option => new Option('--format <format>', 'transcript format').choices(['text', 'jsonl']).default('text');
