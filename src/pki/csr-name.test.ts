import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Prng } from '../sim/prng.js';
import { csrObjectName } from './csr-name.js';
import { generateKeyPair } from './keys.js';

/** digestedName, written again independently with node:crypto to cross-check. */
function referenceName(spki: Uint8Array, cn: string, orgs: string[], usages: string[]): string {
  const hash = createHash('sha512-256');
  const write = (data: Buffer): void => {
    hash.update(data.toString('base64url'));
    hash.update('|');
  };
  write(Buffer.from(spki));
  write(Buffer.from(cn));
  for (const o of orgs) write(Buffer.from(o));
  for (const u of usages) write(Buffer.from(u));
  return `node-csr-${hash.digest('base64url')}`;
}

describe('csrObjectName', () => {
  const key = generateKeyPair(new Prng(42).fork('kubelet/worker-1').bytes(32));
  const cn = 'system:node:worker-1';
  const orgs = ['system:nodes'];
  const usages = ['digital signature', 'client auth'];

  it('matches an independent implementation of kubelet digestedName', () => {
    const name = csrObjectName(key.publicKeySpkiDer, cn, orgs, usages);
    expect(name).toMatch(/^node-csr-[A-Za-z0-9_-]{43}$/);
    expect(name).toBe(referenceName(key.publicKeySpkiDer, cn, orgs, usages));
  });

  it('is stable for the same inputs, so a restarted kubelet asks for the same object', () => {
    expect(csrObjectName(key.publicKeySpkiDer, cn, orgs, usages)).toBe(csrObjectName(key.publicKeySpkiDer, cn, [...orgs], [...usages]));
  });

  it('changes when any input changes', () => {
    const base = csrObjectName(key.publicKeySpkiDer, cn, orgs, usages);
    const otherKey = generateKeyPair(new Prng(42).fork('kubelet/worker-2').bytes(32));
    const variants = [
      csrObjectName(otherKey.publicKeySpkiDer, cn, orgs, usages),
      csrObjectName(key.publicKeySpkiDer, 'system:node:worker-2', orgs, usages),
      csrObjectName(key.publicKeySpkiDer, cn, ['system:masters'], usages),
      csrObjectName(key.publicKeySpkiDer, cn, orgs, ['digital signature', 'key encipherment', 'client auth']),
      csrObjectName(key.publicKeySpkiDer, cn, orgs, ['client auth', 'digital signature']),
    ];
    for (const variant of variants) expect(variant).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });
});
