import { describe, expect, it } from 'vitest';
import type { Attributes, KubeObject, UserInfo } from '../../../api/meta.js';
import { bootstrapPolicy } from './bootstrap-policy.js';
import { clusterRole, clusterRoleBinding, group, role, roleBinding, rule, serviceAccount } from './policy-builders.js';
import { createRbacAuthorizer } from './rbac-authorizer.js';
import { staticLookup } from './static-lookup.js';

const bootstrap: UserInfo = {
  name: 'system:bootstrap:abcdef',
  groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
};
const sa = (namespace: string, name: string): UserInfo => ({
  name: `system:serviceaccount:${namespace}:${name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
});
const anonymous: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

const rbac = createRbacAuthorizer(staticLookup(bootstrapPolicy()));
const ask = (user: UserInfo, verb: string, resource: string, more: Partial<Attributes> = {}) =>
  rbac.authorize({ user, verb, resource, resourceRequest: true, apiGroup: '', ...more });
const path = (user: UserInfo, p: string) => rbac.authorize({ user, verb: 'get', resourceRequest: false, path: p });

describe('RBAC over the bootstrap policy: the bootstrap token', () => {
  it('may create and watch CSRs, and says which binding allowed it', () => {
    const result = ask(bootstrap, 'create', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io' });
    expect(result).toEqual({
      decision: 'allow',
      authorizer: 'RBAC',
      reason:
        'RBAC: allowed by ClusterRoleBinding "kubeadm:kubelet-bootstrap" of ClusterRole "system:node-bootstrapper" to Group "system:bootstrappers:kubeadm:default-node-token"',
    });
    expect(ask(bootstrap, 'watch', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io' }).decision).toBe('allow');
  });

  it('may get a node (kubeadm:get-nodes) but not list nodes, and RBAC then has no opinion and no reason', () => {
    expect(ask(bootstrap, 'get', 'nodes', { name: 'worker-1' }).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "kubeadm:get-nodes" of ClusterRole "kubeadm:get-nodes" to Group "system:bootstrappers:kubeadm:default-node-token"',
    );
    expect(ask(bootstrap, 'list', 'nodes')).toMatchObject({ decision: 'no-opinion', reason: '' });
  });

  it('passes the csrapprover SubjectAccessReview for nodeclient but not selfnodeclient', () => {
    const sar = (subresource: string) => ask(bootstrap, 'create', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io', subresource });
    expect(sar('nodeclient').decision).toBe('allow');
    expect(sar('selfnodeclient').decision).toBe('no-opinion');
  });

  it('may read the kube-proxy ConfigMap through a RoleBinding, and no other ConfigMap', () => {
    expect(ask(bootstrap, 'get', 'configmaps', { namespace: 'kube-system', name: 'kube-proxy' }).reason).toBe(
      'RBAC: allowed by RoleBinding "kube-proxy/kube-system" of Role "kube-proxy" to Group "system:bootstrappers:kubeadm:default-node-token"',
    );
    expect(ask(bootstrap, 'get', 'configmaps', { namespace: 'kube-system', name: 'kubeadm-config' }).decision).toBe('no-opinion');
    expect(ask(bootstrap, 'get', 'configmaps', { namespace: 'default', name: 'kube-proxy' }).decision).toBe('no-opinion');
  });
});

describe('RBAC over the bootstrap policy: components', () => {
  it('lets kube-proxy watch EndpointSlices, Services and Nodes, but not Pods', () => {
    const proxy = sa('kube-system', 'kube-proxy');
    const slices = ask(proxy, 'watch', 'endpointslices', { apiGroup: 'discovery.k8s.io' });
    expect(slices.reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "kubeadm:node-proxier" of ClusterRole "system:node-proxier" to ServiceAccount "kube-proxy/kube-system"',
    );
    expect(ask(proxy, 'watch', 'services').decision).toBe('allow');
    expect(ask(proxy, 'list', 'nodes').decision).toBe('allow');
    expect(ask(proxy, 'watch', 'pods').decision).toBe('no-opinion');
  });

  it('lets the certificate controller approve and sign kubelet client certificates only', () => {
    const ctrl = sa('kube-system', 'certificate-controller');
    const signer = (verb: string, name: string) => ask(ctrl, verb, 'signers', { apiGroup: 'certificates.k8s.io', name });
    expect(signer('approve', 'kubernetes.io/kube-apiserver-client-kubelet').decision).toBe('allow');
    expect(signer('approve', 'kubernetes.io/kubelet-serving').decision).toBe('no-opinion');
    expect(signer('sign', 'kubernetes.io/kubelet-serving').decision).toBe('allow');
    const approval = ask(ctrl, 'update', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io', subresource: 'approval', name: 'csr-1' });
    expect(approval.decision).toBe('allow');
    expect(ask(ctrl, 'create', 'subjectaccessreviews', { apiGroup: 'authorization.k8s.io' }).decision).toBe('allow');
  });

  it('lets the node controller delete pods and update node status, and the scheduler bind pods', () => {
    const nodeController = sa('kube-system', 'node-controller');
    expect(ask(nodeController, 'delete', 'pods', { namespace: 'default', name: 'web-1' }).decision).toBe('allow');
    expect(ask(nodeController, 'update', 'nodes', { name: 'worker-1', subresource: 'status' }).decision).toBe('allow');
    const scheduler = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };
    expect(ask(scheduler, 'create', 'pods', { namespace: 'default', name: 'web-1', subresource: 'binding' }).decision).toBe('allow');
    expect(ask(scheduler, 'create', 'pods', { namespace: 'default' }).decision).toBe('no-opinion');
  });

  it('lets a node renewing its certificate pass the selfnodeclient review', () => {
    const node = { name: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };
    const review = ask(node, 'create', 'certificatesigningrequests', { apiGroup: 'certificates.k8s.io', subresource: 'selfnodeclient' });
    expect(review.reason).toContain('kubeadm:node-autoapprove-certificate-rotation');
  });

  it('gives system:masters everything, resources and paths alike', () => {
    const admin = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    expect(ask(admin, 'deletecollection', 'widgets', { apiGroup: 'example.com', namespace: 'x' }).decision).toBe('allow');
    expect(path(admin, '/metrics').decision).toBe('allow');
  });
});

describe('RBAC: non-resource URLs', () => {
  it('lets anonymous users read /healthz and /version but not API discovery', () => {
    expect(path(anonymous, '/healthz').reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"',
    );
    expect(path(anonymous, '/version').decision).toBe('allow');
    expect(path(anonymous, '/apis').decision).toBe('no-opinion');
  });

  it('lets authenticated users discover APIs through the /apis/* prefix rule', () => {
    expect(path(bootstrap, '/apis/apps/v1').decision).toBe('allow');
    expect(path(bootstrap, '/metrics').decision).toBe('no-opinion');
  });
});

describe('RBAC: rule matching and resolution', () => {
  const custom: KubeObject[] = [
    clusterRole('scaler', [rule(['get'], ['*'], ['*/scale'])]),
    clusterRoleBinding('scaler', 'scaler', [group('scalers')]),
    clusterRoleBinding('dangling', 'missing', [group('scalers')]),
    role('team', 'reader', [rule(['get'], [''], ['pods'])]),
    roleBinding('team', 'reader', 'reader', [serviceAccount('', 'robot')]),
  ];
  const authz = createRbacAuthorizer(staticLookup(custom));
  const scaler = { name: 'alice', groups: ['scalers'] };

  it('matches a star-slash-subresource rule only for that subresource', () => {
    const attrs = { user: scaler, verb: 'get', resourceRequest: true, apiGroup: 'apps', resource: 'deployments', namespace: 'x', name: 'web' };
    expect(authz.authorize({ ...attrs, subresource: 'scale' }).decision).toBe('allow');
    expect(authz.authorize({ ...attrs, subresource: 'status' }).decision).toBe('no-opinion');
  });

  it('reports a binding to a missing role in its reason, as real RBAC does', () => {
    const result = authz.authorize({ user: scaler, verb: 'list', resourceRequest: true, apiGroup: '', resource: 'pods' });
    expect(result).toMatchObject({ decision: 'no-opinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found' });
  });

  it("defaults a RoleBinding's ServiceAccount subject to the binding's namespace", () => {
    const get = (user: UserInfo) => authz.authorize({ user, verb: 'get', resourceRequest: true, apiGroup: '', resource: 'pods', namespace: 'team', name: 'p' });
    expect(get(sa('team', 'robot')).reason).toBe('RBAC: allowed by RoleBinding "reader/team" of Role "reader" to ServiceAccount "robot/team"');
    expect(get(sa('other', 'robot')).decision).toBe('no-opinion');
  });
});
