import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Time to the first frame of `kube-learn play first-node`, measured in a real pseudo-terminal
 * (`script -qfc`, so Ink takes its interactive path) against `node -e 0` measured in the same
 * run: once as shipped (bin/kube-learn.js, which loads the bundle `npm run build` writes to
 * dist/bundle) and once from the unbundled modules in dist/cli. Node itself is timed twice:
 * `node -e 0`, and `node -e` printing one line through the same pseudo-terminal wrapper
 * (`script`, a shell, `stty`), which costs some milliseconds before node starts; the ratios are
 * given against both. Nothing runs or prints on import; `npm run bench` calls measureFirstFrame().
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCENARIO = join(ROOT, 'scenarios', 'first-node.yaml');
/** Text that is only on screen once the intro has been drawn. */
const FIRST_FRAME_TEXT = 'Enter start';
const RUNS = 7;
const TIMEOUT_MS = 20_000;

/** Medians in milliseconds, and each first frame as a multiple of `node -e 0`. */
export interface FirstFrameResult {
  readonly runs: number;
  readonly 'node -e 0 (ms, median)': number;
  readonly 'node -e printing one line, in the same pseudo-terminal wrapper (ms, median)': number;
  readonly 'first frame as shipped, dist/bundle (ms, median)': number;
  readonly 'shipped ÷ node -e 0': number;
  readonly 'shipped ÷ node -e in the wrapper': number;
  readonly 'first frame unbundled, dist/cli (ms, median)': number;
  readonly 'unbundled ÷ node -e 0': number;
}

export async function measureFirstFrame(runs = RUNS): Promise<FirstFrameResult> {
  if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('`script` (util-linux) is needed to give the player a terminal');
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'entry.js'))) throw new Error('dist/bundle/entry.js is missing: run `npm run build`');
  const baseline: number[] = [];
  const wrapped: number[] = [];
  const shipped: number[] = [];
  const unbundled: number[] = [];
  // Interleaved, so a slow moment of the machine hurts every kind alike.
  for (let i = 0; i < runs; i++) {
    baseline.push(await timeNode());
    wrapped.push(await timeFirstFrame(`node -e ${quote(`process.stdout.write(${JSON.stringify(FIRST_FRAME_TEXT)})`)}`));
    shipped.push(await timeFirstFrame(`node ${quote(join(ROOT, 'bin', 'kube-learn.js'))} play ${quote(SCENARIO)}`));
    unbundled.push(await timeFirstFrame(`node ${quote(join(ROOT, 'dist', 'cli', 'entry.js'))} play ${quote(SCENARIO)}`));
  }
  const node = median(baseline);
  return {
    runs,
    'node -e 0 (ms, median)': round(node),
    'node -e printing one line, in the same pseudo-terminal wrapper (ms, median)': round(median(wrapped)),
    'first frame as shipped, dist/bundle (ms, median)': round(median(shipped)),
    'shipped ÷ node -e 0': round(median(shipped) / node),
    'shipped ÷ node -e in the wrapper': round(median(shipped) / median(wrapped)),
    'first frame unbundled, dist/cli (ms, median)': round(median(unbundled)),
    'unbundled ÷ node -e 0': round(median(unbundled) / node),
  };
}

/** `node -e 0`: spawn to exit. */
function timeNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - started));
  });
}

/** Spawn to the first frame's text appearing on the pseudo-terminal; then the run is ended. */
function timeFirstFrame(command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env.CI; // Ink renders only the last frame when it thinks it is in CI
    const started = performance.now();
    const child = spawn('script', ['-qfc', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], { env, detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    let seen = '';
    const stop = () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no first frame within ${TIMEOUT_MS}ms; output: ${seen.slice(-300)}`));
    }, TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
      if (seen.includes(FIRST_FRAME_TEXT)) {
        const elapsed = performance.now() - started;
        stop();
        resolve(elapsed);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (seen.includes(FIRST_FRAME_TEXT)) return;
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before its first frame: ${seen.slice(-300).trim()}`));
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
