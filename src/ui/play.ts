import { createElement } from 'react';
import { render } from 'ink';
import chalk from 'chalk';
import { resolve } from 'node:path';
import type { Session } from '../cluster/session.js';
import type { Scenario } from '../scenario/index.js';
import { App, EXIT_INTERRUPTED } from './app.js';
import { deferredSource } from '../view/step-source.js';

/** Exit code when the player breaks: the terminal is restored first, then the error is reported. */
export const EXIT_INTERNAL_ERROR = 3;

/** What the `play` command passes on: the run's seed and end time, and the environment (NO_COLOR). */
export interface PlayOptions {
  readonly seed?: number;
  readonly untilMs?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Alternate screen on/off (as `less` and `top` use), cursor show. */
const ENTER_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off; chalk 5 does not check it. */
export function colorDisabled(env: PlayOptions['env']): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/**
 * `kube-learn play` in a terminal: the Ink player over a new Session, on the alternate screen.
 * Resolves with the exit code (0 after q, 130 after Ctrl-C or SIGTERM/SIGINT/SIGHUP, 3 after an
 * unexpected error). Whichever way it ends, the terminal is left as it was found: raw mode off,
 * cursor visible, the original screen back.
 */
export async function playInteractive(scenario: Scenario, options: PlayOptions): Promise<number> {
  const { stdin, stdout, stderr } = process;
  if (stdin.isTTY !== true || stdout.isTTY !== true || typeof stdin.setRawMode !== 'function') {
    stderr.write('kube-learn: play needs an interactive terminal; use `kube-learn run` for a transcript\n');
    return 2;
  }
  if (colorDisabled(options.env)) chalk.level = 0;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // stdin already closed: nothing to restore.
    }
    stdout.write(SHOW_CURSOR + LEAVE_SCREEN);
  };
  // The intro needs only the scenario. The simulation core is loaded once the intro is on screen,
  // and the session (keys, certificates, cluster) is built from it when a step is first asked for.
  let core: typeof import('../cluster/session.js') | undefined;
  let live: Session | undefined;
  const session = deferredSource(scenario, () => {
    if (!core) throw new Error('a step was asked for before the simulation core was loaded');
    return (live = new core.Session(scenario, { seed: options.seed, untilMs: options.untilMs }));
  });
  const serving = servingFor(() => live);
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  let signalled = false;
  let unmount = () => {};
  const onSignal = () => {
    signalled = true;
    unmount();
    restore();
  };
  // First in line, so the terminal is restored before any other handler ends the process.
  for (const signal of signals) process.prependListener(signal, onSignal);
  process.on('exit', restore);
  // Keys pressed while the core loads wait in stdin's buffer: any of them may need a step.
  const releaseInput = holdInput(stdin);
  try {
    stdout.write(ENTER_SCREEN);
    let score: string | undefined;
    const onScore = (text: string) => {
      score = text;
    };
    const props = { session, onScore, onServe: serving.start };
    // Drawn before render() returns: the intro is on screen while the core loads.
    const instance = render(createElement(App, { ...props, prefetch: false }), { exitOnCtrlC: false, maxFps: 30 });
    unmount = () => instance.unmount();
    core = await import('../cluster/session.js');
    // Prefetching on first, then the held keys: one of them may end the player.
    if (!signalled) instance.rerender(createElement(App, props));
    releaseInput();
    const result = await instance.waitUntilExit();
    restore();
    // The alternate screen is gone with the player; the score stays in the terminal.
    if (score) stdout.write(`${scenario.metadata.name}: ${score}\n`);
    return signalled ? EXIT_INTERRUPTED : typeof result === 'number' ? result : 0;
  } catch (error) {
    restore();
    return report(error);
  } finally {
    releaseInput();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', restore);
    await serving.stop();
  }

  function report(error: unknown): number {
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`kube-learn: internal error in the player: ${message}\n`);
    if (options.env.KUBE_LEARN_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
    else stderr.write('  (set KUBE_LEARN_DEBUG=1 to see where)\n');
    return EXIT_INTERNAL_ERROR;
  }
}

/**
 * Holds back stdin's 'readable' events (what Ink reads keys on) until the returned function is
 * called; what was typed meanwhile stays in the stream's buffer and is read then, in order.
 */
function holdInput(stdin: NodeJS.ReadStream): () => void {
  const emit = stdin.emit;
  let held = false;
  let released = false;
  stdin.emit = function (this: NodeJS.ReadStream, event: string | symbol, ...args: unknown[]): boolean {
    if (!released && event === 'readable') {
      held = true;
      return true;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof stdin.emit;
  return () => {
    if (released) return;
    released = true;
    stdin.emit = emit;
    if (held && stdin.readableLength > 0) stdin.emit('readable');
  };
}

/**
 * The `s` key: serves the session's cluster as `kube-learn serve` does (127.0.0.1, port 6443 or
 * a free one, kube-learn.kubeconfig in the current directory). The player drives the clock, so
 * clients see the cluster as far as it has been simulated.
 */
function servingFor(session: () => Session | undefined): { start: () => Promise<string>; stop: () => Promise<void> } {
  let running: { url: string; stop: () => Promise<void> } | undefined;
  const kubeconfig = 'kube-learn.kubeconfig';
  const tell = (url: string) => `serving ${url}: KUBECONFIG=./${kubeconfig} kubectl get nodes`;
  return {
    async start() {
      if (running) return tell(running.url);
      const live = session();
      if (!live) throw new Error('the cluster has not started yet');
      const { serveCluster } = await import('../serve/serve.js');
      const options = { kubeconfigPath: resolve(process.cwd(), kubeconfig) };
      try {
        running = await serveCluster(live.cluster, { ...options, port: 6443 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        running = await serveCluster(live.cluster, { ...options, port: 0 });
      }
      return tell(running.url);
    },
    stop: async () => {
      await running?.stop();
    },
  };
}
