import { describe, expect, it } from 'vitest';
import type { Attributes, KubeObject, UserInfo } from '../../../api/meta.js';
import { createNodeAuthorizer } from './node-authorizer.js';
import { staticLookup } from './static-lookup.js';
import type { AuthorizerDecision } from './types.js';

const node = (name: string): UserInfo => ({ name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] });

function pod(name: string, nodeName: string | undefined, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations }, spec: { nodeName, containers: [], ...spec } };
}

const objects: KubeObject[] = [
  pod('web-1', 'worker-1', {
    serviceAccountName: 'web',
    imagePullSecrets: [{ name: 'registry' }],
    volumes: [{ name: 'tls', secret: { secretName: 'web-tls' } }, { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } }],
    containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'web-config' } }], env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db-password', key: 'p' } } }] }],
  }),
  pod('db-1', 'worker-2', { volumes: [{ name: 's', secret: { secretName: 'db-tls' } }] }),
  pod('pending', undefined, { volumes: [{ name: 's', secret: { secretName: 'pending-secret' } }] }),
  pod('static-web-worker-1', 'worker-1', { volumes: [{ name: 's', secret: { secretName: 'mirror-secret' } }] }, { 'kubernetes.io/config.mirror': 'abc' }),
];

const authorizer = createNodeAuthorizer(staticLookup(objects));

function ask(user: UserInfo, verb: string, resource: string, more: Partial<Attributes> = {}): AuthorizerDecision {
  return authorizer.authorize({ user, verb, resource, resourceRequest: true, apiGroup: '', ...more }) as AuthorizerDecision;
}

describe('Node authorizer: who it speaks for', () => {
  it('has no opinion, and no reason, for users that are not nodes', () => {
    const bootstrap = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
    expect(ask(bootstrap, 'get', 'nodes', { name: 'worker-1' })).toMatchObject({ decision: 'no-opinion', reason: '' });
    // The name alone is not enough: the group system:nodes is required too.
    expect(ask({ name: 'system:node:worker-1', groups: ['system:authenticated'] }, 'get', 'nodes', { name: 'worker-1' }).decision).toBe('no-opinion');
  });

  it('refuses a node user without a node name', () => {
    expect(ask(node(''), 'get', 'nodes', { name: 'x' }).reason).toBe('unknown node for user "system:node:"');
  });
});

