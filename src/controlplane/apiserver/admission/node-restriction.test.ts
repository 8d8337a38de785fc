import { describe, expect, it } from 'vitest';
import type { KubeObject, UserInfo } from '../../../api/meta.js';
import { staticLookup } from '../authorization/static-lookup.js';
import { nodeRestriction } from './node-restriction.js';
import type { AdmissionRequest, AdmissionResult } from './types.js';

const kubelet = (name: string): UserInfo => ({ name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] });
const admin: UserInfo = { name: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

function nodeObject(name: string, more: { labels?: Record<string, string>; taints?: unknown[]; uid?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: more.uid ?? `uid-${name}`, labels: more.labels ?? { 'kubernetes.io/hostname': name } },
    spec: more.taints ? { taints: more.taints } : {},
  };
}

function podObject(name: string, nodeName: string, more: Partial<KubeObject['metadata']> = {}, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...more }, spec: { nodeName, containers: [], ...spec } };
}

const stored: KubeObject[] = [nodeObject('worker-1'), nodeObject('worker-2'), podObject('web-1', 'worker-1'), podObject('db-1', 'worker-2')];
const plugin = nodeRestriction(staticLookup(stored));
const admit = (req: Partial<AdmissionRequest> & Pick<AdmissionRequest, 'operation' | 'resource' | 'user'>): AdmissionResult => plugin.admit(req);
const message = (result: AdmissionResult) => (result.allowed ? undefined : result.message);

describe('NodeRestriction: Node objects', () => {
  const noTaint = nodeObject('worker-1');
  const tainted = nodeObject('worker-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });

  it("rejects node A patching node B's status with the real message", () => {
    const result = admit({
      operation: 'UPDATE', resource: 'nodes', subresource: 'status', name: 'worker-2',
      object: nodeObject('worker-2'), oldObject: nodeObject('worker-2'), user: kubelet('worker-1'),
    });
    expect(message(result)).toBe('node "worker-1" is not allowed to modify node "worker-2"');
  });

  it('lets a node update its own status', () => {
    const result = admit({ operation: 'UPDATE', resource: 'nodes', subresource: 'status', name: 'worker-1', object: noTaint, oldObject: noTaint, user: kubelet('worker-1') });
    expect(result.allowed).toBe(true);
  });

  it('allows taints at registration but refuses changing them later', () => {
    expect(admit({ operation: 'CREATE', resource: 'nodes', object: tainted, user: kubelet('worker-1') }).allowed).toBe(true);
    const update = (from: KubeObject, to: KubeObject) =>
      admit({ operation: 'UPDATE', resource: 'nodes', name: 'worker-1', object: to, oldObject: from, user: kubelet('worker-1') });
    expect(message(update(tainted, noTaint))).toBe('node "worker-1" is not allowed to modify taints');
    expect(message(update(noTaint, tainted))).toBe('node "worker-1" is not allowed to modify taints');
    expect(update(tainted, structuredClone(tainted)).allowed).toBe(true);
    // An empty list and no list are the same taints.
    expect(update(noTaint, { ...noTaint, spec: { taints: [] } }).allowed).toBe(true);
  });

  it('refuses ownerReference changes and a configSource', () => {
    const owned = { ...noTaint, metadata: { ...noTaint.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'x', uid: 'u' }] } };
    const upd = admit({ operation: 'UPDATE', resource: 'nodes', name: 'worker-1', object: owned, oldObject: noTaint, user: kubelet('worker-1') });
    expect(message(upd)).toBe('node "worker-1" is not allowed to modify ownerReferences');
    const withSource = { ...noTaint, spec: { configSource: { configMap: { name: 'c' } } } };
    expect(message(admit({ operation: 'CREATE', resource: 'nodes', object: withSource, user: kubelet('worker-1') }))).toBe(
      'node "worker-1" is not allowed to create pods with a non-nil configSource',
    );
  });

  it('limits the labels a kubelet may set on itself', () => {
    const labels = {
      'kubernetes.io/hostname': 'worker-1', 'node.kubernetes.io/instance-type': 'm5', 'kubelet.kubernetes.io/x': 'y',
      'example.com/rack': '7', 'topology.kubernetes.io/zone': 'a',
    };
    expect(admit({ operation: 'CREATE', resource: 'nodes', object: nodeObject('worker-1', { labels }), user: kubelet('worker-1') }).allowed).toBe(true);
    const greedy = nodeObject('worker-1', { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-restriction.kubernetes.io/pci': 'yes' } });
    expect(message(admit({ operation: 'CREATE', resource: 'nodes', object: greedy, user: kubelet('worker-1') }))).toBe(
      'node "worker-1" is not allowed to set the following labels: node-restriction.kubernetes.io/pci, node-role.kubernetes.io/control-plane',
    );
    const update = admit({ operation: 'UPDATE', resource: 'nodes', name: 'worker-1', object: greedy, oldObject: noTaint, user: kubelet('worker-1') });
    expect(message(update)).toBe('is not allowed to modify labels: node-restriction.kubernetes.io/pci, node-role.kubernetes.io/control-plane');
  });

  it('does not restrict anyone who is not a node', () => {
    const result = admit({ operation: 'UPDATE', resource: 'nodes', name: 'worker-1', object: noTaint, oldObject: tainted, user: admin });
    expect(result.allowed).toBe(true);
  });
});

describe('NodeRestriction: pods', () => {
  const mirror = (nodeName: string, uid: string, spec: Record<string, unknown> = {}) =>
    podObject(`static-${nodeName}`, nodeName, {
      annotations: { 'kubernetes.io/config.mirror': 'hash' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid, controller: true }],
    }, spec);
  const create = (object: KubeObject) => admit({ operation: 'CREATE', resource: 'pods', namespace: 'default', object, user: kubelet('worker-1') });

  it('lets a node create only mirror pods bound to and owned by itself', () => {
    expect(create(mirror('worker-1', 'uid-worker-1')).allowed).toBe(true);
    expect(message(create(podObject('web-2', 'worker-1')))).toBe(
      'pod does not have "kubernetes.io/config.mirror" annotation, node "worker-1" can only create mirror pods',
    );
    expect(message(create(mirror('worker-2', 'uid-worker-2')))).toBe('node "worker-1" can only create pods with spec.nodeName set to itself');
    expect(message(create(mirror('worker-1', 'stale')))).toBe('node worker-1 UID mismatch: expected stale got uid-worker-1');
    const leaky = mirror('worker-1', 'uid-worker-1', { volumes: [{ name: 's', secret: { secretName: 'x' } }] });
    expect(message(create(leaky))).toBe('node "worker-1" can not create pods that reference secrets');
  });

  it('lets a node delete pods bound to itself only, and never update pods', () => {
    const del = (name: string) => admit({ operation: 'DELETE', resource: 'pods', namespace: 'default', name, user: kubelet('worker-1') });
    expect(del('web-1').allowed).toBe(true);
    expect(message(del('db-1'))).toBe('node "worker-1" can only delete pods with spec.nodeName set to itself');
    const pod = podObject('web-1', 'worker-1');
    const upd = admit({ operation: 'UPDATE', resource: 'pods', namespace: 'default', name: 'web-1', object: pod, oldObject: pod, user: kubelet('worker-1') });
    expect(message(upd)).toBe('unexpected operation "UPDATE", node "worker-1" can only create and delete mirror pods');
  });

  it('lets a node update the status of its own pods, without touching labels', () => {
    const status = (old: KubeObject, object: KubeObject) =>
      admit({ operation: 'UPDATE', resource: 'pods', subresource: 'status', namespace: 'default', name: old.metadata.name, object, oldObject: old, user: kubelet('worker-1') });
    const mine = podObject('web-1', 'worker-1');
    expect(status(mine, { ...mine, status: { phase: 'Running' } }).allowed).toBe(true);
    const theirs = podObject('db-1', 'worker-2');
    expect(message(status(theirs, theirs))).toBe('node "worker-1" can only update pod status for pods with spec.nodeName set to itself');
    expect(message(status(mine, podObject('web-1', 'worker-1', { labels: { hacked: 'yes' } })))).toBe(
      'node "worker-1" cannot update labels through pod status',
    );
  });

  it('lets a node evict only pods bound to itself', () => {
    const evict = (name: string) =>
      admit({ operation: 'CREATE', resource: 'pods', subresource: 'eviction', namespace: 'default', name, user: kubelet('worker-1') });
    expect(evict('web-1').allowed).toBe(true);
    expect(message(evict('db-1'))).toBe('node worker-1 can only evict pods with spec.nodeName set to itself');
  });
});

