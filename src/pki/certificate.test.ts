import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { EPOCH_MS } from '../sim/clock.js';
import { Prng } from '../sim/prng.js';
import { certificateFingerprint, createSelfSignedCa, parseCertificate, signCertificate } from './certificate.js';
import { parseCsr } from './csr.js';
import { encodePem } from './pem.js';
import { generateKeyPair } from './keys.js';
import { verifyCertificate } from './verify.js';
import { BACKDATE_MS, CA_LIFETIME_MS, CLIENT_LIFETIME_MS, samplePki } from './fixtures.js';

describe('createSelfSignedCa', () => {
  it('makes a CA as kubeadm does: CA:TRUE, cert sign, a subject key id and DNS:kubernetes', () => {
    const { ca } = samplePki();
    expect(ca.subjectText).toBe('CN=kubernetes');
    expect(ca.issuerText).toBe('CN=kubernetes');
    expect(ca.isCa).toBe(true);
    expect(ca.keyUsages).toEqual(['digital signature', 'key encipherment', 'cert sign']);
    expect(ca.extKeyUsages).toEqual([]);
    expect(ca.dnsNames).toEqual(['kubernetes']);
    expect(ca.subjectKeyIdHex).toMatch(/^[0-9a-f]{40}$/);
    expect(ca.authorityKeyIdHex).toBeUndefined();
    expect(ca.notBeforeMs).toBe(EPOCH_MS);
    expect(ca.notAfterMs).toBe(EPOCH_MS + CA_LIFETIME_MS);
  });

  it('is accepted by node:crypto (OpenSSL in-process) as a self-signed CA', () => {
    const { ca } = samplePki();
    const x509 = new X509Certificate(ca.pem);
    expect(x509.ca).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.subject).toBe('CN=kubernetes');
  });
});

describe('signCertificate', () => {
  it('issues a kubelet client certificate like the csrsigning controller', () => {
    const { ca, clientCert, signedAtMs } = samplePki();
    expect(clientCert.subject).toEqual({ commonName: 'system:node:worker-1', organizations: ['system:nodes'] });
    expect(clientCert.subjectText).toBe('CN=system:node:worker-1,O=system:nodes');
    expect(clientCert.issuerText).toBe('CN=kubernetes');
    expect(clientCert.isCa).toBe(false);
    expect(clientCert.keyUsages).toEqual(['digital signature']);
    expect(clientCert.extKeyUsages).toEqual(['client auth']);
    expect(clientCert.authorityKeyIdHex).toBe(ca.subjectKeyIdHex);
    expect(clientCert.subjectKeyIdHex).toBeUndefined();
    expect(clientCert.notBeforeMs).toBe(signedAtMs - BACKDATE_MS);
    expect(clientCert.notAfterMs).toBe(signedAtMs + CLIENT_LIFETIME_MS - BACKDATE_MS);
    expect(clientCert.serialHex).toMatch(/^[0-9a-f]+$/);
  });

  it('is verified against the CA by node:crypto, which sees the same subject and fingerprint', () => {
    const { ca, clientCert } = samplePki();
    const leaf = new X509Certificate(clientCert.pem);
    const root = new X509Certificate(ca.pem);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.subject).toBe('O=system:nodes\nCN=system:node:worker-1');
    expect(leaf.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(certificateFingerprint(clientCert.pem));
  });

  it('produces byte-identical certificates from the same seed and different ones from another', () => {
    const a = samplePki(42);
    const b = samplePki(42);
    const c = samplePki(43);
    expect(b.ca.pem).toBe(a.ca.pem);
    expect(b.csrPem).toBe(a.csrPem);
    expect(b.clientCert.pem).toBe(a.clientCert.pem);
    expect(c.clientCert.pem).not.toBe(a.clientCert.pem);
    expect(certificateFingerprint(b.clientCert.pem)).toBe(certificateFingerprint(a.clientCert.pem));
  });

  it('maps usages as the signer does: key usage bits plus EKUs in Go enum order', () => {
    const { ca, caKey, csr } = samplePki();
    const base = { ca: { certificate: ca, key: caKey }, csr, notBeforeMs: EPOCH_MS, notAfterMs: EPOCH_MS + 1000_000, serialNumber: 9n };
    const cert = signCertificate({ ...base, usages: ['client auth', 'key encipherment', 'server auth', 'digital signature'] });
    expect(cert.keyUsages).toEqual(['digital signature', 'key encipherment']);
    expect(cert.extKeyUsages).toEqual(['server auth', 'client auth']);
    expect(() => signCertificate({ ...base, usages: ['client auth', 'flying'] })).toThrow('unrecognized usage values: ["flying"]');
  });

  it('truncates NotAfter to the CA and refuses once the CA has expired', () => {
    const { ca, caKey, csr } = samplePki();
    const base = { ca: { certificate: ca, key: caKey }, csr, serialNumber: 5n, usages: ['client auth'] };
    const late = signCertificate({ ...base, notBeforeMs: ca.notAfterMs - 1000_000, notAfterMs: ca.notAfterMs + 1000_000 });
    expect(late.notAfterMs).toBe(ca.notAfterMs);
    expect(() => signCertificate({ ...base, notBeforeMs: ca.notAfterMs, notAfterMs: ca.notAfterMs + 1 }))
      .toThrow('the signer has expired: NotAfter=2035-12-30 09:00:00 +0000 UTC');
  });

  it('refuses a CSR whose signature does not match its key, and a CA key that is not the CA', () => {
    const { ca, caKey, csr, csrPem } = samplePki();
    const der = parseCsr(csrPem).der.slice();
    der[der.length - 1] ^= 0x01;
    const tampered = parseCsr(encodePem('CERTIFICATE REQUEST', der));
    expect(tampered.signatureValid).toBe(false);
    const base = { notBeforeMs: EPOCH_MS, notAfterMs: EPOCH_MS + 1000_000, serialNumber: 5n, usages: ['client auth'] };
    expect(() => signCertificate({ ...base, ca: { certificate: ca, key: caKey }, csr: tampered })).toThrow('x509: ECDSA verification failure');
    const otherKey = generateKeyPair(new Prng(1).bytes(32));
    expect(() => signCertificate({ ...base, ca: { certificate: ca, key: otherKey }, csr })).toThrow("doesn't match parent's PublicKey");
  });

  it('signs a key and subject given directly, without a CSR', () => {
    const { ca, caKey } = samplePki();
    const key = generateKeyPair(new Prng(3).bytes(32));
    const cert = signCertificate({
      ca: { certificate: ca, key: caKey },
      publicKeySpkiDer: key.publicKeySpkiDer,
      subject: { commonName: 'kube-apiserver-kubelet-client', organizations: ['kubeadm:cluster-admins'] },
      notBeforeMs: EPOCH_MS,
      notAfterMs: EPOCH_MS + CLIENT_LIFETIME_MS,
      serialNumber: 77n,
      usages: ['digital signature', 'key encipherment', 'client auth'],
    });
    expect(cert.subjectText).toBe('CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins');
    expect(cert.publicKeySpkiDer).toEqual(key.publicKeySpkiDer);
    expect(cert.serialHex).toBe('4d');
  });
});

