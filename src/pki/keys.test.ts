import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Prng } from '../sim/prng.js';
import { generateKeyPair, parsePrivateKeyPem } from './keys.js';

describe('generateKeyPair', () => {
  it('gives byte-identical PEMs for the same bytes and different keys for different bytes', () => {
    const a = generateKeyPair(new Prng(42).fork('kubelet/worker-1').bytes(32));
    const b = generateKeyPair(new Prng(42).fork('kubelet/worker-1').bytes(32));
    const c = generateKeyPair(new Prng(42).fork('kubelet/worker-2').bytes(32));
    expect(b.privateKeyPem).toBe(a.privateKeyPem);
    expect(b.publicKeyPem).toBe(a.publicKeyPem);
    expect(c.publicKeyPem).not.toBe(a.publicKeyPem);
  });

  it('refuses fewer than 32 bytes of randomness', () => {
    expect(() => generateKeyPair(new Uint8Array(31))).toThrow(/32\+ bytes/);
  });

  it('writes a SEC1 EC PRIVATE KEY whose public half matches the SPKI PEM (checked by node:crypto)', () => {
    const key = generateKeyPair(new Prng(7).bytes(32));
    expect(key.privateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const nodePrivate = createPrivateKey(key.privateKeyPem);
    expect(nodePrivate.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const derivedPublic = createPublicKey(nodePrivate).export({ type: 'spki', format: 'pem' });
    expect(derivedPublic).toBe(key.publicKeyPem);
    expect(Buffer.from(key.publicKeySpkiDer)).toEqual(createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' }));
  });

  it('reads back its own private key PEM', () => {
    const key = generateKeyPair(new Prng(9).bytes(48));
    expect(parsePrivateKeyPem(key.privateKeyPem)).toEqual(key);
    expect(() => parsePrivateKeyPem(key.publicKeyPem)).toThrow('PEM block type must be EC PRIVATE KEY');
  });
});
