import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SCENARIOS } from './helpers.js';

/**
 * Ctrl-C and SIGTERM on a real `kube-learn` process: a long headless run stops between two
 * slices of the simulation, exits 130, and leaves every line it wrote whole. (How fast it stops
 * is measured by hand and in the README; here the bound is loose because the machine is shared.)
 */
const BIN = join(ROOT, 'bin', 'kube-learn.js');

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from the signal to the process's exit. */
  readonly afterSignalMs: number;
}

/** Starts kube-learn, sends `signal` once `ready(stdout)` holds, and resolves when it has exited. */
function interrupt(args: readonly string[], signal: NodeJS.Signals, ready: (stdout: string) => boolean): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running 60 s after start; stderr: ${stderr}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (sentAt === 0 && ready(stdout)) {
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, afterSignalMs: performance.now() - sentAt });
    });
  });
}

/** first-node, but running for 1000 virtual hours: far longer than any test waits. */
function longScenario(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-learn-interrupt-'));
  const file = join(dir, 'long.yaml');
  writeFileSync(file, readFileSync(join(SCENARIOS, 'first-node.yaml'), 'utf8').replace(/^ {2}duration: .*$/m, '  duration: 24h'));
  return file;
}

const stepNumbers = (text: string): number[] => [...text.matchAll(/^ {0,4}(\d+) {2}\d/gm)].map((m) => Number(m[1]));

describe('a signal stops a long run with what it wrote intact', () => {
  it('run: SIGINT exits 130, every step up to the last written is whole and in order', async () => {
    const ended = await interrupt(['run', 'first-node', '--until', '24h', '--brief'], 'SIGINT', (out) => out.split('\n').length > 300);
    expect(ended.code).toBe(130);
    expect(ended.stdout.endsWith('\n')).toBe(true);
    const steps = stepNumbers(ended.stdout);
    expect(steps.length).toBeGreaterThan(300);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    expect(ended.stderr).toMatch(new RegExp(`interrupted at .* after step ${steps.length}; every step up to there was written`));
    expect(ended.afterSignalMs).toBeLessThan(5_000);
  });

  it('run --format jsonl: SIGTERM exits 130 and every line parses', async () => {
    const ended = await interrupt(['run', 'first-node', '--until', '24h', '--format', 'jsonl'], 'SIGTERM', (out) => out.length > 200_000);
    expect(ended.code).toBe(130);
    const lines = ended.stdout.split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((line) => JSON.parse(line) as { step: number });
    expect(parsed.map((s) => s.step)).toEqual(parsed.map((_, i) => i + 1));
    expect(ended.stderr).toContain('interrupted at');
  });

  it('test: SIGINT stops the scenario being run, says so, and exits 130', async () => {
    const file = longScenario();
    // The scenario's name is written before its run starts; the run takes far longer than the test.
    const ended = await interrupt(['test', file], 'SIGINT', (out) => out.includes('seed='));
    expect(ended.code).toBe(130);
    expect(ended.stdout).toMatch(/INTERRUPTED {2}at .* virtual time; its expectations were not decided\n0 passed, 0 failed before the interrupt\n$/);
    expect(ended.afterSignalMs).toBeLessThan(5_000);
  });

  it('play without a terminal: SIGINT exits 130 with the transcript so far', async () => {
    const ended = await interrupt(['play', longScenario()], 'SIGINT', (out) => out.split('\n').length > 300);
    expect(ended.code).toBe(130);
    expect(ended.stdout.endsWith('\n')).toBe(true);
    expect(ended.stderr).toContain('interrupted at');
  });
});
