import { describe, expect, it } from 'vitest';
import { EPOCH_MS } from '../sim/clock.js';
import { Prng } from '../sim/prng.js';
import { createSelfSignedCa, signCertificate } from './certificate.js';
import { generateKeyPair } from './keys.js';
import { decodePem, encodePem } from './pem.js';
import { verifyCertificate } from './verify.js';
import { BACKDATE_MS, CA_LIFETIME_MS, samplePki } from './fixtures.js';

/** Re-armours `pem` after `edit` changes its DER. */
function tamper(pem: string, edit: (der: Uint8Array) => void): string {
  const der = decodePem(pem, 'CERTIFICATE').slice();
  edit(der);
  return encodePem('CERTIFICATE', der);
}

function indexOfText(der: Uint8Array, text: string): number {
  return Buffer.from(der).indexOf(Buffer.from(text));
}

describe('verifyCertificate', () => {
  it('accepts a CA-signed kubelet client certificate and reports the identity', () => {
    const { ca, clientCert, signedAtMs } = samplePki();
    expect(verifyCertificate(clientCert.pem, ca, signedAtMs)).toEqual({
      ok: true,
      commonName: 'system:node:worker-1',
      organizations: ['system:nodes'],
      notBeforeMs: clientCert.notBeforeMs,
      notAfterMs: clientCert.notAfterMs,
    });
  });

  it('reports expiry with Go x509 text, and accepts the last valid second', () => {
    const { ca, clientCert } = samplePki();
    expect(verifyCertificate(clientCert.pem, ca, clientCert.notAfterMs).ok).toBe(true);
    expect(verifyCertificate(clientCert.pem, ca, clientCert.notAfterMs + 1000)).toEqual({
      ok: false,
      reason: 'expired',
      message: 'x509: certificate has expired or is not yet valid: current time 2027-01-01T08:56:01Z is after 2027-01-01T08:56:00Z',
    });
  });

  it('reports a certificate used before NotBefore as not yet valid', () => {
    const { ca, clientCert } = samplePki();
    const result = verifyCertificate(clientCert.pem, ca, clientCert.notBeforeMs - 1000);
    expect(result).toEqual({
      ok: false,
      reason: 'not-yet-valid',
      message: 'x509: certificate has expired or is not yet valid: current time 2026-01-01T08:55:59Z is before 2026-01-01T08:56:00Z',
    });
  });

  it("rejects another cluster's CA of the same name as wrong-issuer, with Go's hint", () => {
    const { clientCert, signedAtMs } = samplePki(42);
    const { ca: otherCa } = samplePki(99);
    expect(verifyCertificate(clientCert.pem, otherCa, signedAtMs)).toEqual({
      ok: false,
      reason: 'wrong-issuer',
      message: 'x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" '
        + 'while trying to verify candidate authority certificate "kubernetes")',
    });
  });

  it('rejects a CA with a different name as plain unknown authority', () => {
    const { clientCert, signedAtMs } = samplePki();
    const key = generateKeyPair(new Prng(5).bytes(32));
    const etcdCa = createSelfSignedCa({ key, commonName: 'etcd-ca', notBeforeMs: EPOCH_MS, notAfterMs: EPOCH_MS + CA_LIFETIME_MS, serialNumber: 2n });
    expect(verifyCertificate(clientCert.pem, etcdCa, signedAtMs)).toEqual({
      ok: false, reason: 'wrong-issuer', message: 'x509: certificate signed by unknown authority',
    });
  });

  it('detects tampering with the signed content or the signature', () => {
    const { ca, clientCert, signedAtMs } = samplePki();
    const renamed = tamper(clientCert.pem, (der) => { der[indexOfText(der, 'worker-1') + 7] = '2'.charCodeAt(0); });
    const renamedResult = verifyCertificate(renamed, ca, signedAtMs);
    expect(renamedResult).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(renamedResult.ok ? '' : renamedResult.message).toContain('"x509: ECDSA verification failure"');
    const badSignature = tamper(clientCert.pem, (der) => { der[der.length - 1] ^= 0x01; });
    expect(verifyCertificate(badSignature, ca, signedAtMs)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('reports garbage as malformed instead of throwing', () => {
    const { ca, signedAtMs } = samplePki();
    expect(verifyCertificate('not a pem', ca, signedAtMs)).toMatchObject({ ok: false, reason: 'malformed' });
    const truncated = encodePem('CERTIFICATE', new Uint8Array([0x30, 0x82, 0x01]));
    expect(verifyCertificate(truncated, ca, signedAtMs)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('checks the CA window too: a backdated leaf is refused while the CA is not yet valid', () => {
    const { ca, clientCert } = samplePki();
    expect(clientCert.notBeforeMs).toBe(EPOCH_MS + 60_000 - BACKDATE_MS);
    const result = verifyCertificate(clientCert.pem, ca, EPOCH_MS - 60_000);
    expect(result).toMatchObject({ ok: false, reason: 'not-yet-valid' });
    expect(result.ok ? '' : result.message).toMatch(/^x509: certificate signed by unknown authority \(possibly because of "x509: certificate has expired or is not yet valid: current time 2026-01-01T08:59:00Z is before 2026-01-01T09:00:00Z"/);
  });

  it('refuses a non-CA certificate as the issuer even when its name matches', () => {
    const { ca, caKey, clientCert, signedAtMs } = samplePki();
    const impostor = signCertificate({
      ca: { certificate: ca, key: caKey },
      publicKeySpkiDer: caKey.publicKeySpkiDer,
      subject: { commonName: 'kubernetes', organizations: [] },
      notBeforeMs: EPOCH_MS, notAfterMs: EPOCH_MS + CA_LIFETIME_MS, serialNumber: 3n, usages: ['client auth'],
    });
    const result = verifyCertificate(clientCert.pem, impostor, signedAtMs);
    expect(result).toMatchObject({ ok: false, reason: 'wrong-issuer' });
    expect(result.ok ? '' : result.message).toContain('parent certificate cannot sign this kind of certificate');
  });

  it('enforces a required extended key usage when asked, as the apiserver does for client auth', () => {
    const { ca, caKey, csr, clientCert, signedAtMs } = samplePki();
    const sign = (usages: string[]) => signCertificate({
      ca: { certificate: ca, key: caKey }, csr, notBeforeMs: EPOCH_MS, notAfterMs: EPOCH_MS + CA_LIFETIME_MS, serialNumber: 4n, usages,
    });
    expect(verifyCertificate(clientCert.pem, ca, signedAtMs, { usage: 'client auth' }).ok).toBe(true);
    expect(verifyCertificate(sign(['digital signature', 'server auth']).pem, ca, signedAtMs, { usage: 'client auth' })).toEqual({
      ok: false, reason: 'incompatible-usage', message: 'x509: certificate specifies an incompatible key usage',
    });
    expect(verifyCertificate(sign(['digital signature']).pem, ca, signedAtMs, { usage: 'client auth' }).ok).toBe(true);
  });
});
