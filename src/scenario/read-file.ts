/**
 * The scenario loader's only contact with the file system (everything else in src/scenario is
 * pure). Reads bytes and refuses what is not UTF-8 text, so a binary file becomes a clear
 * problem instead of a YAML error on line 1 column 37.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { MAX_SCENARIO_BYTES, tooLarge } from './limits.js';

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** What a path is, for the CLI: a file to read, a directory to list, nothing, or why it cannot be used. */
export type PathKind = { kind: 'file' | 'directory' | 'missing' } | { kind: 'unusable'; message: string };

/** Why a file-system call failed, in words (ENOENT, EACCES, ELOOP, ...). */
export function fsErrorMessage(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    case 'EISDIR':
      return 'this is a directory, not a scenario file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links (a symlink loop)';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return `cannot read the file (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/** Why a file that is not a regular file cannot be a scenario: reading a FIFO or a device could block forever. */
function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'this is a directory, not a scenario file';
  if (stats.isFIFO()) return 'this is a named pipe (FIFO), not a regular file; a scenario is read from a file';
  if (stats.isSocket()) return 'this is a socket, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'this is a device, not a regular file';
  return 'this is not a regular file';
}

/** Classifies a path without opening it (so a FIFO cannot block), naming symlink loops and permission problems. */
export function pathKind(path: string): PathKind {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      // A dangling symlink is "missing" too, but say so.
      try {
        if (lstatSync(path).isSymbolicLink()) return { kind: 'unusable', message: 'a symbolic link to a file that does not exist' };
      } catch {
        // Not there at all.
      }
      return { kind: 'missing' };
    }
    return { kind: 'unusable', message: fsErrorMessage(error) };
  }
  if (stats.isDirectory()) return { kind: 'directory' };
  const why = notRegular(stats);
  return why === undefined ? { kind: 'file' } : { kind: 'unusable', message: why };
}

/** A file's text, or why it cannot be read as a scenario. Never throws. */
export function readScenarioFile(path: string): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = readAtMost(path, MAX_SCENARIO_BYTES + 1);
    if (bytes.length > MAX_SCENARIO_BYTES) return { ok: false, message: tooLarge(bytes.length, true) };
  } catch (error) {
    return { ok: false, message: error instanceof NotRegularFile ? error.message : fsErrorMessage(error) };
  }
  if (bytes.includes(0)) return { ok: false, message: 'this is a binary file, not a YAML scenario' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: 'the file is not UTF-8 text' };
  }
}

class NotRegularFile extends Error {}

/**
 * Reads at most `limit` bytes, so a huge file cannot exhaust memory. Only regular files: a FIFO
 * or a device is refused before it is opened (opening a FIFO blocks until a writer comes), and
 * checked again on the descriptor, in case the path changed in between.
 */
function readAtMost(path: string, limit: number): Uint8Array {
  const before = notRegular(statSync(path));
  if (before !== undefined) throw new NotRegularFile(before);
  const fd = openSync(path, 'r');
  try {
    const after = notRegular(fstatSync(fd));
    if (after !== undefined) throw new NotRegularFile(after);
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
