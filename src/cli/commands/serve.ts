import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from '../io.js';
import { seedOption, untilOption } from '../options.js';
import { EXIT, KubeLearnError } from '../errors.js';

/** `--speed <n>`: how many virtual seconds pass per real second (1 = real time). */
export function parseSpeed(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 1000) throw new InvalidArgumentError('expected a number above 0 and at most 1000 (1 = real time).');
  return n;
}

export function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one).');
  return Number(value);
}

export interface ServeCommandDeps {
  /** Resolves when the user interrupts (Ctrl-C); `bin/` wires SIGINT to it. Tests pass their own. */
  readonly interrupted?: () => Promise<void>;
}

function waitForSigint(): Promise<void> {
  return new Promise((resolve) => {
    // Handle Ctrl-C here (before the process-wide handler) so the server closes first.
    const onSignal = (): void => resolve();
    process.prependOnceListener('SIGINT', onSignal);
    process.prependOnceListener('SIGTERM', onSignal);
  });
}

/** `kube-learn serve <scenario>`: the cluster runs on the wall clock and real clients can talk to it. */
export function createServeCommand(io: CliIo, setExitCode: (code: number) => void, deps: ServeCommandDeps = {}): Command {
  return new Command('serve')
    .description('run a scenario in real time and serve its kube-apiserver on 127.0.0.1 over HTTPS for kubectl and other clients')
    .argument('<scenario>', 'a built-in scenario name (see `kube-learn list`) or a path to a scenario file')
    .addOption(new Option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)').argParser(parsePort).default(6443))
    .addOption(new Option('--kubeconfig <path>', 'where to write the admin kubeconfig').default('kube-learn.kubeconfig'))
    .addOption(new Option('--speed <n>', 'virtual seconds per real second').argParser(parseSpeed).default(1))
    .addOption(seedOption())
    .addOption(untilOption())
    .option('--quiet', 'do not print the steps as they are recorded')
    .action(async (name: string, opts: { port: number; kubeconfig: string; speed: number; seed?: number; until?: number; quiet?: boolean }) => {
      const { loadScenario, withSeed } = await import('../scenario-source.js');
      const { formatStepText } = await import('../output/text.js');
      const { scenario: base } = loadScenario(name, io.cwd);
      const scenario = withSeed(base, opts.seed);
      const kubeconfigPath = resolve(io.cwd, opts.kubeconfig);
      const { startServe } = await import('../../serve/serve.js');
      let running;
      try {
        running = await startServe({
          scenario,
          port: opts.port,
          kubeconfigPath,
          speed: opts.speed,
          untilMs: opts.until,
          onStep: opts.quiet ? undefined : (step) => io.stdout.write(formatStepText(step, true)),
          onError: (error) => io.stderr.write(`kube-learn: serve: ${error instanceof Error ? error.message : String(error)} (the simulation goes on)\n`),
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new KubeLearnError(`port ${opts.port} on 127.0.0.1 is already in use`, EXIT.usage, 'pass --port 0 to pick a free port, or another --port');
        if (code === 'EACCES') throw new KubeLearnError(`not allowed to listen on port ${opts.port}`, EXIT.usage, 'pass --port 0 to pick a free port');
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'EROFS') throw new KubeLearnError(`cannot write the kubeconfig to ${kubeconfigPath}`, EXIT.usage, 'pass --kubeconfig <path> in a writable directory');
        throw error;
      }
      const c = scenario.spec.cluster;
      const shown = opts.kubeconfig.includes('/') ? opts.kubeconfig : `./${opts.kubeconfig}`;
      io.stderr.write(
        [
          `seed=${scenario.spec.seed} scenario=${scenario.metadata.name} nodes=${scenario.spec.nodes.length} kubernetes=${c.kubernetesVersion} speed=${opts.speed}x${opts.until !== undefined ? ` until=${opts.until / 1000}s` : ''}`,
          `kube-apiserver is serving ${running.url} (serving certificate signed by the cluster CA, CN=kubernetes)`,
          `kubeconfig for kubernetes-admin (O=${running.credentials.adminGroups.join(',')}) written to ${kubeconfigPath}`,
          `  KUBECONFIG=${shown} kubectl get nodes -w`,
          'Ctrl-C stops the cluster.',
          '',
        ].join('\n'),
      );
      await (deps.interrupted ?? waitForSigint)();
      await running.stop();
      io.stderr.write(`stopped at t=${(running.cluster.sim.nowMs / 1000).toFixed(3)}s after ${running.cluster.sim.recorder.length} steps\n`);
      setExitCode(EXIT.interrupted);
    });
}
