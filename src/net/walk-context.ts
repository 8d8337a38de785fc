import type { Cluster } from '../cluster/cluster.js';
import type { Prng } from '../sim/prng.js';
import type { Pick } from '../node/proxy/index.js';
import { podNetworkOf, nodeCut, type PathHop } from './data-path.js';
import { isIPv4 } from './routing.js';

/**
 * The pieces every part of a packet walk shares: who sends (a pod or a node), what the URL
 * names, the seeded random draws, and the step recorder (which a quiet probe, run only to check
 * an expectation, leaves untouched).
 */
type Obj = Record<string, any>;

/** The sender of a request. */
export interface Source {
  readonly kind: 'pod' | 'node';
  /** `pod/client` or `node/worker-1`, as the scenario wrote it. */
  readonly label: string;
  readonly node: string;
  readonly ip: string;
  readonly namespace: string;
  readonly dnsPolicy: string;
  readonly podName?: string;
}

/** What the URL names. */
export interface Target {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
}

/** One walk in progress: its random stream, and the steps it has recorded. */
export class WalkContext {
  readonly steps: number[] = [];
  readonly pick: Pick;

  constructor(
    readonly cluster: Cluster,
    readonly from: string,
    readonly to: string,
    readonly prng: Prng,
    readonly record: boolean,
  ) {
    this.pick = (n) => prng.intInclusive(0, n - 1);
  }

  /** An ephemeral source port from the Linux range (32768-60999). */
  ephemeralPort(): number {
    return this.prng.intInclusive(32768, 60999);
  }

  hop(h: PathHop): void {
    if (!this.record) return;
    const step = this.cluster.sim.recorder.record({
      stage: 'networking', kind: 'node', from: h.from, to: h.to, summary: h.summary, explanation: h.explanation,
      ...(h.node ? { node: h.node } : {}), detail: { request: { from: this.from, to: this.to }, ...h.detail },
    });
    this.steps.push(step.step);
  }
}

/** `http://web.default.svc.cluster.local:80/path` → scheme, host, port (80/443 by default). */
export function parseTarget(url: string): Target | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#\s]+)(?::(\d+))?/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  return { scheme, host: m[2].toLowerCase(), port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80 };
}

/** The sender, or why it cannot send (not running, machine down). */
export function resolveSource(cluster: Cluster, from: string): Source | { error: string } {
  const [kind, name] = from.split('/');
  if (kind === 'node') {
    const worker = cluster.nodes.get(name);
    if (!worker) return { error: `there is no node ${name}` };
    const cut = nodeCut(cluster, name);
    if (cut && worker.crashed) return { error: cut };
    return { kind: 'node', label: from, node: name, ip: worker.host.address, namespace: 'default', dnsPolicy: 'Default' };
  }
  const pod = cluster.store.get(`/registry/pods/default/${name}`)?.value as Obj | undefined;
  if (!pod) return { error: `pod default/${name} does not exist` };
  const node = pod.spec?.nodeName as string | undefined;
  const attached = node ? [...(podNetworkOf(cluster, node)?.pods.values() ?? [])].find((p) => p.uid === pod.metadata.uid) : undefined;
  if (!node || !attached || cluster.nodes.get(node)?.crashed) return { error: `pod default/${name} is not running: it has no sandbox with an IP` };
  return { kind: 'pod', label: from, node, ip: attached.ip, namespace: 'default', dnsPolicy: pod.spec?.dnsPolicy ?? 'ClusterFirst', podName: name };
}

export { isIPv4 };
