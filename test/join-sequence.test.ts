import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Step } from '../src/sim/trace.js';
import { builtin, play } from './helpers.js';

type Obj = Record<string, any>;

function index(steps: readonly Step[], predicate: (s: Step) => boolean, from = 0): number {
  for (let i = from; i < steps.length; i++) if (predicate(steps[i])) return i;
  return -1;
}

describe('first-node: a worker authenticates, registers and syncs', () => {
  const cluster = play(builtin('first-node'));
  const steps = cluster.sim.recorder.steps;
  const forNode = (node: string) => steps.filter((s) => s.node === node);

  it('creates its CSR as system:bootstrap:<id>, is approved, signed, then registers as system:node:<name>', () => {
    const s = forNode('worker-1');
    const csr = index(s, (x) => x.method === 'POST' && x.path === '/apis/certificates.k8s.io/v1/certificatesigningrequests');
    expect(csr).toBeGreaterThanOrEqual(0);
    expect(s[csr]).toMatchObject({ status: 201, user: 'system:bootstrap:abcdef', stage: 'authentication' });
    expect(s[csr].groups).toEqual(['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated']);
    const csrName = (s[csr].response as Obj).metadata.name as string;
    expect(csrName).toMatch(/^node-csr-[A-Za-z0-9_-]{43}$/);
    expect((s[csr].response as Obj).spec).toMatchObject({
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
      username: 'system:bootstrap:abcdef',
    });

    const all = steps;
    const approve = index(all, (x) => x.method === 'PUT' && x.path === `/apis/certificates.k8s.io/v1/certificatesigningrequests/${csrName}/approval`);
    const sign = index(all, (x) => x.method === 'PUT' && x.path === `/apis/certificates.k8s.io/v1/certificatesigningrequests/${csrName}/status`);
    const register = index(all, (x) => x.method === 'POST' && x.path === '/api/v1/nodes' && x.node === 'worker-1');
    const leaseCreate = index(all, (x) => x.method === 'POST' && x.path === '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases' && x.node === 'worker-1');
    const leaseRenew = index(all, (x) => x.method === 'PUT' && x.path === '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1');
    const csrStep = all.indexOf(s[csr]);
    expect(all[approve]).toMatchObject({ status: 200, user: 'system:serviceaccount:kube-system:certificate-controller' });
    expect((all[approve].after as Obj).status.conditions[0]).toMatchObject({ type: 'Approved', status: 'True', reason: 'AutoApproved' });
    expect(all[sign]).toMatchObject({ status: 200 });
    expect((all[sign].after as Obj).status.certificate).toBeTruthy();
    expect(all[register]).toMatchObject({ status: 201, user: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'], key: '/registry/minions/worker-1' });
    expect(all[leaseCreate]).toMatchObject({ status: 201, user: 'system:node:worker-1', key: '/registry/leases/kube-node-lease/worker-1' });
    expect(csrStep).toBeLessThan(approve);
    expect(approve).toBeLessThan(sign);
    expect(sign).toBeLessThan(register);
    expect(register).toBeLessThan(leaseCreate);
    expect(leaseCreate).toBeLessThan(leaseRenew);
    // Renewed one renew interval (10s, jitter 0.04) after it was written.
    const gap = all[leaseRenew].t - all[leaseCreate].t;
    expect(gap).toBeGreaterThanOrEqual(10_000);
    expect(gap).toBeLessThanOrEqual(10_500);
  });

  it('binds each pod through the binding subresource, then the node reports its status', () => {
    const bind = steps.find((x) => x.method === 'POST' && /\/pods\/web-[a-z0-9]+-[a-z0-9]{5}\/binding$/.test(x.path ?? ''));
    expect(bind).toMatchObject({ status: 201, user: 'system:kube-scheduler', from: 'kube-scheduler' });
    const podName = bind!.path!.split('/')[6];
    const target = (bind!.request as Obj).target.name as string;
    const statusPatch = steps.find((x) => x.method === 'PATCH' && x.path === `/api/v1/namespaces/default/pods/${podName}/status` && (x.after as Obj)?.status?.phase === 'Running');
    expect(statusPatch).toMatchObject({ status: 200, user: `system:node:${target}` });
    expect(statusPatch!.step).toBeGreaterThan(bind!.step);
    const pod = cluster.store.get(`/registry/pods/default/${podName}`)!.value as Obj;
    expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(pod.status.hostIP).toBe(cluster.nodes.get(target)!.host.address);
  });

  it('ends with both nodes Ready, with pod CIDRs, and both pods Running', () => {
    for (const name of ['worker-1', 'worker-2']) {
      const node = cluster.store.get(`/registry/minions/${name}`)!.value as Obj;
      expect(node.status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
      expect(node.spec.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
      expect(node.metadata.labels['kubernetes.io/hostname']).toBe(name);
    }
    const pods = cluster.store.range('/registry/pods/default/').map((kv) => kv.value as Obj);
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(pod.status.phase).toBe('Running');
  });

  it('issues a certificate that verifies against the cluster CA with openssl', () => {
    const pem = cluster.nodes.get('worker-1')!.host.disk.clientCertificatePem!;
    let openssl = true;
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
    } catch {
      openssl = false;
    }
    if (!openssl) {
      console.warn('skipped: openssl is not installed, so the certificate was not checked with it');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'kube-learn-'));
    writeFileSync(join(dir, 'ca.crt'), cluster.pki.ca.pem);
    writeFileSync(join(dir, 'kubelet.crt'), pem);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, 'kubelet.crt')], { encoding: 'utf8' })).toContain('OK');
    expect(execFileSync('openssl', ['x509', '-in', join(dir, 'kubelet.crt'), '-noout', '-subject'], { encoding: 'utf8' })).toMatch(/O\s*=\s*system:nodes, CN\s*=\s*system:node:worker-1/);
  });
});

