/**
 * Go-style durations, as Kubernetes flags and `kubectl wait --timeout` take them (`90s`, `5m`,
 * `1m30s`, `1.5s`, `500ms`). The simulator counts virtual time in whole milliseconds, so a
 * duration is parsed once, at load, into an integer number of ms.
 */

/** Nanoseconds per unit, as in Go's time.ParseDuration (`us` and `µs` are both micro). */
const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const NS_PER_MS = 1_000_000n;
/** Go's time.Duration is an int64 of nanoseconds; anything longer cannot be written in Go either. */
const MAX_NS = (1n << 63n) - 1n;
const COMPONENT = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

const EXAMPLES = 'a duration such as 90s, 5m, 1m30s or 500ms';

/**
 * Parses a Go duration into whole milliseconds. Accepts an optional sign, like Go; callers that
 * need a non-negative time check the sign themselves. Never throws.
 */
export function parseDuration(text: string): DurationResult {
  if (typeof text !== 'string') return { ok: false, message: `expected ${EXAMPLES}` };
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, ms: 0 };
  if (rest === '') return { ok: false, message: `expected ${EXAMPLES}, got "${text}"` };
  let totalNs = 0n;
  while (rest !== '') {
    const match = COMPONENT.exec(rest);
    if (!match) return { ok: false, message: invalid(text) };
    const [whole, intDigits, fracDigits, unit] = match;
    if (intDigits === '' && (fracDigits === undefined || fracDigits === '')) {
      return { ok: false, message: invalid(text) };
    }
    const unitNs = UNIT_NS[unit];
    if (unitNs === undefined) {
      if (/^\d/.test(rest) && unit.length > 0) {
        return { ok: false, message: `unknown unit "${unit}" in "${text}"; use ns, us, ms, s, m or h` };
      }
      return { ok: false, message: invalid(text) };
    }
    totalNs += componentNs(intDigits, fracDigits ?? '', unitNs);
    if (totalNs > MAX_NS) return { ok: false, message: `duration "${text}" is too long` };
    rest = rest.slice(whole.length);
  }
  if (totalNs % NS_PER_MS !== 0n) {
    return { ok: false, message: `"${text}" is not a whole number of milliseconds; the simulator counts time in ms` };
  }
  const ms = Number(totalNs / NS_PER_MS);
  return { ok: true, ms: negative && ms !== 0 ? -ms : ms };
}

function invalid(text: string): string {
  if (/^\d+(\.\d+)?$/.test(text)) return `"${text}" has no unit; write ${text}s, ${text}m or ${text}ms`;
  return `expected ${EXAMPLES}, got "${text}"`;
}

/** Exact nanoseconds of one `<number><unit>` component; Go truncates sub-nanosecond fractions. */
function componentNs(intDigits: string, fracDigits: string, unitNs: bigint): bigint {
  const whole = intDigits === '' ? 0n : BigInt(intDigits);
  if (fracDigits === '') return whole * unitNs;
  const scale = 10n ** BigInt(fracDigits.length);
  return whole * unitNs + (BigInt(fracDigits) * unitNs) / scale;
}

/**
 * Writes ms the way a scenario author would (`0s`, `500ms`, `1.5s`, `1m30s`, `1h5m`), so the
 * output can be pasted back into a scenario: parseDuration(formatDuration(ms)) === ms.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const whole = Math.round(ms);
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const millis = whole % 60_000;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (minutes > 0) out += `${minutes}m`;
  if (millis > 0) out += `${formatSeconds(millis)}s`;
  return out;
}

function formatSeconds(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  const fraction = millis % 1000;
  if (fraction === 0) return String(seconds);
  return `${seconds}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
}
