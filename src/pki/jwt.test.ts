import { describe, expect, it } from 'vitest';
import { createHash, verify as nodeVerify } from 'node:crypto';
import { EPOCH_MS } from '../sim/clock.js';
import { Prng } from '../sim/prng.js';
import { generateKeyPair } from './keys.js';
import { signServiceAccountToken, verifyServiceAccountToken, type ServiceAccountTokenOptions } from './jwt.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const saKey = generateKeyPair(new Prng(42).fork('kubeadm/sa').bytes(32));
const issuedAtMs = EPOCH_MS + 90_500;
const options: ServiceAccountTokenOptions = {
  key: saKey,
  issuer: ISSUER,
  namespace: 'kube-system',
  serviceAccountName: 'coredns',
  serviceAccountUid: '0b6e6b4c-6c4a-4b9e-9a37-2f1f0c7f6a11',
  issuedAtMs,
  expiresAtMs: issuedAtMs + 3607_000,
  audiences: [ISSUER],
};

function decodeJson(segment: string): string {
  return Buffer.from(segment, 'base64url').toString('utf8');
}

describe('signServiceAccountToken', () => {
  it('writes the header and claims a real bound token has, keys sorted as go-jose emits them', () => {
    const [header, payload] = signServiceAccountToken(options).split('.');
    const kid = createHash('sha256').update(saKey.publicKeySpkiDer).digest('base64url');
    expect(decodeJson(header)).toBe(`{"alg":"ES256","kid":"${kid}"}`);
    const iat = Math.floor(issuedAtMs / 1000);
    expect(decodeJson(payload)).toBe(
      `{"aud":["${ISSUER}"],"exp":${iat + 3607},"iat":${iat},"iss":"${ISSUER}",`
      + '"kubernetes.io":{"namespace":"kube-system","serviceaccount":{"name":"coredns","uid":"0b6e6b4c-6c4a-4b9e-9a37-2f1f0c7f6a11"}},'
      + `"nbf":${iat},"sub":"system:serviceaccount:kube-system:coredns"}`,
    );
  });

  it('adds pod, node and jti claims when the token is bound', () => {
    const token = signServiceAccountToken({ ...options, jti: 'j-1', pod: { name: 'coredns-abc', uid: 'p1' }, node: { name: 'worker-1', uid: 'n1' } });
    const claims = JSON.parse(decodeJson(token.split('.')[1]));
    expect(claims.jti).toBe('j-1');
    expect(Object.keys(claims['kubernetes.io'])).toEqual(['namespace', 'node', 'pod', 'serviceaccount']);
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'coredns-abc', uid: 'p1' });
  });

  it('is deterministic and carries a raw r||s ES256 signature that node:crypto accepts', () => {
    const token = signServiceAccountToken(options);
    expect(signServiceAccountToken(options)).toBe(token);
    const [header, payload, signature] = token.split('.');
    const raw = Buffer.from(signature, 'base64url');
    expect(raw.length).toBe(64);
    const ok = nodeVerify('sha256', Buffer.from(`${header}.${payload}`), { key: saKey.publicKeyPem, dsaEncoding: 'ieee-p1363' }, raw);
    expect(ok).toBe(true);
  });
});

describe('verifyServiceAccountToken', () => {
  const token = signServiceAccountToken(options);

  it('round-trips and yields the service account identity', () => {
    const result = verifyServiceAccountToken(token, saKey.publicKeySpkiDer, issuedAtMs + 1000, { issuers: [ISSUER], audiences: [ISSUER] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.username).toBe('system:serviceaccount:kube-system:coredns');
    expect(result.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:kube-system']);
    expect(result.claims['kubernetes.io'].serviceaccount.uid).toBe(options.serviceAccountUid);
  });

  it('fails when the payload or signature is tampered with, or another key is used', () => {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(decodeJson(payload));
    claims['kubernetes.io'].namespace = 'default';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(verifyServiceAccountToken(forged, saKey.publicKeySpkiDer, issuedAtMs)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const flipped = Buffer.from(signature, 'base64url');
    flipped[10] ^= 1;
    expect(verifyServiceAccountToken(`${header}.${payload}.${flipped.toString('base64url')}`, saKey.publicKeySpkiDer, issuedAtMs))
      .toMatchObject({ ok: false, reason: 'bad-signature' });
    const otherKey = generateKeyPair(new Prng(1).bytes(32));
    expect(verifyServiceAccountToken(token, otherKey.publicKeySpkiDer, issuedAtMs)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('expires after exp plus the one-minute leeway, and is not valid long before nbf', () => {
    const expMs = Math.floor(options.expiresAtMs / 1000) * 1000;
    expect(verifyServiceAccountToken(token, saKey.publicKeySpkiDer, expMs + 60_000).ok).toBe(true);
    expect(verifyServiceAccountToken(token, saKey.publicKeySpkiDer, expMs + 60_001)).toEqual({
      ok: false, reason: 'expired', message: 'service account token has expired',
    });
    expect(verifyServiceAccountToken(token, saKey.publicKeySpkiDer, issuedAtMs - 120_000)).toEqual({
      ok: false, reason: 'not-yet-valid', message: 'service account token is not valid yet',
    });
  });

  it('rejects untrusted issuers and foreign audiences', () => {
    expect(verifyServiceAccountToken(token, saKey.publicKeySpkiDer, issuedAtMs, { issuers: ['https://other'] }))
      .toMatchObject({ ok: false, reason: 'wrong-issuer' });
    expect(verifyServiceAccountToken(token, saKey.publicKeySpkiDer, issuedAtMs, { audiences: ['vault'] })).toEqual({
      ok: false,
      reason: 'wrong-audience',
      message: `token audiences ["${ISSUER}"] is invalid for the target audiences ["vault"]`,
    });
  });

  it('reports malformed tokens without throwing', () => {
    for (const bad of ['', 'a.b', 'a.b.c', `${token}.x`, token.replace(/^[^.]+/, 'e30')]) {
      expect(verifyServiceAccountToken(bad, saKey.publicKeySpkiDer, issuedAtMs)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });
});
