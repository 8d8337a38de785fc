import { describe, expect, it } from 'vitest';
import { createTestApi } from '../../../cluster/testing.js';
import { CsrApprovingController } from './csr-approving-controller.js';
import { BOOTSTRAP_GROUPS, BOOTSTRAP_USER, csrAuthorizer, storedCsr, submitCsr } from './test-support.js';

const CONTROLLER_USER = 'system:serviceaccount:kube-system:certificate-controller';

function setup(authorizer = csrAuthorizer()) {
  const api = createTestApi({ seed: 3, authorizer });
  const controller = new CsrApprovingController(api.context('csrapproving', CONTROLLER_USER));
  controller.start();
  return api;
}

const sarSteps = (api: ReturnType<typeof setup>) =>
  api.sim.recorder.steps.filter((s) => s.method === 'POST' && s.path === '/apis/authorization.k8s.io/v1/subjectaccessreviews');

describe('csrapproving controller', () => {
  it('approves a bootstrap CSR after the nodeclient SubjectAccessReview allows it', () => {
    const api = setup();
    submitCsr(api, 'node-csr-a');
    api.sim.runUntil(2_000);

    const sars = sarSteps(api);
    // The requester is the bootstrap token, not the node, so only the nodeclient recogniser applies.
    expect(sars).toHaveLength(1);
    expect((sars[0].request as any).spec).toMatchObject({
      user: BOOTSTRAP_USER,
      groups: [...BOOTSTRAP_GROUPS, 'system:authenticated'],
      resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'nodeclient', verb: 'create' },
    });
    expect((sars[0].response as any).status.allowed).toBe(true);

    const approval = api.sim.recorder.steps.find((s) => s.method === 'PUT' && s.path?.endsWith('/node-csr-a/approval'));
    expect(approval?.status).toBe(200);
    expect(approval?.user).toBe(CONTROLLER_USER);
    const conditions = storedCsr(api, 'node-csr-a').status?.conditions;
    expect(conditions).toEqual([
      {
        type: 'Approved',
        status: 'True',
        reason: 'AutoApproved',
        message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
        lastUpdateTime: approval && api.sim.clock.rfc3339(approval.t),
        lastTransitionTime: approval && api.sim.clock.rfc3339(approval.t),
      },
    ]);
    // Approval is not signing: no certificate yet.
    expect(storedCsr(api, 'node-csr-a').status?.certificate).toBeUndefined();
  });

  it('uses the selfnodeclient recogniser first when a node renews its own certificate', () => {
    const api = setup();
    submitCsr(api, 'csr-renew', { user: 'system:node:worker-1', groups: ['system:nodes'] });
    api.sim.runUntil(2_000);

    const subresources = sarSteps(api).map((s) => (s.request as any).spec.resourceAttributes.subresource);
    expect(subresources).toEqual(['selfnodeclient']);
    expect(storedCsr(api, 'csr-renew').status?.conditions?.[0].message).toBe('Auto approving self kubelet client certificate after SubjectAccessReview.');
  });

  it('leaves the CSR pending, never denied, when the SubjectAccessReview says no', () => {
    const api = setup(csrAuthorizer({ nodeclientGroup: 'system:bootstrappers:someone-else' }));
    submitCsr(api, 'node-csr-b');
    api.sim.runUntil(60_000);

    expect(storedCsr(api, 'node-csr-b').status?.conditions ?? []).toEqual([]);
    expect(api.sim.recorder.steps.some((s) => s.path?.endsWith('/approval'))).toBe(false);
    // It keeps asking with exponential backoff (200ms doubling), so a later RBAC binding would still work...
    const sars = sarSteps(api);
    expect(sars.length).toBeGreaterThan(3);
    expect(sars.length).toBeLessThan(12);
    expect(sars.every((s) => (s.response as any).status.allowed === false)).toBe(true);
    // ...but explains itself only once.
    const decisions = api.sim.recorder.steps.filter((s) => s.kind === 'decision' && s.summary.includes('node-csr-b'));
    expect(decisions).toHaveLength(1);
    expect(decisions[0].summary).toContain('pending');
  });

  it('ignores requests that are not kubelet client certificates', () => {
    const api = setup();
    submitCsr(api, 'csr-admin', { commonName: 'system:node:worker-1', organizations: ['system:masters'] });
    api.sim.runUntil(5_000);

    expect(sarSteps(api)).toHaveLength(0);
    expect(storedCsr(api, 'csr-admin').status?.conditions ?? []).toEqual([]);
  });
});
