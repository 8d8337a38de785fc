import { describe, expect, it } from 'vitest';
import type { Step } from '../src/sim/trace.js';
import { builtin, play, scenarioFrom } from './helpers.js';

type Obj = Record<string, any>;

const NOT_READY = 'node.kubernetes.io/not-ready';
const tolerates = (pod: Obj, key: string, effect: string) =>
  (pod.spec.tolerations ?? []).some((t: Obj) => (!t.key || t.key === key) && (!t.effect || t.effect === effect) && (t.operator === 'Exists' || !t.key));

describe('TaintNodesByCondition: a node takes no pods before it is Ready', () => {
  const cluster = play(builtin('first-node'));
  const steps = cluster.sim.recorder.steps;

  it('POST /api/v1/nodes answers with the Node already tainted node.kubernetes.io/not-ready:NoSchedule', () => {
    for (const node of ['worker-1', 'worker-2']) {
      const register = steps.find((s) => s.method === 'POST' && s.path === '/api/v1/nodes' && s.node === node && s.status === 201);
      expect(register, node).toBeDefined();
      expect(((register!.request as Obj).spec ?? {}).taints).toBeUndefined();
      expect((register!.response as Obj).spec.taints).toEqual([{ key: NOT_READY, effect: 'NoSchedule' }]);
    }
  });

  it('binds a pod that does not tolerate not-ready only after its node is Ready and the taint is gone', () => {
    const readyAt = new Map<string, number>();
    const untaintedAt = new Map<string, number>();
    const podsByName = new Map<string, Obj>();
    const bindings: { pod: string; node: string; index: number }[] = [];
    steps.forEach((s: Step, index) => {
      const after = s.after as Obj | undefined;
      if (s.method === 'POST' && s.status === 201 && /\/pods$/.test(s.path ?? '')) podsByName.set(`${(s.response as Obj).metadata.namespace}/${(s.response as Obj).metadata.name}`, s.response as Obj);
      if (after?.kind === 'Node' && s.status === 200) {
        const name = after.metadata.name as string;
        const ready = (after.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready')?.status === 'True';
        if (ready && !readyAt.has(name)) readyAt.set(name, index);
        const tainted = (after.spec?.taints ?? []).some((t: Obj) => t.key === NOT_READY && t.effect === 'NoSchedule');
        if (!tainted && !untaintedAt.has(name)) untaintedAt.set(name, index);
      }
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/binding$/.exec(s.path ?? '');
      if (m && s.status === 201) bindings.push({ pod: `${m[1]}/${m[2]}`, node: (s.request as Obj).target.name, index });
    });
    const ordinary = bindings.filter((b) => !tolerates(podsByName.get(b.pod)!, NOT_READY, 'NoSchedule'));
    expect(ordinary.map((b) => b.pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort()).toEqual(['default/web', 'default/web', 'kube-system/coredns', 'kube-system/coredns']);
    for (const b of ordinary) {
      expect(readyAt.get(b.node), `${b.pod} bound to ${b.node} before it was Ready`).toBeLessThan(b.index);
      expect(untaintedAt.get(b.node), `${b.pod} bound to ${b.node} while it had the not-ready taint`).toBeLessThan(b.index);
    }
    // The node lifecycle controller is the one that takes the taint off.
    const removal = steps[untaintedAt.get('worker-1')!];
    expect(removal).toMatchObject({ method: 'PATCH', path: '/api/v1/nodes/worker-1', user: 'system:serviceaccount:kube-system:node-controller' });
  });

  it('lists TaintNodesByCondition among the admission plugins', () => {
    expect((steps[0].detail as Obj).admission).toEqual(['NodeRestriction', 'TaintNodesByCondition', 'DefaultTolerationSeconds']);
    expect(steps[0].explanation).toContain('TaintNodesByCondition');
  });
});

describe('kube-proxy and kube-flannel run as DaemonSet pods', () => {
  const cluster = play(builtin('first-node'));
  const steps = cluster.sim.recorder.steps;
  const lookup = cluster.apiserver.lookup;
  const nodeIP = (name: string) => cluster.nodes.get(name)!.spec.address;

  it('has the DaemonSets kubeadm and flannel\'s manifest install, with their status counted', () => {
    const proxy = lookup.get('daemonsets', 'kube-system', 'kube-proxy') as Obj;
    const flannel = lookup.get('daemonsets', 'kube-flannel', 'kube-flannel-ds') as Obj;
    expect(proxy.metadata.labels).toEqual({ 'k8s-app': 'kube-proxy' });
    expect(proxy.spec.template.spec).toMatchObject({ hostNetwork: true, serviceAccountName: 'kube-proxy', priorityClassName: 'system-node-critical' });
    expect(proxy.spec.template.spec.tolerations).toContainEqual({ operator: 'Exists' });
    expect(proxy.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(flannel.metadata.labels).toEqual({ app: 'flannel', 'k8s-app': 'flannel', tier: 'node' });
    expect(flannel.spec.template.spec.tolerations).toEqual([{ effect: 'NoSchedule', operator: 'Exists' }]);
    for (const ds of [proxy, flannel]) {
      expect(ds.status).toEqual({
        currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2,
        observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2,
      });
    }
    const revisions = lookup.list('controllerrevisions', 'kube-system') as readonly Obj[];
    const rev = revisions.find((r) => r.metadata.ownerReferences?.[0]?.name === 'kube-proxy')!;
    expect(rev).toMatchObject({ revision: 1, metadata: { labels: { 'k8s-app': 'kube-proxy' } } });
    expect(rev.metadata.name).toBe(`kube-proxy-${rev.metadata.labels['controller-revision-hash']}`);
  });

  it('creates one pod per node, pinned by node affinity, with the daemon tolerations, bound by kube-scheduler and Running with the node IP', () => {
    for (const [ns, ds] of [['kube-system', 'kube-proxy'], ['kube-flannel', 'kube-flannel-ds']]) {
      const pods = (lookup.list('pods', ns) as readonly Obj[]).filter((p) => p.metadata.ownerReferences?.[0]?.name === ds);
      expect(pods.map((p) => p.spec.nodeName).sort(), ds).toEqual(['worker-1', 'worker-2']);
      for (const pod of pods) {
        const node = pod.spec.nodeName as string;
        expect(pod.metadata.name).toMatch(new RegExp(`^${ds}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
        expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds, uid: (lookup.get('daemonsets', ns, ds) as Obj).metadata.uid, controller: true, blockOwnerDeletion: true }]);
        expect(pod.metadata.labels['pod-template-generation']).toBe('1');
        expect(pod.metadata.labels['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
        expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] });
        for (const [key, effect] of [[NOT_READY, 'NoExecute'], ['node.kubernetes.io/unreachable', 'NoExecute'], ['node.kubernetes.io/disk-pressure', 'NoSchedule'], ['node.kubernetes.io/memory-pressure', 'NoSchedule'], ['node.kubernetes.io/pid-pressure', 'NoSchedule'], ['node.kubernetes.io/unschedulable', 'NoSchedule'], ['node.kubernetes.io/network-unavailable', 'NoSchedule']]) {
          expect(pod.spec.tolerations, `${pod.metadata.name} ${key}`).toContainEqual({ key, operator: 'Exists', effect });
        }
        // DefaultTolerationSeconds adds nothing: the daemon tolerations already cover not-ready and unreachable, without a limit.
        expect(pod.spec.tolerations.some((t: Obj) => t.tolerationSeconds !== undefined)).toBe(false);
        expect(pod.status).toMatchObject({ phase: 'Running', podIP: nodeIP(node), hostIP: nodeIP(node) });
        const create = steps.find((s) => s.method === 'POST' && s.status === 201 && (s.response as Obj)?.metadata?.name === pod.metadata.name)!;
        expect(create).toMatchObject({ path: `/api/v1/namespaces/${ns}/pods`, user: 'system:serviceaccount:kube-system:daemon-set-controller' });
        expect((create.request as Obj).spec.nodeName).toBeUndefined();
        const bind = steps.find((s) => s.path === `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/binding`)!;
        expect(bind).toMatchObject({ status: 201, user: 'system:kube-scheduler' });
      }
    }
  });

  it('starts kube-proxy and flannel when the kubelet starts their pod\'s container, before the node is Ready', () => {
    const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const container = at((s) => s.summary.startsWith('kubelet starts container kube-proxy of kube-system/kube-proxy-') && s.node === 'worker-1');
    const proxy = at((s) => s.summary.startsWith('kube-proxy starts on worker-1 (pod kube-system/kube-proxy-'));
    expect(container).toBeGreaterThan(0);
    expect(proxy).toBe(container + 1);
    const flannelContainer = at((s) => s.summary.startsWith('kubelet starts container kube-flannel of kube-flannel/kube-flannel-ds-') && s.node === 'worker-1');
    const conflist = at((s) => s.summary.startsWith('/etc/cni/net.d/10-flannel.conflist written') && s.node === 'worker-1');
    const ready = at((s) => s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-1/status' && s.user === 'system:node:worker-1'
      && ((s.after as Obj).status.conditions as readonly Obj[]).some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(flannelContainer).toBeGreaterThan(0);
    expect(flannelContainer).toBeLessThan(conflist);
    expect(conflist).toBeLessThan(ready);
    // The hostNetwork sandbox needs no CNI ADD and does not wait for NetworkReady.
    expect(steps.some((s) => s.summary.startsWith('CNI ADD kube-flannel/') || s.summary.startsWith('CNI ADD kube-system/kube-proxy'))).toBe(false);
  });

  it('lets kube-scheduler filter only the pinned node (NodeAffinity PreFilter)', () => {
    const decision = steps.find((s) => s.kind === 'decision' && s.summary.startsWith('schedule kube-system/kube-proxy-') && s.node === 'worker-2')!;
    expect(decision.explanation).toContain("NodeAffinity's PreFilter");
    expect(decision.explanation).toContain('Filters over 1 node(s)');
  });
});

describe('the network plugin\'s DaemonSet follows the plugin', () => {
  it.each([
    ['calico-bgp', 'kube-system', 'calico-node'],
    ['weave-mesh', 'kube-system', 'weave-net'],
  ])('%s runs %s/%s pods on every node', (scenario, ns, name) => {
    const cluster = play(builtin(scenario));
    const lookup = cluster.apiserver.lookup;
    expect(lookup.get('daemonsets', 'kube-flannel', 'kube-flannel-ds')).toBeUndefined();
    const ds = lookup.get('daemonsets', ns, name) as Obj;
    const nodes = [...cluster.nodes.keys()].sort();
    expect(ds.status).toMatchObject({ desiredNumberScheduled: nodes.length, currentNumberScheduled: nodes.length, numberReady: nodes.length });
    const pods = (lookup.list('pods', ns) as readonly Obj[]).filter((p) => p.metadata.ownerReferences?.[0]?.name === name);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(nodes);
    expect(pods.every((p) => p.status.phase === 'Running')).toBe(true);
  });
});

describe('a DaemonSet the scenario applies', () => {
  const cluster = play(scenarioFrom(`
apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: exporter }
spec:
  seed: 3
  duration: 1m
  nodes:
    - name: worker-1
      labels: { monitoring: "yes" }
    - name: worker-2
    - name: worker-3
      labels: { monitoring: "yes" }
      joinAt: 10s
  resources:
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: node-exporter, namespace: default }
      spec:
        selector: { matchLabels: { app: node-exporter } }
        template:
          metadata: { labels: { app: node-exporter } }
          spec:
            nodeSelector: { monitoring: "yes" }
            containers:
              - name: exporter
                image: quay.io/prometheus/node-exporter:v1.8.2
`));
  const steps = cluster.sim.recorder.steps;
  const lookup = cluster.apiserver.lookup;

  it('runs a pod only on the matching nodes, created once each node has lost its not-ready taint', () => {
    const pods = (lookup.list('pods', 'default') as readonly Obj[]).filter((p) => p.metadata.ownerReferences?.[0]?.name === 'node-exporter');
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['worker-1', 'worker-3']);
    expect(pods.every((p) => p.status.phase === 'Running' && p.status.podIP.startsWith('10.244.'))).toBe(true);
    for (const node of ['worker-1', 'worker-3']) {
      const untainted = steps.findIndex((s) => s.method === 'PATCH' && s.path === `/api/v1/nodes/${node}` && s.user === 'system:serviceaccount:kube-system:node-controller'
        && !((s.after as Obj).spec.taints ?? []).some((t: Obj) => t.key === NOT_READY));
      const created = steps.findIndex((s) => s.method === 'POST' && s.path === '/api/v1/namespaces/default/pods' && s.status === 201
        && (s.request as Obj).spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0] === node);
      expect(untainted, node).toBeGreaterThan(0);
      expect(created, node).toBeGreaterThan(untainted);
    }
    expect((lookup.get('daemonsets', 'default', 'node-exporter') as Obj).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberMisscheduled: 0 });
  });
});

describe('a DaemonSet whose template changes while it runs', () => {
  const manifest = (selector: string) => `{ apiVersion: apps/v1, kind: DaemonSet, metadata: { name: node-exporter, namespace: default }, spec: { selector: { matchLabels: { app: node-exporter } }, template: { metadata: { labels: { app: node-exporter } }, spec: { nodeSelector: { monitoring: "${selector}" }, containers: [{ name: exporter, image: "quay.io/prometheus/node-exporter:v1.8.2" }] } } } }`;
  const cluster = play(scenarioFrom(`
apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: exporter-update }
spec:
  seed: 5
  duration: 90s
  nodes:
    - name: worker-1
      labels: { monitoring: "yes" }
    - name: worker-2
      labels: { monitoring: "no" }
  timeline:
    - { at: 1s, action: apply, manifest: ${manifest('yes')} }
    - { at: 45s, action: apply, manifest: ${manifest('no')} }
`));
  const lookup = cluster.apiserver.lookup;

  it('answers for the new template, not the old one: the pod moves to the node the new template matches, with the new revision', () => {
    const pods = (lookup.list('pods', 'default') as readonly Obj[]).filter((p) => p.metadata.ownerReferences?.[0]?.name === 'node-exporter');
    expect(pods.map((p) => p.spec.nodeName)).toEqual(['worker-2']);
    const revisions = (lookup.list('controllerrevisions', 'default') as readonly Obj[]).filter((r) => r.metadata.name.startsWith('node-exporter-'));
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    const latest = revisions.find((r) => r.revision === 2)!;
    expect(pods[0].metadata.labels['controller-revision-hash']).toBe(latest.metadata.labels['controller-revision-hash']);
    expect((lookup.get('daemonsets', 'default', 'node-exporter') as Obj).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, updatedNumberScheduled: 1 });
  });
});
