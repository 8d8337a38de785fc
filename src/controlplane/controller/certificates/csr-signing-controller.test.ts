import { describe, expect, it } from 'vitest';
import { createTestApi } from '../../../cluster/testing.js';
import { EPOCH_MS } from '../../../sim/clock.js';
import { Prng } from '../../../sim/prng.js';
import { parseCertificate, verifyCertificate } from '../../../pki/index.js';
import { createClusterPki } from '../../../cluster/pki-setup.js';
import { base64Decode, utf8Decode } from '../../../pki/encoding.js';
import { CsrApprovingController } from './csr-approving-controller.js';
import { BACKDATE_MS, CsrSigningController, type ClusterCa } from './csr-signing-controller.js';
import { approveByHand, csrAuthorizer, storedCsr, submitCsr } from './test-support.js';

const CONTROLLER_USER = 'system:serviceaccount:kube-system:certificate-controller';
const YEAR_MS = 8760 * 3600_000;

/** The cluster CA as kubeadm makes it (the same code the cluster uses). */
function clusterCa(): ClusterCa {
  const { ca, caKey } = createClusterPki(new Prng(11));
  return { ca, caKey };
}

function setup() {
  const api = createTestApi({ seed: 5, authorizer: csrAuthorizer() });
  const signer = clusterCa();
  new CsrSigningController(api.context('csrsigning', CONTROLLER_USER), signer).start();
  return { api, signer };
}

const issuedPem = (api: ReturnType<typeof setup>['api'], name: string): string | undefined => {
  const certificate = storedCsr(api, name).status?.certificate;
  return certificate ? utf8Decode(base64Decode(certificate)) : undefined;
};

describe('csrsigning-kubelet-client controller', () => {
  it('signs an approved kubelet CSR with the cluster CA and stores the base64 PEM in status.certificate', () => {
    const { api, signer } = setup();
    submitCsr(api, 'node-csr-a');
    api.sim.runUntil(3_000);
    expect(issuedPem(api, 'node-csr-a')).toBeUndefined(); // not approved yet: nothing is signed

    approveByHand(api, 'node-csr-a');
    api.sim.runUntil(6_000);

    const put = api.sim.recorder.steps.find((s) => s.method === 'PUT' && s.path?.endsWith('/node-csr-a/status'));
    expect(put?.status).toBe(200);
    const pem = issuedPem(api, 'node-csr-a')!;
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const signedAtMs = EPOCH_MS + put!.t - api.network.latencyMs; // the PUT reaches the server one hop after signing
    const verified = verifyCertificate(pem, signer.ca, EPOCH_MS + api.sim.nowMs, { usage: 'client auth' });
    expect(verified).toMatchObject({ ok: true, commonName: 'system:node:worker-1', organizations: ['system:nodes'] });

    const cert = parseCertificate(pem);
    expect(cert.notBeforeMs).toBe(Math.floor((signedAtMs - BACKDATE_MS) / 1000) * 1000);
    expect(cert.notAfterMs).toBe(Math.floor((signedAtMs + YEAR_MS - BACKDATE_MS) / 1000) * 1000);
    expect(cert.extKeyUsages).toEqual(['client auth']);
    expect(cert.isCa).toBe(false);
  });

  it('honours a shorter spec.expirationSeconds, but never below 10 minutes', () => {
    const { api } = setup();
    submitCsr(api, 'short', { expirationSeconds: 3600 });
    submitCsr(api, 'tiny', { node: 'worker-2', expirationSeconds: 60 });
    api.sim.runUntil(1_000);
    approveByHand(api, 'short');
    approveByHand(api, 'tiny');
    api.sim.runUntil(5_000);

    const short = parseCertificate(issuedPem(api, 'short')!);
    const tiny = parseCertificate(issuedPem(api, 'tiny')!);
    // Short-lived certificates are not shortened by the 5-minute backdate.
    expect(short.notAfterMs - short.notBeforeMs).toBe(3600_000 + BACKDATE_MS);
    expect(tiny.notAfterMs - tiny.notBeforeMs).toBe(600_000 + BACKDATE_MS);
  });

  it('marks an approved request the signer must not issue as Failed (SignerValidationFailure)', () => {
    const { api } = setup();
    submitCsr(api, 'not-a-node', { commonName: 'system:node:worker-1', organizations: ['system:masters'] });
    api.sim.runUntil(1_000);
    approveByHand(api, 'not-a-node');
    api.sim.runUntil(5_000);

    const csr = storedCsr(api, 'not-a-node');
    expect(csr.status?.certificate).toBeUndefined();
    expect(csr.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
      status: 'True',
      reason: 'SignerValidationFailure',
      message: 'subject organization is not system:nodes',
    });
  });

  it('issues a certificate end to end once csrapproving has approved the bootstrap CSR', () => {
    const { api, signer } = setup();
    new CsrApprovingController(api.context('csrapproving', CONTROLLER_USER)).start();
    submitCsr(api, 'node-csr-e2e');
    api.sim.runUntil(5_000);

    const csr = storedCsr(api, 'node-csr-e2e');
    expect(csr.status?.conditions?.map((c) => `${c.type}/${c.reason}`)).toEqual(['Approved/AutoApproved']);
    expect(verifyCertificate(issuedPem(api, 'node-csr-e2e')!, signer.ca, EPOCH_MS + api.sim.nowMs).ok).toBe(true);
    const order = api.sim.recorder.steps.filter((s) => s.kind === 'request' && s.method === 'PUT').map((s) => s.path?.split('/').pop());
    expect(order).toEqual(['approval', 'status']);
  });
});
