/**
 * Decoding of X.509 DER into the plain `Certificate` record the rest of kube-learn reads, plus
 * the raw pieces (to-be-signed bytes, names, key) that signing and verification need.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate, type Name } from '@peculiar/asn1-x509';
import { id_ecdsaWithSHA256 } from '@peculiar/asn1-ecc';
import { bigintFromBytes, toHex } from './encoding.js';
import { decodeExtensions, extKeyUsageName, keyUsageNames } from './extensions.js';
import { formatName, nameDer, readSubject, type Subject } from './name.js';
import { encodePem } from './pem.js';
import { encodeSpki, spkiToPublicKey } from './keys.js';

/** An X.509 certificate, decoded into the facts the simulation and the inspector show. */
export interface Certificate {
  readonly pem: string;
  readonly der: Uint8Array;
  /** CN and O: the user name and groups the apiserver's x509 authenticator derives. */
  readonly subject: Subject;
  readonly issuer: Subject;
  /** Go's pkix.Name String(), e.g. `CN=system:node:worker-1,O=system:nodes`. */
  readonly subjectText: string;
  readonly issuerText: string;
  readonly serialNumber: bigint;
  /** Lower-case hex of the serial number, even length. */
  readonly serialHex: string;
  /** Validity bounds in epoch ms; X.509 stores whole seconds, so these are multiples of 1000. */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly isCa: boolean;
  /** Kubernetes usage names of the keyUsage bits, e.g. ['digital signature', 'key encipherment']. */
  readonly keyUsages: readonly string[];
  /** Kubernetes usage names of the extKeyUsage OIDs, e.g. ['client auth']. */
  readonly extKeyUsages: readonly string[];
  readonly dnsNames: readonly string[];
  readonly subjectKeyIdHex: string | undefined;
  readonly authorityKeyIdHex: string | undefined;
  readonly publicKeyAlgorithm: 'ECDSA P-256';
  readonly signatureAlgorithm: 'ECDSA-SHA256';
  /** PKIX SubjectPublicKeyInfo DER of the certified key. */
  readonly publicKeySpkiDer: Uint8Array;
}

/** A decoded certificate plus the exact bytes a signature covers. */
export interface DecodedCertificate {
  readonly certificate: Certificate;
  readonly tbsDer: Uint8Array;
  readonly signature: Uint8Array;
  readonly signatureAlgorithmOid: string;
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  /** The subject as parsed, reused verbatim as the issuer of certificates this one signs. */
  readonly subjectName: Name;
  readonly publicKey: Uint8Array;
  readonly keyUsageBits: number | undefined;
  readonly extKeyUsageOids: readonly string[];
  readonly hasBasicConstraints: boolean;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
}

function serialHexOf(serial: bigint): string {
  const hex = serial.toString(16);
  return hex.length % 2 === 1 ? '0' + hex : hex;
}

/** Decodes DER; throws an Error prefixed `x509: malformed certificate` on anything unreadable. */
export function decodeCertificateDer(der: Uint8Array): DecodedCertificate {
  let asn: AsnCertificate;
  let publicKey: Uint8Array;
  let ext: ReturnType<typeof decodeExtensions>;
  try {
    asn = AsnConvert.parse(der, AsnCertificate);
    publicKey = spkiToPublicKey(asn.tbsCertificate.subjectPublicKeyInfo);
    ext = decodeExtensions(asn.tbsCertificate.extensions ?? []);
  } catch (error) {
    throw new Error(`x509: malformed certificate: ${(error as Error).message}`);
  }
  const tbs = asn.tbsCertificate;
  const serialNumber = bigintFromBytes(new Uint8Array(tbs.serialNumber));
  const certificate: Certificate = {
    pem: encodePem('CERTIFICATE', der),
    der: new Uint8Array(der),
    subject: readSubject(tbs.subject),
    issuer: readSubject(tbs.issuer),
    subjectText: formatName(tbs.subject),
    issuerText: formatName(tbs.issuer),
    serialNumber,
    serialHex: serialHexOf(serialNumber),
    notBeforeMs: tbs.validity.notBefore.getTime().getTime(),
    notAfterMs: tbs.validity.notAfter.getTime().getTime(),
    isCa: ext.isCa,
    keyUsages: keyUsageNames(ext.keyUsageBits ?? 0),
    extKeyUsages: ext.extKeyUsageOids.map(extKeyUsageName),
    dnsNames: ext.dnsNames,
    subjectKeyIdHex: ext.subjectKeyId && toHex(ext.subjectKeyId),
    authorityKeyIdHex: ext.authorityKeyId && toHex(ext.authorityKeyId),
    publicKeyAlgorithm: 'ECDSA P-256',
    signatureAlgorithm: 'ECDSA-SHA256',
    publicKeySpkiDer: encodeSpki(publicKey),
  };
  return {
    certificate,
    tbsDer: asn.tbsCertificateRaw ? new Uint8Array(asn.tbsCertificateRaw) : new Uint8Array(AsnConvert.serialize(tbs)),
    signature: new Uint8Array(asn.signatureValue),
    signatureAlgorithmOid: asn.signatureAlgorithm.algorithm,
    issuerDer: nameDer(tbs.issuer),
    subjectDer: nameDer(tbs.subject),
    subjectName: tbs.subject,
    publicKey,
    keyUsageBits: ext.keyUsageBits,
    extKeyUsageOids: ext.extKeyUsageOids,
    hasBasicConstraints: ext.hasBasicConstraints,
    subjectKeyId: ext.subjectKeyId,
    authorityKeyId: ext.authorityKeyId,
  };
}

/** True when the signature algorithm is the only one this module issues and checks. */
export function isEcdsaSha256(decoded: DecodedCertificate): boolean {
  return decoded.signatureAlgorithmOid === id_ecdsaWithSHA256;
}

const decodedCache = new WeakMap<Certificate, DecodedCertificate>();

/**
 * `decodeCertificateDer(cert.der)`, remembered per Certificate object: the cluster CA is decoded
 * once, not once per certificate it signs or checks.
 */
export function decodeCertificate(cert: Certificate): DecodedCertificate {
  let decoded = decodedCache.get(cert);
  if (!decoded) {
    decoded = decodeCertificateDer(cert.der);
    decodedCache.set(cert, decoded);
  }
  return decoded;
}
