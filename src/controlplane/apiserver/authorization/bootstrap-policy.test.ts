import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { bootstrapPolicy } from './bootstrap-policy.js';
import { CONTROLLER_SERVICE_ACCOUNTS } from './controller-roles.js';
import type { BindingObject } from './types.js';

const policy = bootstrapPolicy();
const named = (kind: string, name: string, namespace?: string): KubeObject | undefined =>
  policy.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

describe('bootstrapPolicy', () => {
  it('is made of rbac.authorization.k8s.io/v1 objects with unique names', () => {
    const keys = policy.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const o of policy) expect(o.apiVersion).toBe('rbac.authorization.k8s.io/v1');
  });

  it('has the kubeadm TLS bootstrap bindings under their kubeadm names', () => {
    const subjects = (name: string) => (named('ClusterRoleBinding', name) as BindingObject).subjects?.map((s) => s.name);
    expect((named('ClusterRoleBinding', 'kubeadm:kubelet-bootstrap') as BindingObject).roleRef.name).toBe('system:node-bootstrapper');
    expect(subjects('kubeadm:node-autoapprove-bootstrap')).toEqual(['system:bootstrappers:kubeadm:default-node-token']);
    expect(subjects('kubeadm:node-autoapprove-certificate-rotation')).toEqual(['system:nodes']);
    expect((named('ClusterRoleBinding', 'kubeadm:node-proxier') as BindingObject).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' },
    ]);
  });

  it('marks the apiserver defaults as auto-updated bootstrapping objects, but not kubeadm\'s', () => {
    expect(named('ClusterRole', 'system:node-bootstrapper')?.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    expect(named('ClusterRoleBinding', 'kubeadm:kubelet-bootstrap')?.metadata.labels).toBeUndefined();
  });

  it('binds every role it references', () => {
    for (const binding of policy.filter((o) => o.kind.endsWith('Binding')) as BindingObject[]) {
      const roleNamespace = binding.roleRef.kind === 'Role' ? binding.metadata.namespace : undefined;
      expect(named(binding.roleRef.kind, binding.roleRef.name, roleNamespace), binding.metadata.name).toBeDefined();
    }
  });

  it('has a role for every controller service account, and none for node-ipam or taint-eviction', () => {
    for (const account of new Set(Object.values(CONTROLLER_SERVICE_ACCOUNTS))) {
      const grant = named('ClusterRoleBinding', `system:controller:${account}`) ?? named('RoleBinding', `system:controller:${account}`, 'kube-system');
      expect(grant, account).toBeDefined();
    }
    expect(named('ClusterRole', 'system:controller:node-ipam-controller')).toBeUndefined();
    expect(CONTROLLER_SERVICE_ACCOUNTS['taint-eviction-controller']).toBe('node-controller');
  });

  it('returns fresh objects on every call', () => {
    const first = bootstrapPolicy();
    (first[0].rules as unknown[]).length = 0;
    expect((bootstrapPolicy()[0].rules as unknown[]).length).toBeGreaterThan(0);
  });
});
