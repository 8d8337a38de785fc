/**
 * Drives a real terminal for the end-to-end test: a private tmux server (its own socket, so a
 * user's tmux is never touched) whose pane runs a shell, into which the test types commands
 * and keys and whose screen it reads back with capture-pane. Waiting is polling with a deadline.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export class TmuxPane {
  private readonly socket = `kube-learn-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    readonly columns: number,
    readonly rows: number,
    cwd: string,
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
    delete env.CI;
    delete env.TMUX;
    this.tmux(['-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), '-c', cwd, 'env -u CI PS1="$ " bash --norc --noprofile'], env);
    this.tmux(['set-option', '-g', 'window-size', 'manual']);
  }

  private tmux(args: string[], env: NodeJS.ProcessEnv = process.env): string {
    return execFileSync('tmux', ['-u', '-L', this.socket, ...args], { encoding: 'utf8', env });
  }

  /** Types a line into the shell. */
  run(command: string): void {
    this.tmux(['send-keys', '-t', 'main', '-l', command]);
    this.tmux(['send-keys', '-t', 'main', 'Enter']);
  }

  /** Sends keys by tmux name (`Right`, `Enter`, `q`, `C-c`). */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', 'main', ...keys]);
  }

  screen(): string {
    return this.tmux(['capture-pane', '-t', 'main', '-p']);
  }

  /** A pane attribute: `cursor_flag` (1: cursor visible), `alternate_on`, `pane_pid`. */
  attribute(name: string): string {
    return this.tmux(['display-message', '-p', '-t', 'main', `#{${name}}`]).trim();
  }

  resize(columns: number, rows: number): void {
    this.tmux(['resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows)]);
  }

  /** Polls the screen until `test` accepts it; throws with the last screen after `timeoutMs`. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  /** Waits for the screen to stop changing (two identical captures in a row). */
  async settled(): Promise<string> {
    let previous = '';
    return this.waitFor((screen) => {
      const same = screen === previous;
      previous = screen;
      return same;
    }, 'the screen to settle');
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}
