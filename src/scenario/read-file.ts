/**
 * The scenario loader's only contact with the file system (everything else in src/scenario is
 * pure). Reads bytes and refuses what is not UTF-8 text, so a binary file becomes a clear
 * problem instead of a YAML error on line 1 column 37.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { MAX_SCENARIO_BYTES, tooLarge } from './limits.js';

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** A file's text, or why it cannot be read as a scenario. Never throws. */
export function readScenarioFile(path: string): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = readAtMost(path, MAX_SCENARIO_BYTES + 1);
    if (bytes.length > MAX_SCENARIO_BYTES) return { ok: false, message: tooLarge(bytes.length, true) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return { ok: false, message: 'no such file' };
    if (code === 'EISDIR') return { ok: false, message: 'this is a directory, not a scenario file' };
    if (code === 'EACCES') return { ok: false, message: 'permission denied' };
    return { ok: false, message: `cannot read the file (${code ?? String(error)})` };
  }
  if (bytes.includes(0)) return { ok: false, message: 'this is a binary file, not a YAML scenario' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: 'the file is not UTF-8 text' };
  }
}

/** Reads at most `limit` bytes, so /dev/zero or a huge file cannot exhaust memory; FIFOs work. */
function readAtMost(path: string, limit: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(limit);
    let length = 0;
    while (length < limit) {
      const n = readSync(fd, buffer, length, limit - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The `*.yaml` / `*.yml` files directly in a directory, sorted by name; [] when it cannot be read. */
export function listScenarioFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => `${dir.replace(/[\\/]+$/, '')}/${name}`);
  } catch {
    return [];
  }
}
