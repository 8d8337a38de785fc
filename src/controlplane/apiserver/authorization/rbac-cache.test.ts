import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { createTestApi } from '../../../cluster/testing.js';
import type { Process } from '../../../sim/simulation.js';
import type { ApiResponse } from '../../../api/request.js';
import { clusterRole, clusterRoleBinding, roleBinding, rule } from './policy-builders.js';
import { createRbacAuthorizer } from './rbac-authorizer.js';
import type { Authorizer, Subject } from './types.js';

/**
 * The API server keeps the binding lists the RBAC authorizer reads between requests. Each
 * write of a binding must be seen by the very next request: granted, changed, taken away.
 */
function rbacApi() {
  let rbac: Authorizer | undefined;
  const api = createTestApi({ authorizer: { name: 'RBAC', authorize: (attrs) => rbac!.authorize(attrs) } });
  rbac = createRbacAuthorizer(api.apiserver.lookup);
  const registry = api.apiserver.registry;
  const resource = (name: string) => api.apiserver.findResource('rbac.authorization.k8s.io', name)!;
  const ctx = { user: { name: 'system:apiserver', groups: [] }, now: api.sim.clock.rfc3339() };
  const put = (obj: KubeObject, kind: string) => registry.create(resource(kind), obj.metadata.namespace, obj, ctx, () => undefined);
  const remove = (kind: string, namespace: string | undefined, name: string) =>
    registry.delete(resource(kind), namespace, name, { now: ctx.now, nowMs: api.sim.nowMs, formatTime: () => ctx.now }, () => undefined);
  const get = (user: string, path: string): ApiResponse => {
    const client = api.client(user, user);
    let result: ApiResponse | undefined;
    api.sim.spawn(client.actor, (function* (): Process<void> {
      result = yield* client.get(path, { why: 'test' });
    })());
    api.sim.runUntil(api.sim.nowMs + 1_000);
    return result!;
  };
  return { api, put, remove, get };
}

const reader = clusterRole('configmap-reader', [rule(['get', 'list'], [''], ['configmaps'])]);
const user = (name: string): Subject[] => [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name }];

describe('RBAC with the API server: binding writes take effect on the next request', () => {
  it('allows after a ClusterRoleBinding is created and forbids again once it is deleted', () => {
    const { put, remove, get } = rbacApi();
    put(reader, 'clusterroles');
    expect(get('alice', '/api/v1/namespaces/default/configmaps').status).toBe(403);
    put(clusterRoleBinding('alice-reads', 'configmap-reader', user('alice')), 'clusterrolebindings');
    expect(get('alice', '/api/v1/namespaces/default/configmaps').status).toBe(200);
    expect(get('bob', '/api/v1/namespaces/default/configmaps').status).toBe(403);
    remove('clusterrolebindings', undefined, 'alice-reads');
    expect(get('alice', '/api/v1/namespaces/default/configmaps').status).toBe(403);
  });

  it('sees a binding that sorts before the ones already read, and a RoleBinding only in its own namespace', () => {
    const { put, remove, get } = rbacApi();
    put(reader, 'clusterroles');
    put(clusterRoleBinding('zz-carol-reads', 'configmap-reader', user('carol')), 'clusterrolebindings');
    expect(get('dave', '/api/v1/namespaces/default/configmaps').status).toBe(403);
    put(clusterRoleBinding('aa-dave-reads', 'configmap-reader', user('dave')), 'clusterrolebindings');
    expect(get('dave', '/api/v1/namespaces/default/configmaps').status).toBe(200);

    expect(get('erin', '/api/v1/namespaces/kube-system/configmaps').status).toBe(403);
    const binding = roleBinding('kube-system', 'erin-reads', 'configmap-reader', user('erin'));
    put({ ...binding, roleRef: { ...(binding as unknown as { roleRef: object }).roleRef, kind: 'ClusterRole' } } as KubeObject, 'rolebindings');
    expect(get('erin', '/api/v1/namespaces/kube-system/configmaps').status).toBe(200);
    expect(get('erin', '/api/v1/namespaces/default/configmaps').status).toBe(403);
    remove('rolebindings', 'kube-system', 'erin-reads');
    expect(get('erin', '/api/v1/namespaces/kube-system/configmaps').status).toBe(403);
  });
});
