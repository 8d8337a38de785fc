import type { KubeObject, UserInfo } from '../../api/meta.js';
import type { Credentials } from '../../api/request.js';
import { SYSTEM_AUTHENTICATED } from '../../api/meta.js';
import { verifyCertificate, verifyServiceAccountToken, type Certificate, type ServiceAccountTokenClaims } from '../../pki/index.js';

/**
 * kube-apiserver's authenticator chain (pkg/kubeapiserver/authenticator/config.go): x509 client
 * certificates, then bearer tokens (service-account JWTs, then bootstrap tokens). Anonymous only
 * when no credential was presented at all; a presented but unknown token is a 401.
 */
export type AuthnResult =
  | { readonly ok: true; readonly user: UserInfo; readonly method: 'x509' | 'serviceaccount' | 'bootstrap-token' | 'anonymous'; readonly detail: string }
  | { readonly ok: false; readonly why: string };

export interface Authenticator {
  authenticate(credentials: Credentials): AuthnResult;
}

export interface AuthnSources {
  readonly ca: Certificate;
  readonly serviceAccountPublicKey: Uint8Array;
  readonly nowMs: () => number;
  /** Absolute epoch ms of virtual now (certificates carry calendar times). */
  readonly nowEpochMs: () => number;
  readonly getSecret: (namespace: string, name: string) => KubeObject | undefined;
  readonly getServiceAccount: (namespace: string, name: string) => KubeObject | undefined;
}

const BOOTSTRAP_TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

function decode(value: unknown): string {
  return typeof value === 'string' ? atob(value) : '';
}

function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes(SYSTEM_AUTHENTICATED) ? user : { ...user, groups: [...user.groups, SYSTEM_AUTHENTICATED] };
}

/**
 * A client certificate that verified, like the TLS session a real client keeps open: verified
 * once against `ca`, then accepted while the clock is inside both its and the CA's validity
 * window. Outside it, or once the CA is another, it is verified again (and refused with Go's text).
 */
interface VerifiedCertificate {
  readonly ca: Certificate;
  readonly user: UserInfo;
  readonly validFromMs: number;
  readonly validUntilMs: number;
}

export class AuthenticatorChain implements Authenticator {
  private readonly certCache = new Map<string, VerifiedCertificate>();
  private readonly tokenCache = new Map<string, ServiceAccountTokenClaims>();

  constructor(private readonly sources: AuthnSources) {}

  authenticate(credentials: Credentials): AuthnResult {
    if (credentials.clientCertificate) return this.x509(credentials.clientCertificate);
    if (credentials.bearerToken) return this.bearer(credentials.bearerToken);
    return {
      ok: true,
      user: { name: 'system:anonymous', groups: ['system:unauthenticated'] },
      method: 'anonymous',
      detail: 'no credentials were presented, so the request is anonymous',
    };
  }

  private x509(pem: string): AuthnResult {
    const at = this.sources.nowEpochMs();
    const ca = this.sources.ca;
    const cached = this.certCache.get(pem);
    if (cached && cached.ca === ca && at >= cached.validFromMs && at <= cached.validUntilMs) {
      return { ok: true, user: cached.user, method: 'x509', detail: 'client certificate signed by the cluster CA' };
    }
    const result = verifyCertificate(pem, ca, at, { usage: 'client auth' });
    if (!result.ok) {
      this.certCache.delete(pem);
      return { ok: false, why: `the client certificate was rejected: ${result.message}` };
    }
    const user = withAuthenticated({ name: result.commonName, groups: result.organizations });
    this.certCache.set(pem, {
      ca,
      user,
      validFromMs: Math.max(result.notBeforeMs, ca.notBeforeMs),
      validUntilMs: Math.min(result.notAfterMs, ca.notAfterMs),
    });
    return { ok: true, user, method: 'x509', detail: `client certificate CN=${result.commonName} signed by the cluster CA` };
  }

  private bearer(token: string): AuthnResult {
    if (token.split('.').length === 3) return this.serviceAccount(token);
    const match = BOOTSTRAP_TOKEN.exec(token);
    if (match) return this.bootstrapToken(match[1], match[2]);
    return { ok: false, why: 'invalid bearer token: no authenticator recognised it' };
  }

  private serviceAccount(token: string): AuthnResult {
    const at = this.sources.nowEpochMs();
    // The signature check is the expensive part; the real authenticator caches results too.
    let claims = this.tokenCache.get(token);
    if (!claims || at > claims.exp * 1000) {
      const verified = verifyServiceAccountToken(token, this.sources.serviceAccountPublicKey, at);
      if (!verified.ok) return { ok: false, why: `invalid bearer token: ${verified.message}` };
      claims = verified.claims;
      this.tokenCache.set(token, claims);
    }
    const { namespace, serviceaccount } = claims['kubernetes.io'];
    const sa = this.sources.getServiceAccount(namespace, serviceaccount.name);
    if (!sa || sa.metadata.uid !== serviceaccount.uid) {
      return { ok: false, why: `invalid bearer token: service account ${namespace}/${serviceaccount.name} has been deleted` };
    }
    const user = withAuthenticated({
      name: `system:serviceaccount:${namespace}:${serviceaccount.name}`,
      uid: serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
    });
    return { ok: true, user, method: 'serviceaccount', detail: `service-account token signed by the cluster's service-account key` };
  }

  /** plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go. */
  private bootstrapToken(tokenId: string, tokenSecret: string): AuthnResult {
    const secretName = `bootstrap-token-${tokenId}`;
    const secret = this.sources.getSecret('kube-system', secretName);
    if (!secret) return { ok: false, why: `invalid bearer token: no Secret kube-system/${secretName} exists for token id "${tokenId}"` };
    const data = (secret.data ?? {}) as Record<string, string>;
    if (secret.type !== 'bootstrap.kubernetes.io/token') return { ok: false, why: `invalid bearer token: Secret ${secretName} is not of type bootstrap.kubernetes.io/token` };
    if (secret.metadata.deletionTimestamp) return { ok: false, why: `invalid bearer token: Secret ${secretName} is being deleted` };
    if (decode(data['token-secret']) !== tokenSecret) return { ok: false, why: `invalid bearer token: the secret part does not match Secret ${secretName}` };
    const expiration = decode(data.expiration);
    if (expiration && Date.parse(expiration) < this.sources.nowEpochMs()) return { ok: false, why: `invalid bearer token: token ${tokenId} expired at ${expiration}` };
    if (decode(data['usage-bootstrap-authentication']) !== 'true') return { ok: false, why: `invalid bearer token: token ${tokenId} is not marked usage-bootstrap-authentication=true` };
    const extra = decode(data['auth-extra-groups']).split(',').filter(Boolean);
    const user = withAuthenticated({ name: `system:bootstrap:${tokenId}`, groups: ['system:bootstrappers', ...extra] });
    return { ok: true, user, method: 'bootstrap-token', detail: `bootstrap token "${tokenId}" matches Secret kube-system/${secretName}` };
  }
}
