/**
 * Issuing X.509 certificates the way the cluster does: kubeadm's self-signed cluster CA and the
 * kube-controller-manager csrsigning controller's client certificates. Output is byte-for-byte
 * reproducible: no clock, no randomness beyond what the caller passes in.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Certificate as AsnCertificate,
  Extensions,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { id_ecdsaWithSHA256 } from '@peculiar/asn1-ecc';
import { bigintFromBytes, bigintToDerIntegerBytes, bytesEqual, toArrayBuffer, toHex } from './encoding.js';
import { buildExtensions, resolveUsages, subjectKeyIdFor, type ExtensionPlan } from './extensions.js';
import { decodeCertificate, decodeCertificateDer, type Certificate } from './certificate-der.js';
import type { ParsedCsr } from './csr.js';
import { signDer, spkiDerToPublicKey, type KeyPair } from './keys.js';
import { buildName, type Subject } from './name.js';
import { decodePem } from './pem.js';
import { formatGoTime } from './time-format.js';

export type { Certificate } from './certificate-der.js';

interface IssueInput {
  readonly subject: Name;
  readonly issuer: Name;
  readonly publicKeySpkiDer: Uint8Array;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly serialNumber: bigint;
  readonly extensions: ExtensionPlan;
  readonly signingKey: KeyPair;
}

function checkSerial(serialNumber: bigint): void {
  if (serialNumber <= 0n) throw new RangeError('x509: serial number must be positive');
  if (bigintToDerIntegerBytes(serialNumber).length > 20) throw new RangeError('x509: serial number exceeds 20 octets');
}

/** Builds, signs and re-decodes one certificate (x509.CreateCertificate). */
function issue(input: IssueInput): Certificate {
  checkSerial(input.serialNumber);
  if (!(input.notBeforeMs < input.notAfterMs)) throw new RangeError('x509: NotAfter must be after NotBefore');
  const signature = new AlgorithmIdentifier({ algorithm: id_ecdsaWithSHA256 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(bigintToDerIntegerBytes(input.serialNumber)),
    signature,
    issuer: input.issuer,
    validity: new Validity({ notBefore: new Date(input.notBeforeMs), notAfter: new Date(input.notAfterMs) }),
    subject: input.subject,
    subjectPublicKeyInfo: AsnConvert.parse(input.publicKeySpkiDer, SubjectPublicKeyInfo),
    extensions: new Extensions(buildExtensions(input.extensions)),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const cert = new AsnCertificate({
    tbsCertificate: tbs,
    signatureAlgorithm: signature,
    signatureValue: toArrayBuffer(signDer(tbsDer, input.signingKey.privateKey)),
  });
  return decodeCertificateDer(new Uint8Array(AsnConvert.serialize(cert))).certificate;
}

/** Options for the cluster CA (kubeadm `certs ca` phase). */
export interface SelfSignedCaOptions {
  readonly key: KeyPair;
  /** kubeadm uses `kubernetes`. */
  readonly commonName: string;
  readonly organizations?: readonly string[];
  /** Absolute epoch ms; the caller adds the simulation's EPOCH_MS. */
  readonly notBeforeMs: number;
  /** kubeadm: NotBefore + 10 years. */
  readonly notAfterMs: number;
  /** kubeadm draws uniformly from [1, 2^63-1). */
  readonly serialNumber: bigint;
}

/**
 * kubeadm's pkiutil.NewSelfSignedCACert: CA:TRUE (critical), keyUsage digitalSignature,
 * keyEncipherment, keyCertSign (critical), a subject key id, and the CN as its one DNS SAN.
 */
export function createSelfSignedCa(options: SelfSignedCaOptions): Certificate {
  const name = buildName({ commonName: options.commonName, organizations: options.organizations ?? [] });
  return issue({
    subject: name,
    issuer: name,
    publicKeySpkiDer: options.key.publicKeySpkiDer,
    notBeforeMs: options.notBeforeMs,
    notAfterMs: options.notAfterMs,
    serialNumber: options.serialNumber,
    signingKey: options.key,
    extensions: {
      ...resolveUsages(['digital signature', 'key encipherment', 'cert sign']),
      isCa: true,
      subjectKeyId: subjectKeyIdFor(options.key.publicKey),
      dnsNames: [options.commonName],
    },
  });
}

/** Who the certificate is for: a parsed CSR, or a key and subject given directly. */
export type SignTarget =
  | { readonly csr: ParsedCsr }
  | { readonly publicKeySpkiDer: Uint8Array; readonly subject: Subject };

/** Options for the csrsigning controller's signer. */
export type SignCertificateOptions = SignTarget & {
  readonly ca: { readonly certificate: Certificate; readonly key: KeyPair };
  /** Absolute epoch ms. Backdating (the signer uses 5 minutes) is the caller's job. */
  readonly notBeforeMs: number;
  /** Absolute epoch ms; truncated to the CA's NotAfter as the signer does. */
  readonly notAfterMs: number;
  /** The signer draws a random 128-bit serial. */
  readonly serialNumber: bigint;
  /** certificates.k8s.io usage strings, e.g. ['digital signature', 'client auth']. */
  readonly usages: readonly string[];
  /** Subject alternative names, for serving certificates (kube-apiserver's apiserver.crt). */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
};

function targetOf(options: SignCertificateOptions): { publicKeySpkiDer: Uint8Array; subject: Subject } {
  if ('csr' in options) {
    if (!options.csr.signatureValid) throw new Error('x509: ECDSA verification failure');
    return { publicKeySpkiDer: options.csr.publicKeySpkiDer, subject: options.csr };
  }
  return { publicKeySpkiDer: options.publicKeySpkiDer, subject: options.subject };
}

/**
 * The csrsigning controller (authority.Sign with PermissiveSigningPolicy): subject (CN and O; this
 * module writes no other attributes) and key from the request; keyUsage (critical) and sorted extKeyUsage from `usages`; CA:FALSE (critical);
 * authority key id = the CA's subject key id; other requested extensions dropped.
 */
export function signCertificate(options: SignCertificateOptions): Certificate {
  const { certificate: caCert, key: caKey } = options.ca;
  const caDecoded = decodeCertificate(caCert);
  if (!bytesEqual(caDecoded.publicKey, caKey.publicKey)) {
    throw new Error("x509: provided PrivateKey doesn't match parent's PublicKey");
  }
  const target = targetOf(options);
  // Throws for anything but a valid P-256 key, before we sign over it.
  spkiDerToPublicKey(target.publicKeySpkiDer);
  const notAfterMs = Math.min(options.notAfterMs, caCert.notAfterMs);
  if (!(options.notBeforeMs < caCert.notAfterMs)) {
    throw new Error(`the signer has expired: NotAfter=${formatGoTime(caCert.notAfterMs)}`);
  }
  return issue({
    subject: buildName(target.subject),
    issuer: caDecoded.subjectName,
    publicKeySpkiDer: target.publicKeySpkiDer,
    notBeforeMs: options.notBeforeMs,
    notAfterMs,
    serialNumber: options.serialNumber,
    signingKey: caKey,
    extensions: {
      ...resolveUsages(options.usages),
      isCa: false,
      authorityKeyId: caDecoded.subjectKeyId,
      dnsNames: options.dnsNames,
      ipAddresses: options.ipAddresses,
    },
  });
}

/** Decodes a `CERTIFICATE` PEM into a readable record (subject, issuer, validity, usages...). */
export function parseCertificate(pem: string): Certificate {
  return decodeCertificateDer(decodePem(pem, 'CERTIFICATE')).certificate;
}

/** SHA-256 of the DER, lower-case hex: a stable cache key, as `openssl x509 -fingerprint -sha256`. */
export function certificateFingerprint(pem: string): string {
  return toHex(sha256(decodePem(pem, 'CERTIFICATE')));
}

/** A positive serial from random bytes (e.g. 16 bytes for the signer's 128-bit serials). */
export function serialFromBytes(bytes: Uint8Array): bigint {
  const value = bigintFromBytes(bytes);
  return value === 0n ? 1n : value;
}
