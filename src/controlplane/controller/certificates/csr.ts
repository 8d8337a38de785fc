import type { KubeObject } from '../../../api/meta.js';
import { parseCsr, type ParsedCsr } from '../../../pki/index.js';
import { base64Decode, utf8Decode } from '../../../pki/encoding.js';

/**
 * CertificateSigningRequest (certificates.k8s.io/v1) as the csrapproving and csrsigning
 * controllers read it, and the helpers of pkg/apis/certificates (helpers.go) and
 * pkg/controller/certificates (certificate_controller_utils.go) they share.
 */
export const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';

export interface CsrCondition {
  type: 'Approved' | 'Denied' | 'Failed' | string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CsrObject extends KubeObject {
  spec: {
    /** The PKCS#10 PEM; a []byte field, so base64 in JSON. */
    request: string;
    signerName: string;
    usages?: string[];
    expirationSeconds?: number;
    /** Filled by kube-apiserver from the requester's identity; clients cannot set them. */
    username?: string;
    uid?: string;
    groups?: string[];
    extra?: Record<string, string[]>;
  };
  status?: {
    conditions?: CsrCondition[];
    /** The issued PEM chain, base64 in JSON. */
    certificate?: string;
  };
}

/** GetCertApprovalCondition: any Approved / Denied condition counts, whatever its status. */
export function approvalState(csr: CsrObject): { approved: boolean; denied: boolean } {
  const conditions = csr.status?.conditions ?? [];
  return { approved: conditions.some((c) => c.type === 'Approved'), denied: conditions.some((c) => c.type === 'Denied') };
}

/** HasTrueCondition: a condition of `type` whose status is True (or empty, for old objects). */
export function hasTrueCondition(csr: CsrObject, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && (!c.status || c.status === 'True'));
}

/**
 * Parsed requests by their bytes. spec.request never changes once a CSR is created, yet both
 * certificate controllers parse it (and check its signature) on every event of the CSR; parsing
 * is pure, so each request is parsed once. Bounded: CSRs are handled within moments of creation.
 */
const parsedRequests = new Map<string, ParsedCsr>();
const PARSED_REQUESTS_LIMIT = 256;

/** capihelper.ParseCSR: base64 → PEM → PKCS#10. Throws with the controller's error text. */
export function decodeRequest(csr: CsrObject): ParsedCsr {
  const request = csr.spec.request ?? '';
  const cached = parsedRequests.get(request);
  if (cached) return cached;
  try {
    const parsed = parseCsr(utf8Decode(base64Decode(request)));
    if (parsedRequests.size >= PARSED_REQUESTS_LIMIT) parsedRequests.delete(parsedRequests.keys().next().value!);
    parsedRequests.set(request, parsed);
    return parsed;
  } catch (error) {
    throw new Error(`unable to parse csr "${csr.metadata.name}": ${(error as Error).message}`);
  }
}

const REQUIRED_USAGES = ['client auth', 'digital signature', 'key encipherment'];
const REQUIRED_USAGES_NO_RSA = ['client auth', 'digital signature'];

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === b.length && b.every((x) => set.has(x));
}

/**
 * ValidateKubeletClientCSR (pkg/apis/certificates/helpers.go): O must be exactly
 * [system:nodes], CN must start with `system:node:`, and the usages must be exactly
 * {digital signature, client auth}, with `key encipherment` allowed for RSA keys. Returns the
 * error text, or undefined when the request is a kubelet client certificate request. (kube-learn's
 * CSRs never carry SANs, so the SAN checks have nothing to reject.)
 */
export function validateKubeletClientCsr(parsed: ParsedCsr, usages: readonly string[] | undefined): string | undefined {
  if (parsed.organizations.length !== 1 || parsed.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!parsed.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  const given = usages ?? [];
  if (!sameSet(given, REQUIRED_USAGES) && !sameSet(given, REQUIRED_USAGES_NO_RSA)) return `usages did not match [${REQUIRED_USAGES.join(' ')}]`;
  return undefined;
}

/** isNodeClientCert (sarapprove.go): the kubelet client signer and a valid kubelet client request. */
export function isNodeClientCert(csr: CsrObject, parsed: ParsedCsr): boolean {
  return csr.spec.signerName === KUBELET_CLIENT_SIGNER && validateKubeletClientCsr(parsed, csr.spec.usages) === undefined;
}

/** isSelfNodeClientCert: also asked for by the node itself (its user name is the CN), i.e. a renewal. */
export function isSelfNodeClientCert(csr: CsrObject, parsed: ParsedCsr): boolean {
  return csr.spec.username === parsed.commonName && isNodeClientCert(csr, parsed);
}