describe('NodeRestriction: leases, tokens and what it leaves alone', () => {
  const lease = (name: string, namespace = 'kube-node-lease'): KubeObject => ({
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: { holderIdentity: name },
  });

  it("lets a node create and renew its own lease but not another node's", () => {
    const create = (name: string, namespace?: string) =>
      admit({ operation: 'CREATE', resource: 'leases', namespace: namespace ?? 'kube-node-lease', object: lease(name, namespace), user: kubelet('worker-1') });
    expect(create('worker-1').allowed).toBe(true);
    expect(message(create('worker-2'))).toBe('can only access node lease with the same name as the requesting node');
    expect(message(create('worker-1', 'default'))).toBe('can only access leases in the "kube-node-lease" system namespace');
    const renew = admit({
      operation: 'UPDATE', resource: 'leases', namespace: 'kube-node-lease', name: 'worker-2', object: lease('worker-2'), oldObject: lease('worker-2'), user: kubelet('worker-1'),
    });
    expect(message(renew)).toBe('can only access node lease with the same name as the requesting node');
  });

  it('requires node service-account tokens to be bound to a pod on that node', () => {
    const token = (boundObjectRef: unknown) =>
      admit({
        operation: 'CREATE', resource: 'serviceaccounts', subresource: 'token', namespace: 'default', name: 'default',
        object: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { boundObjectRef } }, user: kubelet('worker-1'),
      });
    expect(message(token(undefined))).toBe('node requested token not bound to a pod');
    expect(message(token({ apiVersion: 'v1', kind: 'Pod', name: 'web-1' }))).toBe('node requested token with a pod binding without a uid');
  });

  it('does not restrict CSRs, and rejects requests from a node user without a name', () => {
    const csr: KubeObject = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { generateName: 'csr-' }, spec: {} };
    expect(admit({ operation: 'CREATE', resource: 'certificatesigningrequests', object: csr, user: kubelet('worker-1') }).allowed).toBe(true);
    expect(message(admit({ operation: 'CREATE', resource: 'leases', object: lease('x'), user: kubelet('') }))).toBe(
      'could not determine node from user "system:node:"',
    );
  });

  it('never returns a changed object: it only validates', () => {
    const node = nodeObject('worker-1');
    const before = structuredClone(node);
    const result = admit({ operation: 'CREATE', resource: 'nodes', object: node, user: kubelet('worker-1') });
    expect(result).toMatchObject({ allowed: true });
    expect('object' in result ? result.object : undefined).toBeUndefined();
    expect(node).toEqual(before);
  });
});
