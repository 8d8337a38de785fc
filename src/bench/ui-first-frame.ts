import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Time to the first frame of `kube-learn play first-node`, measured in a real pseudo-terminal
 * (`script -qfc`, so Ink takes its interactive path) against `node -e 0` measured in the same
 * run, once from `dist/` and once from an esbuild bundle. Nothing runs or prints on import;
 * `npm run bench` calls measureFirstFrame().
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
  readonly 'first frame from dist (ms, median)': number;
  readonly 'dist ÷ node -e 0': number;
  readonly 'first frame from bundle (ms, median)': number | string;
  readonly 'bundle ÷ node -e 0': number | string;
}

export async function measureFirstFrame(runs = RUNS): Promise<FirstFrameResult> {
  if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('`script` (util-linux) is needed to give the player a terminal');
  const baseline: number[] = [];
  const fromDist: number[] = [];
  const fromBundle: number[] = [];
  const work = mkdtempSync(join(tmpdir(), 'kube-learn-bench-'));
  try {
    const bundle = await buildBundle(work).catch((error: Error) => error);
    // Interleaved, so a slow moment of the machine hurts every kind alike.
    for (let i = 0; i < runs; i++) {
      baseline.push(await timeNode());
      fromDist.push(await timeFirstFrame(`node ${quote(join(ROOT, 'bin', 'kube-learn.js'))} play ${quote(SCENARIO)}`));
      if (!(bundle instanceof Error)) fromBundle.push(await timeFirstFrame(`node ${quote(bundle)} play ${quote(SCENARIO)}`));
    }
    const node = median(baseline);
    const dist = median(fromDist);
    const bundled = fromBundle.length ? median(fromBundle) : undefined;
    return {
      runs,
      'node -e 0 (ms, median)': round(node),
      'first frame from dist (ms, median)': round(dist),
      'dist ÷ node -e 0': round(dist / node),
      'first frame from bundle (ms, median)': bundled === undefined ? `unavailable: ${(bundle as Error).message}` : round(bundled),
      'bundle ÷ node -e 0': bundled === undefined ? 'n/a' : round(bundled / node),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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

/** One-file build of the CLI, as a package could ship it: devtools stubbed out, React in production mode. */
async function buildBundle(dir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const stub = join(dir, 'react-devtools-core-stub.js');
  writeFileSync(stub, 'export default { initialize() {}, connectToDevTools() {} };\n');
  // The CLI reads package.json two folders up from its module (dist/cli/version.js): keep that shape.
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  const outfile = join(dir, 'bundle', 'cli', 'kube-learn.mjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'bin', 'kube-learn.js')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    alias: { 'react-devtools-core': stub },
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS packages (react) call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return outfile;
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