describe('identities the API server enforces', () => {
  const cluster = play(builtin('first-node'), 60_000);

  it("refuses node A patching node B's status (NodeRestriction, 403)", () => {
    const client = cluster.nodes.get('worker-1')!.kubelet!;
    void client;
    const worker1 = cluster.nodes.get('worker-1')!;
    const pem = worker1.host.disk.clientCertificatePem!;
    const res = cluster.apiserver.handle({
      method: 'PATCH',
      path: '/api/v1/nodes/worker-2/status',
      body: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      contentType: 'application/strategic-merge-patch+json',
      credentials: { clientCertificate: pem },
      from: 'kubelet/worker-1',
      why: 'test',
    });
    expect(res.status).toBe(403);
    expect((res.body as Obj).message).toContain('node "worker-1" is not allowed to modify node "worker-2"');
  });

  it('does not let a bootstrap token list nodes', () => {
    const res = cluster.apiserver.handle({ method: 'GET', path: '/api/v1/nodes', credentials: { bearerToken: 'abcdef.0123456789abcdef' }, from: 'test', why: 'test' });
    expect(res.status).toBe(403);
    expect((res.body as Obj).message).toBe('nodes is forbidden: User "system:bootstrap:abcdef" cannot list resource "nodes" in API group "" at the cluster scope');
  });
});

describe('rejected-token: a token the cluster never issued', () => {
  const cluster = play(builtin('rejected-token'));
  const steps = cluster.sim.recorder.steps.filter((s) => s.node === 'worker-2');

  it('gets 401 Unauthorized, never creates a Node, and no kube-proxy starts there', () => {
    expect(cluster.sim.recorder.steps.some((s) => s.from === 'kube-proxy/worker-2')).toBe(false);
    expect(steps.length).toBeGreaterThan(0);
    const requests = steps.filter((s) => s.kind === 'request' && s.from === 'kubelet/worker-2');
    expect(requests.every((s) => s.status === 401)).toBe(true);
    expect(requests.some((s) => s.path === '/apis/certificates.k8s.io/v1/certificatesigningrequests')).toBe(true);
    expect(cluster.store.get('/registry/minions/worker-2')).toBeUndefined();
    expect(cluster.store.get('/registry/minions/worker-1')).toBeDefined();
  });

  it('exits and is restarted by systemd, again and again', () => {
    const exits = steps.filter((s) => s.summary.startsWith('kubelet exits'));
    expect(exits.length).toBeGreaterThanOrEqual(2);
    expect(exits[1].t - exits[0].t).toBeGreaterThan(10_000);
  });
});
