import { createServer, type Server } from 'node:https';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Cluster } from '../cluster/cluster.js';
import type { Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';
import { issueServeCredentials, type ServeCredentials } from './credentials.js';
import { adminKubeconfig } from './kubeconfig.js';
import { HttpApi } from './http-api.js';
import { Pacer } from './pacer.js';

/**
 * `kube-learn serve`: the scenario's cluster, running on the wall clock, with its kube-apiserver
 * listening on 127.0.0.1 over HTTPS. The serving certificate and the admin client certificate
 * are signed by the cluster's own CA; the admin kubeconfig is written to `kubeconfigPath`.
 */
export interface ServeOptions {
  readonly scenario: Scenario;
  /** 0 picks a free port. */
  readonly port: number;
  /** Where to write the kubeconfig; nothing is written when undefined. */
  readonly kubeconfigPath?: string;
  readonly speed: number;
  readonly untilMs?: number;
  readonly maxBodyBytes?: number;
  /** Every recorded step, as it is recorded. */
  readonly onStep?: (step: Step) => void;
  /** Problems that did not stop the server (an event that threw, a request that failed). */
  readonly onError?: (error: unknown) => void;
}

export interface RunningServe {
  readonly cluster: Cluster;
  readonly port: number;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly kubeconfig: string;
  readonly credentials: ServeCredentials;
  readonly pacer: Pacer;
  /** Stops the clock, ends watches and closes the listener. */
  stop(): Promise<void>;
}

/** The kubernetes Service's ClusterIP: the first address of the service CIDR. */
function kubernetesServiceIP(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}`;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const cluster = new Cluster(options.scenario);
  if (options.onStep) cluster.sim.recorder.onStep(options.onStep);
  cluster.start();
  const pacer = new Pacer(cluster.sim, { speed: options.speed, untilMs: options.untilMs, onError: options.onError });
  const running = await serveCluster(cluster, options);
  pacer.start();
  return {
    ...running,
    pacer,
    stop: () => {
      pacer.stop();
      return running.stop();
    },
  };
}

/** What serving a cluster needs besides the cluster: where to listen and where the kubeconfig goes. */
export type ServeClusterOptions = Pick<ServeOptions, 'port' | 'kubeconfigPath' | 'maxBodyBytes' | 'onError'>;

/**
 * Serves an already running cluster without driving its clock: the caller does (the pacer for
 * `serve`, the player's steps for `play`).
 */
export async function serveCluster(cluster: Cluster, options: ServeClusterOptions): Promise<Omit<RunningServe, 'pacer'>> {
  const credentials = issueServeCredentials(cluster.pki, {
    kubernetesVersion: cluster.config.kubernetesVersion,
    serviceIP: kubernetesServiceIP(cluster.config.serviceCIDR),
  });
  let port = options.port;
  const api = new HttpApi({ cluster, serverAddress: () => `127.0.0.1:${port}`, maxBodyBytes: options.maxBodyBytes, onError: options.onError });
  const server = createServer(
    {
      key: credentials.serverKeyPem,
      cert: credentials.serverCertPem,
      ca: [credentials.caPem],
      // Ask for a client certificate but let the authenticator decide: a request without one
      // is anonymous (403 where RBAC says so), one the CA did not sign is a 401.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    api.listener,
  );
  server.on('clientError', (_error, socket) => socket.destroy());
  port = await listen(server, options.port);
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = adminKubeconfig(url, credentials);
  if (options.kubeconfigPath) writeFileSync(options.kubeconfigPath, kubeconfig, { mode: 0o600 });
  return {
    cluster,
    port,
    url,
    kubeconfig,
    credentials,
    stop: () =>
      new Promise<void>((resolve) => {
        api.closeWatches();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
