import { describe, expect, it } from 'vitest';
import { Prng } from '../sim/prng.js';
import { createCsr, parseCsr } from './csr.js';
import { generateKeyPair } from './keys.js';
import { encodePem } from './pem.js';
import { samplePki } from './fixtures.js';

describe('createCsr / parseCsr', () => {
  it('round-trips the kubelet bootstrap request', () => {
    const { csrPem, nodeKey } = samplePki();
    expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n$/);
    const csr = parseCsr(csrPem);
    expect(csr.commonName).toBe('system:node:worker-1');
    expect(csr.organizations).toEqual(['system:nodes']);
    expect(csr.subjectText).toBe('CN=system:node:worker-1,O=system:nodes');
    expect(csr.publicKeySpkiDer).toEqual(nodeKey.publicKeySpkiDer);
    expect(csr.signatureValid).toBe(true);
    expect(csr.pem).toBe(csrPem);
  });

  it('is byte-identical for the same key and subject', () => {
    const key = generateKeyPair(new Prng(11).bytes(32));
    const options = { key, commonName: 'system:node:worker-9', organizations: ['system:nodes'] };
    expect(createCsr(options)).toBe(createCsr(options));
    expect(createCsr({ ...options, commonName: 'system:node:worker-8' })).not.toBe(createCsr(options));
  });

  it('orders several organizations as DER sorts a SET OF, and keeps non-ASCII names', () => {
    const key = generateKeyPair(new Prng(12).bytes(32));
    const csr = parseCsr(createCsr({ key, commonName: 'système', organizations: ['system:nodes', 'ops'] }));
    expect(csr.commonName).toBe('système');
    expect(csr.organizations).toEqual(['ops', 'system:nodes']);
    expect(csr.signatureValid).toBe(true);
  });

  it('marks a request whose signature does not match as invalid', () => {
    const { csrPem } = samplePki();
    const der = parseCsr(csrPem).der.slice();
    const at = Buffer.from(der).indexOf(Buffer.from('worker-1'));
    der[at + 7] = '2'.charCodeAt(0);
    const tampered = parseCsr(encodePem('CERTIFICATE REQUEST', der));
    expect(tampered.commonName).toBe('system:node:worker-2');
    expect(tampered.signatureValid).toBe(false);
  });

  it('throws a clear error on garbage', () => {
    expect(() => parseCsr('garbage')).toThrow('invalid certificate request: PEM block type must be CERTIFICATE REQUEST');
    expect(() => parseCsr(samplePki().ca.pem)).toThrow('PEM block type must be CERTIFICATE REQUEST');
    expect(() => parseCsr('-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n')).toThrow(/invalid base64/);
    expect(() => parseCsr(encodePem('CERTIFICATE REQUEST', new Uint8Array([0x30, 0x00])))).toThrow(/malformed certificate request/);
  });
});
