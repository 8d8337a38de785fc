import type { TimelineEvent } from '../scenario/index.js';
import { formatDuration } from '../scenario/index.js';
import { Actor } from '../sim/simulation.js';
import type { Cluster } from './cluster.js';
import { adminClient } from './kubectl.js';
import { DEFAULT_BOOTSTRAP_TOKEN } from './seed.js';
import { expireClientCertificate } from './certificates.js';

/**
 * Timeline actions that break or repair the cluster. Each is recorded as a failure step with a
 * banner; what follows (missed leases, taints, evictions, retries) is the cluster's own reaction,
 * recorded by the components themselves. A `for:` schedules the undo.
 */
type FailureEvent = Exclude<TimelineEvent, { action: 'apply' | 'delete' | 'scale' | 'request' }>;

const UNDO: Partial<Record<FailureEvent['action'], FailureEvent['action']>> = {
  'crash-node': 'restart-node',
  'stop-kubelet': 'start-kubelet',
  'stop-kube-proxy': 'start-kube-proxy',
  partition: 'heal',
  'stop-apiserver': 'start-apiserver',
  'stop-etcd-member': 'start-etcd-member',
};

export function runFailureAction(cluster: Cluster, event: FailureEvent): void {
  apply(cluster, event);
  const forMs = (event as { forMs?: number }).forMs;
  const undo = UNDO[event.action];
  if (forMs !== undefined && undo) {
    cluster.sim.schedule(new Actor('timeline'), forMs, () => apply(cluster, { ...event, action: undo } as FailureEvent));
  }
}

function banner(cluster: Cluster, event: FailureEvent, summary: string, explanation: string, detail: Record<string, unknown>): void {
  const node = 'node' in event ? event.node : undefined;
  const forMs = (event as { forMs?: number }).forMs;
  cluster.sim.recorder.record({
    stage: 'synchronization',
    from: 'timeline',
    to: (detail.component as string | undefined) ?? node ?? 'cluster',
    kind: 'failure',
    node,
    summary,
    banner: forMs !== undefined && UNDO[event.action] ? `${summary} (for ${formatDuration(forMs)})` : summary,
    explanation,
    detail: { action: event.action, ...detail },
  });
}

