import { describe, expect, it } from 'vitest';
import { EPOCH_MS } from '../../sim/clock.js';
import { Prng } from '../../sim/prng.js';
import { createSelfSignedCa, serialFromBytes, signCertificate, type Certificate } from '../../pki/certificate.js';
import { createCsr, parseCsr } from '../../pki/csr.js';
import { generateKeyPair, type KeyPair } from '../../pki/keys.js';
import { samplePki, KUBELET_CLIENT_USAGES } from '../../pki/fixtures.js';
import { AuthenticatorChain, type AuthnResult } from './authentication.js';

const MINUTE_MS = 60_000;

/** An authenticator whose clock and CA the test moves. */
function authenticator(initialCa: Certificate, startMs: number) {
  const state = { ca: initialCa, nowMs: startMs };
  const chain = new AuthenticatorChain({
    get ca() {
      return state.ca;
    },
    serviceAccountPublicKey: new Uint8Array(),
    nowMs: () => state.nowMs - EPOCH_MS,
    nowEpochMs: () => state.nowMs,
    getSecret: () => undefined,
    getServiceAccount: () => undefined,
  });
  return { state, x509: (cert: Certificate): AuthnResult => chain.authenticate({ clientCertificate: cert.pem }) };
}

function ca(seed: string, notBeforeMs = EPOCH_MS, lifetimeMs = 3650 * 24 * 60 * MINUTE_MS): { key: KeyPair; certificate: Certificate } {
  const prng = new Prng(7).fork(seed);
  const key = generateKeyPair(prng.bytes(32));
  const certificate = createSelfSignedCa({ key, commonName: 'kubernetes', notBeforeMs, notAfterMs: notBeforeMs + lifetimeMs, serialNumber: 1n + serialFromBytes(prng.bytes(4)) });
  return { key, certificate };
}

function clientCertificate(issuer: { key: KeyPair; certificate: Certificate }, node: string, notBeforeMs: number, lifetimeMs: number): Certificate {
  const prng = new Prng(9).fork(node);
  const key = generateKeyPair(prng.bytes(32));
  const csr = parseCsr(createCsr({ key, commonName: `system:node:${node}`, organizations: ['system:nodes'] }));
  return signCertificate({ ca: issuer, csr, notBeforeMs, notAfterMs: notBeforeMs + lifetimeMs, serialNumber: 1n + serialFromBytes(prng.bytes(8)), usages: [...KUBELET_CLIENT_USAGES] });
}

describe('x509 authentication: a verified certificate is reused only while it would still verify', () => {
  it('accepts a kubelet certificate as system:node:<name> in system:nodes, and again on the next request', () => {
    const pki = samplePki();
    const { x509 } = authenticator(pki.ca, pki.signedAtMs);
    for (let i = 0; i < 2; i++) {
      const result = x509(pki.clientCert);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.user).toEqual({ name: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] });
    }
  });

  it('refuses a certificate once it has expired, although it was accepted before', () => {
    const issuer = ca('expiry');
    const cert = clientCertificate(issuer, 'worker-1', EPOCH_MS, 10 * MINUTE_MS);
    const { state, x509 } = authenticator(issuer.certificate, EPOCH_MS + MINUTE_MS);
    expect(x509(cert).ok).toBe(true);
    state.nowMs = cert.notAfterMs + 1000;
    const refused = x509(cert);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.why).toMatch(/^the client certificate was rejected: x509: certificate has expired or is not yet valid: current time .* is after /);
  });

  it('refuses a certificate of the same name signed by another CA called "kubernetes", after the genuine one was accepted', () => {
    const genuine = ca('genuine');
    const other = ca('other');
    const { x509 } = authenticator(genuine.certificate, EPOCH_MS + MINUTE_MS);
    expect(x509(clientCertificate(genuine, 'worker-1', EPOCH_MS, 60 * MINUTE_MS)).ok).toBe(true);
    const forged = x509(clientCertificate(other, 'worker-1', EPOCH_MS, 60 * MINUTE_MS));
    expect(forged.ok).toBe(false);
    if (!forged.ok) expect(forged.why).toContain('x509: certificate signed by unknown authority');
  });

  it('checks a certificate again when the cluster CA is replaced: one signed by the old CA is refused', () => {
    const old = ca('old');
    const cert = clientCertificate(old, 'worker-1', EPOCH_MS, 60 * MINUTE_MS);
    const { state, x509 } = authenticator(old.certificate, EPOCH_MS + MINUTE_MS);
    expect(x509(cert).ok).toBe(true);
    state.ca = ca('rotated').certificate;
    const refused = x509(cert);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.why).toContain('x509: certificate signed by unknown authority');
    state.ca = old.certificate;
    expect(x509(cert).ok).toBe(true);
  });

  it("refuses a cached certificate at a time outside the CA's own validity window", () => {
    // The CA's window starts 10 minutes after the certificate's (the signer does not clamp NotBefore).
    const issuer = ca('late', EPOCH_MS + 10 * MINUTE_MS);
    const cert = clientCertificate(issuer, 'worker-1', EPOCH_MS, 60 * MINUTE_MS);
    const { state, x509 } = authenticator(issuer.certificate, EPOCH_MS + 20 * MINUTE_MS);
    expect(x509(cert).ok).toBe(true);
    state.nowMs = EPOCH_MS + 5 * MINUTE_MS;
    const refused = x509(cert);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.why).toMatch(/unknown authority .*is before/);
  });
});
