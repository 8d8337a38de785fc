/**
 * Bound service-account tokens: compact JWS (ES256) with the claims kube-apiserver's TokenRequest
 * puts in them (pkg/serviceaccount/claims.go, jwt.go), serialised as go-jose does, with object
 * keys sorted, so the bytes match what a learner would decode from a real cluster.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64UrlDecode, base64UrlEncode, utf8Decode, utf8Encode } from './encoding.js';
import { signCompact, spkiDerToPublicKey, verifyCompact, type KeyPair } from './keys.js';

/** A name/uid reference to the object a token is bound to. */
export interface ObjectRef {
  readonly name: string;
  readonly uid: string;
}

/** The payload of a Kubernetes service-account token, keys in serialisation order. */
export interface ServiceAccountTokenClaims {
  readonly aud: readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly iss: string;
  readonly jti?: string;
  readonly 'kubernetes.io': {
    readonly namespace: string;
    readonly node?: ObjectRef;
    readonly pod?: ObjectRef;
    readonly serviceaccount: ObjectRef;
  };
  readonly nbf: number;
  readonly sub: string;
}

export interface ServiceAccountTokenOptions {
  /** The service-account signing key (kubeadm's sa.key). */
  readonly key: KeyPair;
  /** `--service-account-issuer`, e.g. https://kubernetes.default.svc.cluster.local */
  readonly issuer: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly serviceAccountUid: string;
  /** Absolute epoch ms; becomes `iat` and `nbf` (whole seconds). */
  readonly issuedAtMs: number;
  /** Absolute epoch ms; becomes `exp`. */
  readonly expiresAtMs: number;
  readonly audiences: readonly string[];
  /** Set when the token is bound to a pod (projected volume tokens are). */
  readonly pod?: ObjectRef;
  readonly node?: ObjectRef;
  /** A unique token id (a UUID in real clusters); omitted when not given. */
  readonly jti?: string;
}

/** Go's encoding/json escapes these even inside strings; matching it keeps bytes identical. */
function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The `kid` header: RawURL base64 of SHA-256 over the public key's PKIX DER (keyIDFromPublicKey). */
export function keyIdFor(publicKeySpkiDer: Uint8Array): string {
  return base64UrlEncode(sha256(publicKeySpkiDer));
}