function apply(cluster: Cluster, event: FailureEvent): void {
  const node = 'node' in event && event.node ? cluster.nodes.get(event.node) : undefined;
  const name = node?.spec.name ?? '';
  switch (event.action) {
    case 'crash-node':
      node?.crash();
      return banner(cluster, event, `${name} crashed`, `The machine ${name} stopped: no kubelet, no kube-proxy, and every container on it is gone at once. Nobody tells the control plane; it finds out only because the Lease stops being renewed.`, { node: name, state: 'down' });
    case 'restart-node':
      node?.restart();
      return banner(cluster, event, `${name} boots again`, `${name} is back. systemd starts the kubelet, which still has its client certificate on disk, so it skips the bootstrap, finds its Node already registered, resumes its Lease and starts the pods still bound to it from scratch.`, { node: name, state: 'up' });
    case 'stop-kubelet':
      node?.stopKubelet();
      return banner(cluster, event, `kubelet on ${name} stopped`, `Only the kubelet process stopped. The containers it started keep running and serving traffic, and kube-proxy keeps its rules; but nothing renews the Lease or reports status, so the control plane will soon believe the node is gone.`, { node: name, component: `kubelet/${name}`, state: 'down' });
    case 'start-kubelet':
      if (node && !node.kubelet) node.startKubelet();
      return banner(cluster, event, `kubelet on ${name} started`, `The kubelet starts again with the certificate it already has, lists the pods bound to its node, finds the containers still running, removes the ones whose pods were deleted meanwhile, and renews its Lease.`, { node: name, component: `kubelet/${name}`, state: 'up' });
    case 'stop-kube-proxy':
      node?.stopKubeProxy();
      return banner(cluster, event, `kube-proxy on ${name} stopped`, `kube-proxy only writes rules; the kernel applies them. With kube-proxy stopped, the rules it last programmed stay in place and keep working, but Service and endpoint changes no longer reach ${name}.`, { node: name, component: `kube-proxy/${name}`, state: 'down' });
    case 'start-kube-proxy':
      if (node && !node.kubeProxyRunning) node.startKubeProxy();
      return banner(cluster, event, `kube-proxy on ${name} started`, `kube-proxy starts, lists Services and EndpointSlices afresh and resyncs its rules, catching up with everything it missed.`, { node: name, component: `kube-proxy/${name}`, state: 'up' });
    case 'partition':
      cluster.network.partition(name);
      return banner(cluster, event, `${name} partitioned from the control plane`, `${name} can no longer reach kube-apiserver and the control plane cannot reach it. Its kubelet's requests time out and its watches break; its pods keep running, unseen.`, { node: name, state: 'partitioned' });
    case 'heal':
      cluster.network.heal(name);
      return banner(cluster, event, `${name} reconnected`, `The network between ${name} and the control plane works again. The kubelet's next Lease renewal gets through, and its watches resume.`, { node: name, state: 'healed' });
    case 'stop-apiserver':
      cluster.network.setApiserverUp(false);
      watchLeaderElection(cluster);
      return banner(cluster, event, 'kube-apiserver stopped', `kube-apiserver is down: every request is refused and every watch ends. Controllers, the scheduler, kubelets and kube-proxies retry with their backoffs; running pods keep running, because nothing on a node needs the API server to keep a container alive.`, { component: 'kube-apiserver', state: 'down' });
    case 'start-apiserver':
      cluster.apiserver.restart();
      cluster.network.setApiserverUp(true);
      banner(cluster, event, 'kube-apiserver started', `kube-apiserver is back with fresh watch caches built from etcd's current revision. Clients that resume a watch from an older resourceVersion get 410 Expired and list again.`, { component: 'kube-apiserver', state: 'up' });
      return recoverLeaders(cluster);
    case 'stop-etcd-member':
    case 'start-etcd-member':
      return etcdMember(cluster, event);
    case 'expire-certificate':
      if (node) expireClientCertificate(cluster, node);
      return banner(cluster, event, `${name}'s client certificate expired`, `The kubelet's client certificate for system:node:${name} is no longer valid: kube-apiserver rejects it with 401. The kubelet's certificate manager notices and tries to get a new one, falling back to its bootstrap token if it still works.`, { node: name, component: `kubelet/${name}` });
    case 'revoke-bootstrap-token':
      return revokeToken(cluster, event);
  }
}

function etcdMember(cluster: Cluster, event: Extract<FailureEvent, { action: 'stop-etcd-member' | 'start-etcd-member' }>): void {
  const index = event.member - 1;
  const members = cluster.etcdMembers;
  members[index] = event.action === 'start-etcd-member';
  const up = members.filter(Boolean).length;
  const quorum = Math.floor(members.length / 2) + 1;
  const hadQuorum = cluster.store.available;
  cluster.store.available = up >= quorum;
  const list = members.map((ok, i) => `etcd-${i} ${ok ? 'started' : 'unreachable'}`).join(', ');
  const name = `etcd-${index}`;
  const effect = cluster.store.available
    ? hadQuorum
      ? `${up} of ${members.length} members are up, still a quorum of ${quorum}: reads and writes go on and nobody outside etcd notices.`
      : `With ${up} of ${members.length} members up etcd has its quorum of ${quorum} again: writes are accepted, leases renew, and the cluster unfreezes.`
    : `Only ${up} of ${members.length} members are up, short of the quorum of ${quorum}: etcd accepts no writes and no linearizable reads. kube-apiserver answers errors; leases cannot be renewed, but nothing can be evicted either, because every write fails.`;
  const stopped = event.action === 'stop-etcd-member';
  cluster.sim.recorder.record({
    stage: 'synchronization',
    from: 'timeline',
    to: name,
    kind: 'failure',
    summary: `${name} ${stopped ? 'stopped' : 'started'} (${up}/${members.length} members up)`,
    banner: `${name} ${stopped ? 'stopped' : 'started'}: ${cluster.store.available ? 'quorum holds' : 'QUORUM LOST'}`,
    explanation: effect,
    detail: { action: event.action, component: name, state: stopped ? 'down' : 'up', members: list, quorum, available: cluster.store.available },
  });
  if (!cluster.store.available) watchLeaderElection(cluster);
  else recoverLeaders(cluster);
}

