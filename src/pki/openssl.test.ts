import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePki } from './fixtures.js';

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = probe.status === 0;
if (!hasOpenssl) console.warn('skipping OpenSSL cross-checks: the `openssl` binary is not on PATH');

const dir = hasOpenssl ? mkdtempSync(join(tmpdir(), 'kube-learn-pki-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function openssl(...args: string[]): { status: number | null; out: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** `-attime` takes whole epoch seconds. */
const seconds = (ms: number): string => String(Math.floor(ms / 1000));

describe.skipIf(!hasOpenssl)('OpenSSL agrees', () => {
  const pki = samplePki();
  const other = samplePki(99);

  it('openssl verify accepts the client certificate against the CA, strictly and for TLS client use', () => {
    const ca = file('ca.pem', pki.ca.pem);
    const cert = file('worker-1.pem', pki.clientCert.pem);
    const result = openssl('verify', '-x509_strict', '-purpose', 'sslclient', '-attime', seconds(pki.signedAtMs), '-CAfile', ca, cert);
    expect(result.out).toBe(`${cert}: OK\n`);
    expect(result.status).toBe(0);
  });

  it('openssl verify refuses another cluster CA and an expired certificate', () => {
    const cert = file('worker-1.pem', pki.clientCert.pem);
    const wrongCa = openssl('verify', '-attime', seconds(pki.signedAtMs), '-CAfile', file('other-ca.pem', other.ca.pem), cert);
    expect(wrongCa.status).not.toBe(0);
    expect(wrongCa.out).toMatch(/unable to get local issuer certificate|certificate signature failure/);
    const expired = openssl('verify', '-attime', seconds(pki.clientCert.notAfterMs + 1000), '-CAfile', file('ca.pem', pki.ca.pem), cert);
    expect(expired.status).not.toBe(0);
    expect(expired.out).toContain('certificate has expired');
  });

  it('openssl req -verify accepts the CSR', () => {
    const result = openssl('req', '-in', file('worker-1.csr', pki.csrPem), '-verify', '-noout', '-subject');
    expect(result.status).toBe(0);
    expect(result.out).toContain('verify OK');
    expect(result.out).toContain('subject=O = system:nodes, CN = system:node:worker-1');
  });

  it('openssl x509 -text shows the subject and the csrsigning extensions', () => {
    const text = openssl('x509', '-in', file('worker-1.pem', pki.clientCert.pem), '-noout', '-text').out;
    expect(text).toContain('Issuer: CN = kubernetes');
    expect(text).toContain('Subject: O = system:nodes, CN = system:node:worker-1');
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    const akid = (pki.ca.subjectKeyIdHex ?? '').toUpperCase().match(/../g)?.join(':');
    expect(text).toMatch(new RegExp(`X509v3 Authority Key Identifier: \\n\\s+(keyid:)?${akid}\\n`));
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
  });

  it('openssl x509 -text shows the CA as kubeadm makes it', () => {
    const text = openssl('x509', '-in', file('ca.pem', pki.ca.pem), '-noout', '-text').out;
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment, Certificate Sign\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:kubernetes\n/);
    expect(text).toContain('X509v3 Subject Key Identifier');
  });

  it('openssl reads the EC private key and derives the same public key', () => {
    const key = file('worker-1.key', pki.nodeKey.privateKeyPem);
    expect(openssl('ec', '-in', key, '-check', '-noout').out).toContain('EC Key valid.');
    expect(openssl('pkey', '-in', key, '-pubout').out).toBe(pki.nodeKey.publicKeyPem);
  });
});
