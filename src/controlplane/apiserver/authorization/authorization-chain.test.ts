import { describe, expect, it } from 'vitest';
import type { Attributes, KubeObject, UserInfo } from '../../../api/meta.js';
import { bootstrapPolicy } from './bootstrap-policy.js';
import { forbiddenMessage, forbiddenStatus } from './forbidden.js';
import { createNodeAuthorizer } from './node-authorizer.js';
import { createRbacAuthorizer } from './rbac-authorizer.js';
import { staticLookup } from './static-lookup.js';
import type { Authorizer } from './types.js';
import { unionAuthorizer } from './union.js';

/** The `--authorization-mode=Node,RBAC` chain over a kubeadm cluster with one pod on worker-1. */
const objects: KubeObject[] = [
  ...bootstrapPolicy(),
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default' }, spec: { nodeName: 'worker-1', containers: [] } },
];
const lookup = staticLookup(objects);
const chain = unionAuthorizer([createNodeAuthorizer(lookup), createRbacAuthorizer(lookup)]);

const bootstrap: UserInfo = {
  name: 'system:bootstrap:abcdef',
  groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
};
const node = (name: string): UserInfo => ({ name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] });

/** Authorizes, and on refusal returns the 403 message kube-apiserver would send. */
function request(attrs: Partial<Attributes> & { user: UserInfo; verb: string }): { decision: string; by?: string; message?: string } {
  const full: Attributes = { resourceRequest: true, apiGroup: '', ...attrs };
  const result = chain.authorize(full);
  if (result.decision === 'allow') return { decision: 'allow', by: result.authorizer };
  return { decision: result.decision, message: forbiddenMessage(full, result.reason) };
}

describe('Node,RBAC chain: the bootstrap identity', () => {
  it('may create a CSR (RBAC allows it)', () => {
    expect(request({ user: bootstrap, verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' })).toEqual({
      decision: 'allow',
      by: 'RBAC',
    });
  });

  it('may not list nodes, with the exact 403 message', () => {
    expect(request({ user: bootstrap, verb: 'list', resource: 'nodes' })).toEqual({
      decision: 'deny',
      message: 'nodes is forbidden: User "system:bootstrap:abcdef" cannot list resource "nodes" in API group "" at the cluster scope',
    });
  });
});

describe('Node,RBAC chain: kubelets', () => {
  const lease = (user: UserInfo, name: string) =>
    request({ user, verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name });

  it('lets node A renew its own lease (the Node authorizer decides) but not B\'s', () => {
    expect(lease(node('worker-1'), 'worker-1')).toEqual({ decision: 'allow', by: 'Node' });
    expect(lease(node('worker-1'), 'worker-2').message).toBe(
      'leases.coordination.k8s.io "worker-2" is forbidden: User "system:node:worker-1" cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node',
    );
  });

  it('explains a refused secret read with the Node authorizer\'s reason', () => {
    expect(request({ user: node('worker-1'), verb: 'get', resource: 'secrets', namespace: 'default', name: 'db' }).message).toBe(
      'secrets "db" is forbidden: User "system:node:worker-1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node \'worker-1\' and this object',
    );
  });

  it('names the object a list was narrowed to with a metadata.name field selector', () => {
    expect(request({ user: node('worker-1'), verb: 'watch', resource: 'nodes', fieldSelector: 'metadata.name=worker-2' }).message).toBe(
      'nodes "worker-2" is forbidden: User "system:node:worker-1" cannot watch resource "nodes" in API group "" at the cluster scope: node \'worker-1\' cannot read \'worker-2\', only its own Node object',
    );
  });

  it('lets RBAC approve what the Node authorizer has no opinion on (selfnodeclient review)', () => {
    const review = request({ user: node('worker-1'), verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', subresource: 'selfnodeclient' });
    expect(review).toEqual({ decision: 'allow', by: 'RBAC' });
  });
});

describe('forbidden messages and the union', () => {
  it('words refused non-resource requests without a resource prefix', () => {
    const anonymous = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
    const attrs: Attributes = { user: anonymous, verb: 'get', resourceRequest: false, path: '/apis' };
    expect(chain.authorize(attrs).decision).toBe('deny');
    expect(forbiddenMessage(attrs)).toBe('forbidden: User "system:anonymous" cannot get path "/apis"');
    expect(chain.authorize({ ...attrs, path: '/readyz' }).decision).toBe('allow');
  });

  it('includes subresources in the message and fills the Status details', () => {
    const attrs: Attributes = {
      user: bootstrap, verb: 'patch', resourceRequest: true, apiGroup: '', resource: 'nodes', subresource: 'status', name: 'worker-1',
    };
    expect(forbiddenStatus(attrs)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
      message: 'nodes "worker-1" is forbidden: User "system:bootstrap:abcdef" cannot patch resource "nodes/status" in API group "" at the cluster scope',
      details: { name: 'worker-1', kind: 'nodes' },
    });
  });

  it('lets the first allow or deny win and joins the reasons of authorizers with no opinion', () => {
    const says = (decision: 'allow' | 'deny' | 'no-opinion', reason: string, name: string): Authorizer => ({
      name, authorize: () => ({ decision, reason }),
    });
    const attrs: Attributes = { user: bootstrap, verb: 'get', resourceRequest: false, path: '/x' };
    expect(unionAuthorizer([says('no-opinion', 'a', 'A'), says('deny', 'no', 'B'), says('allow', '', 'C')]).authorize(attrs)).toMatchObject({
      decision: 'deny', reason: 'no', authorizer: 'B',
    });
    expect(unionAuthorizer([says('no-opinion', 'a', 'A'), says('no-opinion', '', 'B'), says('no-opinion', 'c', 'C')]).authorize(attrs)).toMatchObject({
      decision: 'deny', reason: 'a\nc',
    });
    expect(unionAuthorizer([]).authorize(attrs).decision).toBe('deny');
  });
});
