/**
 * The scenario loader's only contact with the file system (everything else in src/scenario is
 * pure). Reads bytes and refuses what is not UTF-8 text, so a binary file becomes a clear
 * problem instead of a YAML error on line 1 column 37.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** A file's text, or why it cannot be read as a scenario. Never throws. */
export function readScenarioFile(path: string): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
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
