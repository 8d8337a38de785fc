/**
 * Certificate verification against one trusted CA, following the order and error text of Go's
 * (*x509.Certificate).Verify as the apiserver's x509 authenticator runs it: the leaf's validity
 * window first, then finding the issuer by name, then the signature, then the CA's own window,
 * then (optionally) the extended key usage.
 */
import { decodeCertificate, decodeCertificateDer, isEcdsaSha256, type Certificate, type DecodedCertificate } from './certificate-der.js';
import { bytesEqual } from './encoding.js';
import { extKeyUsageName } from './extensions.js';
import { verifyDer } from './keys.js';
import { decodePem } from './pem.js';
import { formatRfc3339 } from './time-format.js';

/** Why a certificate was not accepted. */
export type VerifyFailureReason =
  | 'malformed'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'expired'
  | 'not-yet-valid'
  | 'incompatible-usage';

export type VerifyResult =
  | {
      readonly ok: true;
      readonly commonName: string;
      readonly organizations: readonly string[];
      readonly notBeforeMs: number;
      readonly notAfterMs: number;
    }
  | { readonly ok: false; readonly reason: VerifyFailureReason; readonly message: string };

export interface VerifyOptions {
  /**
   * A required extended key usage, e.g. 'client auth' as the apiserver demands of client
   * certificates. A certificate with no extKeyUsage at all is accepted for any, as in Go.
   */
  readonly usage?: string;
}

const KEY_USAGE_CERT_SIGN = 1 << 5;
const UNKNOWN_AUTHORITY = 'x509: certificate signed by unknown authority';
function fail(reason: VerifyFailureReason, message: string): VerifyResult {
  return { ok: false, reason, message };
}

/** CertificateInvalidError{Reason: Expired}, or null when `atMs` is inside the window. */
function checkWindow(cert: Certificate, atMs: number): { reason: VerifyFailureReason; message: string } | null {
  const prefix = 'x509: certificate has expired or is not yet valid: current time';
  if (atMs < cert.notBeforeMs) {
    return { reason: 'not-yet-valid', message: `${prefix} ${formatRfc3339(atMs)} is before ${formatRfc3339(cert.notBeforeMs)}` };
  }
  if (atMs > cert.notAfterMs) {
    return { reason: 'expired', message: `${prefix} ${formatRfc3339(atMs)} is after ${formatRfc3339(cert.notAfterMs)}` };
  }
  return null;
}

/** UnknownAuthorityError with the hint Go adds when a candidate CA was tried and rejected. */
function unknownAuthority(hint: string, ca: Certificate): string {
  const caName = ca.subject.commonName || `serial:${ca.serialNumber}`;
  return `${UNKNOWN_AUTHORITY} (possibly because of ${JSON.stringify(hint)} while trying to verify candidate authority certificate ${JSON.stringify(caName)})`;
}

/** CheckSignatureFrom: the CA must be allowed to sign, and the signature must hold. */
function checkSignature(leaf: DecodedCertificate, ca: DecodedCertificate): VerifyResult | null {
  const caCert = ca.certificate;
  const mayIssue = ca.hasBasicConstraints && caCert.isCa
    && (ca.keyUsageBits === undefined || (ca.keyUsageBits & KEY_USAGE_CERT_SIGN) !== 0);
  if (!mayIssue) {
    const hint = 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
    return fail('wrong-issuer', unknownAuthority(hint, caCert));
  }
  if (!isEcdsaSha256(leaf)) {
    return fail('bad-signature', unknownAuthority('x509: cannot verify signature: algorithm unimplemented', caCert));
  }
  if (!verifyDer(leaf.signature, leaf.tbsDer, ca.publicKey)) {
    // Same name but a different key id means another CA of the same name (another cluster's).
    const otherCa = leaf.authorityKeyId && ca.subjectKeyId && !bytesEqual(leaf.authorityKeyId, ca.subjectKeyId);
    return fail(otherCa ? 'wrong-issuer' : 'bad-signature', unknownAuthority('x509: ECDSA verification failure', caCert));
  }
  return null;
}

function checkUsage(leaf: DecodedCertificate, usage: string | undefined): VerifyResult | null {
  if (usage === undefined || leaf.extKeyUsageOids.length === 0) return null;
  const names = leaf.extKeyUsageOids.map(extKeyUsageName);
  if (names.includes('any') || names.includes(usage)) return null;
  return fail('incompatible-usage', 'x509: certificate specifies an incompatible key usage');
}

/**
 * Verifies `pem` as issued by `ca` at absolute time `atMs` (epoch ms). Never throws: garbage
 * comes back as `{ ok: false, reason: 'malformed' }`.
 */
export function verifyCertificate(pem: string, ca: Certificate, atMs: number, options: VerifyOptions = {}): VerifyResult {
  let leaf: DecodedCertificate;
  let caDecoded: DecodedCertificate;
  try {
    leaf = decodeCertificateDer(decodePem(pem, 'CERTIFICATE'));
    caDecoded = decodeCertificate(ca);
  } catch (error) {
    return fail('malformed', (error as Error).message);
  }
  const window = checkWindow(leaf.certificate, atMs);
  if (window) return fail(window.reason, window.message);
  if (!bytesEqual(leaf.issuerDer, caDecoded.subjectDer)) return fail('wrong-issuer', UNKNOWN_AUTHORITY);
  const signatureFailure = checkSignature(leaf, caDecoded);
  if (signatureFailure) return signatureFailure;
  const caWindow = checkWindow(ca, atMs);
  if (caWindow) return fail(caWindow.reason, unknownAuthority(caWindow.message, ca));
  const usageFailure = checkUsage(leaf, options.usage);
  if (usageFailure) return usageFailure;
  const { subject, notBeforeMs, notAfterMs } = leaf.certificate;
  return { ok: true, commonName: subject.commonName, organizations: subject.organizations, notBeforeMs, notAfterMs };
}
