/**
 * PKCS#10 certificate signing requests, as the kubelet makes them for its client certificate
 * (certutil.MakeCSR: subject only, no SANs, no extensions) and as the apiserver and csrsigning
 * controller read them back.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { id_ecdsaWithSHA256 } from '@peculiar/asn1-ecc';
import { toArrayBuffer } from './encoding.js';
import { encodeSpki, signDer, spkiToPublicKey, verifyDer, type KeyPair } from './keys.js';
import { buildName, formatName, readSubject } from './name.js';
import { decodePem, encodePem } from './pem.js';

/** What the kubelet puts in its request. */
export interface CsrOptions {
  readonly key: KeyPair;
  /** `system:node:<nodeName>` for kubelet client certificates. */
  readonly commonName: string;
  /** `['system:nodes']` for kubelet client certificates. */
  readonly organizations: readonly string[];
}

/** A decoded CSR: the facts the approver and signer act on. */
export interface ParsedCsr {
  readonly commonName: string;
  readonly organizations: readonly string[];
  /** Go's pkix.Name String() of the subject. */
  readonly subjectText: string;
  readonly publicKeySpkiDer: Uint8Array;
  /** Whether the request is signed by the key it carries (x509.CertificateRequest.CheckSignature). */
  readonly signatureValid: boolean;
  readonly pem: string;
  readonly der: Uint8Array;
}

/** x509.CreateCertificateRequest for an ECDSA P-256 key: returns a `CERTIFICATE REQUEST` PEM. */
export function createCsr(options: CsrOptions): string {
  const info = new CertificationRequestInfo({
    version: 0,
    subject: buildName({ commonName: options.commonName, organizations: options.organizations }),
    subjectPKInfo: AsnConvert.parse(options.key.publicKeySpkiDer, SubjectPublicKeyInfo),
    attributes: new Attributes(),
  });
  const infoDer = new Uint8Array(AsnConvert.serialize(info));
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: id_ecdsaWithSHA256 }),
    signature: toArrayBuffer(signDer(infoDer, options.key.privateKey)),
  });
  return encodePem('CERTIFICATE REQUEST', new Uint8Array(AsnConvert.serialize(request)));
}

/**
 * Decodes a `CERTIFICATE REQUEST` PEM. Anything that is not a well-formed P-256 request throws
 * an Error saying why; a bad signature does not throw but shows as `signatureValid: false`.
 */
export function parseCsr(pem: string): ParsedCsr {
  let der: Uint8Array;
  try {
    der = decodePem(pem, 'CERTIFICATE REQUEST');
  } catch (error) {
    throw new Error(`invalid certificate request: ${(error as Error).message}`);
  }
  let request: CertificationRequest;
  let publicKey: Uint8Array;
  try {
    request = AsnConvert.parse(der, CertificationRequest);
    publicKey = spkiToPublicKey(request.certificationRequestInfo.subjectPKInfo);
  } catch (error) {
    throw new Error(`invalid certificate request: x509: malformed certificate request: ${(error as Error).message}`);
  }
  const info = request.certificationRequestInfo;
  const infoDer = request.certificationRequestInfoRaw
    ? new Uint8Array(request.certificationRequestInfoRaw)
    : new Uint8Array(AsnConvert.serialize(info));
  const signatureValid = request.signatureAlgorithm.algorithm === id_ecdsaWithSHA256
    && verifyDer(new Uint8Array(request.signature), infoDer, publicKey);
  const subject = readSubject(info.subject);
  return {
    commonName: subject.commonName,
    organizations: subject.organizations,
    subjectText: formatName(info.subject),
    publicKeySpkiDer: encodeSpki(publicKey),
    signatureValid,
    pem: encodePem('CERTIFICATE REQUEST', der),
    der: new Uint8Array(der),
  };
}