describe('parseCertificate', () => {
  it('keeps validity at whole seconds, as X.509 stores it', () => {
    const key = generateKeyPair(new Prng(5).bytes(32));
    const ca = createSelfSignedCa({ key, commonName: 'kubernetes', notBeforeMs: EPOCH_MS + 1999, notAfterMs: EPOCH_MS + 5000, serialNumber: 1n });
    expect(parseCertificate(ca.pem).notBeforeMs).toBe(EPOCH_MS + 1000);
  });

  it('uses GeneralizedTime after 2049 and still round-trips', () => {
    const key = generateKeyPair(new Prng(5).bytes(32));
    const notAfterMs = Date.UTC(2060, 0, 1);
    const ca = createSelfSignedCa({ key, commonName: 'kubernetes', notBeforeMs: EPOCH_MS, notAfterMs, serialNumber: 1n });
    expect(parseCertificate(ca.pem).notAfterMs).toBe(notAfterMs);
    expect(new X509Certificate(ca.pem).validTo).toBe('Jan  1 00:00:00 2060 GMT');
  });

  it('throws a clear error for anything that is not a certificate', () => {
    expect(() => parseCertificate('hello')).toThrow('PEM block type must be CERTIFICATE');
    expect(() => parseCertificate(encodePem('CERTIFICATE', new Uint8Array([0x30, 0x03, 1, 2, 3])))).toThrow(/^x509: malformed certificate/);
  });
});

describe('performance', () => {
  it('issues and verifies certificates fast enough for a 1,000-node benchmark', () => {
    const { ca, caKey, csr } = samplePki();
    const count = 50;
    const signStartMs = performance.now();
    const certs = Array.from({ length: count }, (_, i) => signCertificate({
      ca: { certificate: ca, key: caKey }, csr, notBeforeMs: EPOCH_MS, notAfterMs: EPOCH_MS + CLIENT_LIFETIME_MS,
      serialNumber: BigInt(i + 1), usages: ['client auth'],
    }));
    const signMs = (performance.now() - signStartMs) / count;
    const verifyStartMs = performance.now();
    const verified = certs.filter((cert) => verifyCertificate(cert.pem, ca, EPOCH_MS + 1000).ok).length;
    const verifyMs = (performance.now() - verifyStartMs) / count;
    console.log(`signCertificate ${signMs.toFixed(2)} ms, verifyCertificate ${verifyMs.toFixed(2)} ms (mean of ${count})`);
    expect(verified).toBe(count);
    expect(signMs + verifyMs).toBeLessThan(50);
  });
});