describe('Node authorizer: Node objects (AuthorizeNodeWithSelectors)', () => {
  it('lets a node read only its own Node, also by metadata.name field selector', () => {
    expect(ask(node('worker-1'), 'get', 'nodes', { name: 'worker-1' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'watch', 'nodes', { fieldSelector: 'metadata.name=worker-1' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'get', 'nodes', { name: 'worker-2' }).reason).toBe("node 'worker-1' cannot read 'worker-2', only its own Node object");
    expect(ask(node('worker-1'), 'list', 'nodes').reason).toBe("node 'worker-1' cannot read all nodes, only its own Node object");
  });

  it('lets any node create, update and patch nodes and nodes/status (NodeRestriction narrows it)', () => {
    for (const [verb, subresource] of [['create', undefined], ['update', undefined], ['patch', 'status'], ['update', 'status']] as const) {
      expect(ask(node('worker-1'), verb, 'nodes', { name: 'worker-2', subresource }).decision).toBe('allow');
    }
    expect(ask(node('worker-1'), 'delete', 'nodes', { name: 'worker-1' })).toMatchObject({ decision: 'no-opinion', reason: '' });
  });

  it('falls back to the static rules when the feature gate is off', () => {
    const old = createNodeAuthorizer(staticLookup(objects), { authorizeNodeWithSelectors: false });
    expect(old.authorize({ user: node('worker-1'), verb: 'list', resource: 'nodes', apiGroup: '', resourceRequest: true }).decision).toBe('allow');
  });
});

describe('Node authorizer: pods', () => {
  it('lets a node list and watch pods only with its own spec.nodeName field selector', () => {
    expect(ask(node('worker-1'), 'watch', 'pods', { fieldSelector: 'spec.nodeName=worker-1' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'list', 'pods', { fieldSelector: 'spec.nodeName=worker-2' }).reason).toBe(
      'can only list/watch pods with spec.nodeName field selector',
    );
    expect(ask(node('worker-1'), 'list', 'pods').decision).toBe('no-opinion');
  });

  it('lets a node get a pod bound to it but not one bound elsewhere', () => {
    expect(ask(node('worker-1'), 'get', 'pods', { namespace: 'default', name: 'web-1' }).decision).toBe('allow');
    const other = ask(node('worker-1'), 'get', 'pods', { namespace: 'default', name: 'db-1' });
    expect(other.reason).toBe("no relationship found between node 'worker-1' and this object");
    expect(other.detail).toBe("node 'worker-1' cannot get pod default/db-1, no relationship to this object was found in the node authorizer graph");
    expect(ask(node('worker-1'), 'get', 'pods', { namespace: 'default', name: 'ghost' }).detail).toBe("node 'worker-1' cannot get unknown pod default/ghost");
  });

  it('allows pod status updates, mirror pod create/delete and evictions for NodeRestriction to narrow', () => {
    expect(ask(node('worker-1'), 'patch', 'pods', { namespace: 'default', name: 'db-1', subresource: 'status' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'create', 'pods', { namespace: 'default' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'create', 'pods', { namespace: 'default', name: 'web-1', subresource: 'eviction' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'update', 'pods', { namespace: 'default', name: 'web-1' }).decision).toBe('no-opinion');
  });
});

describe('Node authorizer: objects reached through the graph', () => {
  it('lets a node read the secrets and configmaps its pods use, by volume, env, envFrom and imagePullSecrets', () => {
    for (const name of ['web-tls', 'db-password', 'registry']) {
      expect(ask(node('worker-1'), 'get', 'secrets', { namespace: 'default', name }).decision).toBe('allow');
    }
    const cm = ask(node('worker-1'), 'watch', 'configmaps', { namespace: 'default', fieldSelector: 'metadata.name=web-config' });
    expect(cm.decision).toBe('allow');
    expect(cm.reason).toContain('used by pod default/web-1');
    expect(ask(node('worker-1'), 'get', 'persistentvolumeclaims', { namespace: 'default', name: 'web-data' }).decision).toBe('allow');
  });

  it("refuses another node's secrets, unknown secrets, and secrets of pods not yet scheduled", () => {
    const other = ask(node('worker-1'), 'get', 'secrets', { namespace: 'default', name: 'db-tls' });
    expect(other).toMatchObject({ decision: 'no-opinion', reason: "no relationship found between node 'worker-1' and this object" });
    expect(ask(node('worker-1'), 'get', 'secrets', { namespace: 'default', name: 'pending-secret' }).detail).toBe(
      "node 'worker-1' cannot get unknown secret default/pending-secret",
    );
    expect(ask(node('worker-3'), 'get', 'secrets', { namespace: 'default', name: 'web-tls' }).detail).toBe(
      "unknown node 'worker-3' cannot get secret default/web-tls",
    );
  });

  it('never grants anything through a mirror pod', () => {
    expect(ask(node('worker-1'), 'get', 'secrets', { namespace: 'default', name: 'mirror-secret' }).decision).toBe('no-opinion');
  });

  it('only reads: listing all secrets or writing one has no opinion', () => {
    expect(ask(node('worker-1'), 'list', 'secrets', { namespace: 'default' }).reason).toBe('No Object name found');
    expect(ask(node('worker-1'), 'create', 'secrets', { namespace: 'default' }).reason).toBe('can only read resources of this type');
    expect(ask(node('worker-1'), 'list', 'persistentvolumeclaims', { namespace: 'default' }).reason).toBe(
      'can only get individual resources of this type',
    );
  });

  it('mints service account tokens only for service accounts of its pods', () => {
    const token = (name: string, subresource?: string) =>
      ask(node('worker-1'), 'create', 'serviceaccounts', { namespace: 'default', name, subresource });
    expect(token('web', 'token').decision).toBe('allow');
    expect(token('admin', 'token').decision).toBe('no-opinion');
    expect(token('web').reason).toBe('can only create token subresource of serviceaccount');
  });
});

describe('Node authorizer: leases and static rules', () => {
  const lease = (user: UserInfo, verb: string, name?: string, namespace = 'kube-node-lease') =>
    ask(user, verb, 'leases', { apiGroup: 'coordination.k8s.io', namespace, name });

  it('lets a node renew its own lease but not another node\'s', () => {
    expect(lease(node('worker-1'), 'update', 'worker-1').decision).toBe('allow');
    expect(lease(node('worker-1'), 'create').decision).toBe('allow');
    expect(lease(node('worker-1'), 'update', 'worker-2').reason).toBe('can only access node lease with the same name as the requesting node');
    expect(lease(node('worker-1'), 'get', 'worker-1', 'default').reason).toBe('can only access leases in the "kube-node-lease" system namespace');
    expect(lease(node('worker-1'), 'list').reason).toBe('can only get, create, update, patch, or delete a node lease');
  });

  it('checks everything else against the static node rules', () => {
    const csr = { apiGroup: 'certificates.k8s.io' };
    expect(ask(node('worker-1'), 'create', 'certificatesigningrequests', csr).decision).toBe('allow');
    expect(ask(node('worker-1'), 'watch', 'services').decision).toBe('allow');
    expect(ask(node('worker-1'), 'create', 'events', { namespace: 'default' }).decision).toBe('allow');
    expect(ask(node('worker-1'), 'list', 'endpointslices', { apiGroup: 'discovery.k8s.io' })).toMatchObject({ decision: 'no-opinion', reason: '' });
    expect(ask(node('worker-1'), 'create', 'certificatesigningrequests', { ...csr, subresource: 'selfnodeclient' }).decision).toBe('no-opinion');
  });
});
