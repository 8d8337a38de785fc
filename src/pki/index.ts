/**
 * kube-learn's PKI: real, deterministic X.509, PKCS#10 and JWS for the simulated cluster's
 * TLS bootstrap, client-certificate authentication and service-account tokens.
 */
export { generateKeyPair, keyPairFromPrivateKey, parsePrivateKeyPem, type KeyPair } from './keys.js';
export { encodePem, decodePem, decodePemBlocks, type PemBlock } from './pem.js';
export type { Subject } from './name.js';
export {
  createSelfSignedCa,
  signCertificate,
  parseCertificate,
  certificateFingerprint,
  serialFromBytes,
  type Certificate,
  type SelfSignedCaOptions,
  type SignCertificateOptions,
  type SignTarget,
} from './certificate.js';
export { resolveUsages, type ResolvedUsages } from './extensions.js';
export { verifyCertificate, type VerifyResult, type VerifyFailureReason, type VerifyOptions } from './verify.js';
export { createCsr, parseCsr, type CsrOptions, type ParsedCsr } from './csr.js';
export { csrObjectName } from './csr-name.js';
export {
  signServiceAccountToken,
  verifyServiceAccountToken,
  keyIdFor,
  serviceAccountUsername,
  type ServiceAccountTokenClaims,
  type ServiceAccountTokenOptions,
  type TokenVerifyResult,
  type TokenFailureReason,
  type TokenVerifyOptions,
  type ObjectRef,
} from './jwt.js';