/** apiserver's serviceaccount.MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Signs a token as TokenRequest does; returns `header.payload.signature`. */
export function signServiceAccountToken(options: ServiceAccountTokenOptions): string {
  const iat = Math.floor(options.issuedAtMs / 1000);
  const claims: ServiceAccountTokenClaims = {
    aud: [...options.audiences],
    exp: Math.floor(options.expiresAtMs / 1000),
    iat,
    iss: options.issuer,
    ...(options.jti !== undefined ? { jti: options.jti } : {}),
    'kubernetes.io': {
      namespace: options.namespace,
      ...(options.node ? { node: { name: options.node.name, uid: options.node.uid } } : {}),
      ...(options.pod ? { pod: { name: options.pod.name, uid: options.pod.uid } } : {}),
      serviceaccount: { name: options.serviceAccountName, uid: options.serviceAccountUid },
    },
    nbf: iat,
    sub: serviceAccountUsername(options.namespace, options.serviceAccountName),
  };
  const header = { alg: 'ES256', kid: keyIdFor(options.key.publicKeySpkiDer) };
  const signingInput = `${base64UrlEncode(utf8Encode(goJson(header)))}.${base64UrlEncode(utf8Encode(goJson(claims)))}`;
  const signature = signCompact(utf8Encode(signingInput), options.key.privateKey);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

/** Why a token was refused. */
export type TokenFailureReason = 'malformed' | 'bad-signature' | 'wrong-issuer' | 'wrong-audience' | 'expired' | 'not-yet-valid';

export type TokenVerifyResult =
  | {
      readonly ok: true;
      readonly claims: ServiceAccountTokenClaims;
      /** `system:serviceaccount:<ns>:<name>`. */
      readonly username: string;
      /** `system:serviceaccounts` and `system:serviceaccounts:<ns>`, as the authenticator adds. */
      readonly groups: readonly string[];
    }
  | { readonly ok: false; readonly reason: TokenFailureReason; readonly message: string };

export interface TokenVerifyOptions {
  /** Accepted issuers (`--service-account-issuer`); any issuer when omitted. */
  readonly issuers?: readonly string[];
  /** The apiserver's audiences (`--api-audiences`); any audience when omitted. */
  readonly audiences?: readonly string[];
}

/** go-jose's jwt.DefaultLeeway, applied to exp, nbf and iat. */
const LEEWAY_MS = 60_000;

function fail(reason: TokenFailureReason, message: string): TokenVerifyResult {
  return { ok: false, reason, message };
}

function decodeSegment(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(utf8Decode(base64UrlDecode(segment)));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  return value as Record<string, unknown>;
}

function isClaims(value: Record<string, unknown>): value is Record<string, unknown> & ServiceAccountTokenClaims {
  const k8s = value['kubernetes.io'] as Record<string, unknown> | undefined;
  const sa = k8s?.serviceaccount as Record<string, unknown> | undefined;
  return Array.isArray(value.aud) && typeof value.exp === 'number' && typeof value.nbf === 'number'
    && typeof value.iat === 'number' && typeof value.iss === 'string' && typeof value.sub === 'string'
    && typeof k8s?.namespace === 'string' && typeof sa?.name === 'string' && typeof sa?.uid === 'string';
}

/** Checks the time claims at `atMs` with go-jose's one-minute leeway; null when valid. */
function checkTimes(claims: ServiceAccountTokenClaims, atMs: number): TokenVerifyResult | null {
  if (atMs + LEEWAY_MS < claims.nbf * 1000) return fail('not-yet-valid', 'service account token is not valid yet');
  if (atMs - LEEWAY_MS > claims.exp * 1000) return fail('expired', 'service account token has expired');
  if (atMs + LEEWAY_MS < claims.iat * 1000) return fail('not-yet-valid', 'service account token is issued in the future');
  return null;
}

/**
 * Verifies a token with the public key (SPKI DER) at absolute time `atMs`, in the
 * authenticator's order: shape, issuer, signature, audience, then time claims. A bad token never
 * throws; only a public key that is not P-256 SPKI does (a programming error).
 */
export function verifyServiceAccountToken(
  token: string,
  publicKeySpkiDer: Uint8Array,
  atMs: number,
  options: TokenVerifyOptions = {},
): TokenVerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return fail('malformed', 'go-jose/go-jose: compact JWS format must have three parts');
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  let signature: Uint8Array;
  try {
    header = decodeSegment(parts[0]);
    payload = decodeSegment(parts[1]);
    signature = base64UrlDecode(parts[2]);
  } catch (error) {
    return fail('malformed', `malformed token: ${(error as Error).message}`);
  }
  if (header.alg !== 'ES256' || !isClaims(payload)) return fail('malformed', 'malformed token: not an ES256 service account token');
  if (options.issuers && !options.issuers.includes(payload.iss)) {
    return fail('wrong-issuer', `token issuer ${JSON.stringify(payload.iss)} is not trusted`);
  }
  const publicKey = spkiDerToPublicKey(publicKeySpkiDer);
  if (signature.length !== 64 || !verifyCompact(signature, utf8Encode(`${parts[0]}.${parts[1]}`), publicKey)) {
    return fail('bad-signature', 'go-jose/go-jose: error in cryptographic primitive');
  }
  if (options.audiences && !payload.aud.some((a) => options.audiences!.includes(a))) {
    return fail('wrong-audience', `token audiences ${goQuoteList(payload.aud)} is invalid for the target audiences ${goQuoteList(options.audiences)}`);
  }
  const timeFailure = checkTimes(payload, atMs);
  if (timeFailure) return timeFailure;
  const { namespace, serviceaccount } = payload['kubernetes.io'];
  return {
    ok: true,
    claims: payload,
    username: serviceAccountUsername(namespace, serviceaccount.name),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
}

/** Go's `%q` of a []string: `["a" "b"]`. */
function goQuoteList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