function revokeToken(cluster: Cluster, event: Extract<FailureEvent, { action: 'revoke-bootstrap-token' }>): void {
  const node = event.node ? cluster.nodes.get(event.node) : undefined;
  const token = node?.spec.auth.token ?? DEFAULT_BOOTSTRAP_TOKEN;
  const id = token.split('.')[0];
  banner(cluster, event, `bootstrap token ${id} revoked`, `An administrator deletes Secret kube-system/bootstrap-token-${id}. Nodes that already joined do not care: they authenticate with their certificates. A node that has not joined yet can no longer authenticate (401).`, { component: 'kube-apiserver', token: id });
  const client = adminClient(cluster);
  cluster.sim.spawn(client.actor, (function* () {
    yield* client.delete(`/api/v1/namespaces/kube-system/secrets/bootstrap-token-${id}`, {
      why: `kubectl -n kube-system delete secret bootstrap-token-${id}: without the Secret, the bootstrap token authenticator no longer recognises the token.`,
      stage: 'authentication',
    });
  })());
}

/** --leader-elect-renew-deadline of kube-controller-manager and kube-scheduler. */
const RENEW_DEADLINE_MS = 10_000;

/** Whether the control plane can currently write (leader leases need a working API server and etcd). */
function canWrite(cluster: Cluster): boolean {
  return cluster.network.apiserverUp && cluster.store.available;
}

/**
 * kube-controller-manager and kube-scheduler hold leader-election Leases in kube-system, renewed
 * every 2s. When they cannot renew for renewDeadline (10s) they exit ("leaderelection lost") and
 * the kubelet on the control-plane host restarts their static pods.
 */
function watchLeaderElection(cluster: Cluster): void {
  cluster.sim.schedule(new Actor('leader-election'), RENEW_DEADLINE_MS, () => {
    if (canWrite(cluster) || cluster.leadersStopped) return;
    cluster.stopControlPlaneComponents();
    cluster.leadersStopped = true;
    cluster.sim.recorder.record({
      stage: 'synchronization',
      from: 'kube-controller-manager',
      to: 'kube-controller-manager',
      kind: 'decision',
      summary: 'kube-controller-manager and kube-scheduler exit: leader election lost',
      explanation: 'Both renew a leader-election Lease in kube-system every 2s. For 10s (--leader-elect-renew-deadline) they could not, so each exits rather than risk two leaders acting at once. Their static pods are restarted and wait to acquire the Lease again; meanwhile no controller runs and nothing is scheduled or evicted.',
      detail: { components: ['kube-controller-manager', 'kube-scheduler'], state: 'down', reason: 'leader election lost' },
    });
  });
}

function recoverLeaders(cluster: Cluster): void {
  if (!cluster.leadersStopped || !canWrite(cluster)) return;
  cluster.leadersStopped = false;
  cluster.sim.recorder.record({
    stage: 'synchronization',
    from: 'kube-controller-manager',
    to: 'kube-controller-manager',
    kind: 'decision',
    summary: 'kube-controller-manager and kube-scheduler acquire their leader Leases and start',
    explanation: 'The control plane can write again, so the restarted processes take their leader Leases and start their controllers from scratch: informers list everything anew, and the node lifecycle controller starts with no memory of past heartbeats, giving every node a full grace period before judging it.',
    detail: { components: ['kube-controller-manager', 'kube-scheduler'], state: 'up' },
  });
  cluster.startControlPlaneComponents();
}
