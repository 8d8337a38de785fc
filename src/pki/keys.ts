/**
 * ECDSA P-256 keys, the kind the kubelet generates for its client certificate
 * (`pkg/kubelet/certificate/bootstrap`). Keys come from caller-supplied bytes (the simulation's
 * Prng) so that the same seed always yields the same key, and signatures use RFC 6979
 * deterministic nonces so the same key and message always yield the same signature.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { ECParameters, ECPrivateKey, id_ecPublicKey, id_secp256r1 } from '@peculiar/asn1-ecc';
import { concatBytes, toArrayBuffer, utf8Encode } from './encoding.js';
import { decodePem, encodePem } from './pem.js';

/** A P-256 key pair with the encodings the rest of the simulation hands around. */
export interface KeyPair {
  /** The 32-byte private scalar. */
  readonly privateKey: Uint8Array;
  /** The uncompressed SEC1 public point (65 bytes, `04 || x || y`). */
  readonly publicKey: Uint8Array;
  /** PKIX SubjectPublicKeyInfo DER, what Go's x509.MarshalPKIXPublicKey returns. */
  readonly publicKeySpkiDer: Uint8Array;
  /** `PUBLIC KEY` PEM of the SPKI. */
  readonly publicKeyPem: string;
  /** SEC1 `EC PRIVATE KEY` PEM, as keyutil writes kubelet-client keys. */
  readonly privateKeyPem: string;
}

const KEY_DERIVATION_LABEL = utf8Encode('kube-learn/pki/p256-key\0');
const SEED_LENGTH = 48;

/**
 * Derives a P-256 key from at least 32 bytes of simulation randomness. The bytes are stretched
 * with SHA-512 and reduced into [1, n-1], so any input gives a valid, uniformly spread key.
 */
export function generateKeyPair(bytes: Uint8Array): KeyPair {
  if (bytes.length < 32) throw new RangeError(`generateKeyPair needs 32+ bytes, got ${bytes.length}`);
  const seed = sha512(concatBytes(KEY_DERIVATION_LABEL, bytes)).subarray(0, SEED_LENGTH);
  return keyPairFromPrivateKey(p256.utils.randomSecretKey(seed));
}

/** Rebuilds the full KeyPair from a private scalar (e.g. one read back from a PEM). */
export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  if (!p256.utils.isValidSecretKey(privateKey)) throw new Error('invalid P-256 private key');
  const publicKey = p256.getPublicKey(privateKey, false);
  const publicKeySpkiDer = encodeSpki(publicKey);
  const sec1 = new ECPrivateKey({
    version: 1,
    privateKey: new OctetString(toArrayBuffer(privateKey)),
    parameters: new ECParameters({ namedCurve: id_secp256r1 }),
    publicKey: toArrayBuffer(publicKey),
  });
  return {
    privateKey: new Uint8Array(privateKey),
    publicKey,
    publicKeySpkiDer,
    publicKeyPem: encodePem('PUBLIC KEY', publicKeySpkiDer),
    privateKeyPem: encodePem('EC PRIVATE KEY', new Uint8Array(AsnConvert.serialize(sec1))),
  };
}

/** Reads a SEC1 `EC PRIVATE KEY` PEM written by `generateKeyPair`. */
export function parsePrivateKeyPem(pem: string): KeyPair {
  const der = decodePem(pem, 'EC PRIVATE KEY');
  let sec1: ECPrivateKey;
  try {
    sec1 = AsnConvert.parse(der, ECPrivateKey);
  } catch (error) {
    throw new Error(`x509: failed to parse EC private key: ${(error as Error).message}`);
  }
  if (sec1.parameters?.namedCurve !== id_secp256r1) throw new Error('x509: unknown elliptic curve');
  return keyPairFromPrivateKey(new Uint8Array(sec1.privateKey.buffer));
}

/** SubjectPublicKeyInfo DER for an uncompressed P-256 point. */
export function encodeSpki(publicKey: Uint8Array): Uint8Array {
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({
      algorithm: id_ecPublicKey,
      parameters: AsnConvert.serialize(new ECParameters({ namedCurve: id_secp256r1 })),
    }),
    subjectPublicKey: toArrayBuffer(publicKey),
  });
  return new Uint8Array(AsnConvert.serialize(spki));
}

/** The SEC1 point inside a P-256 SPKI; throws for any other algorithm or curve. */
export function spkiToPublicKey(spki: SubjectPublicKeyInfo): Uint8Array {
  if (spki.algorithm.algorithm !== id_ecPublicKey || !spki.algorithm.parameters) {
    throw new Error(`x509: unsupported public key algorithm ${spki.algorithm.algorithm}`);
  }
  const params = AsnConvert.parse(spki.algorithm.parameters, ECParameters);
  if (params.namedCurve !== id_secp256r1) throw new Error('x509: unsupported elliptic curve');
  const point = new Uint8Array(spki.subjectPublicKey);
  if (!p256.utils.isValidPublicKey(point, false) && !p256.utils.isValidPublicKey(point, true)) {
    throw new Error('x509: invalid P-256 public key');
  }
  return point;
}

/** Parses SPKI DER to the SEC1 point (see `spkiToPublicKey`). */
export function spkiDerToPublicKey(spkiDer: Uint8Array): Uint8Array {
  return spkiToPublicKey(AsnConvert.parse(spkiDer, SubjectPublicKeyInfo));
}

/** ecdsa-with-SHA256 over `message`, DER-encoded as X.509 and PKCS#10 carry it. */
export function signDer(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return p256.sign(message, privateKey, { prehash: true, format: 'der' });
}

/** Verifies a DER ecdsa-with-SHA256 signature; false (never a throw) for any malformed input. */
export function verifyDer(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    // Go and OpenSSL accept high-S signatures, so we do too.
    return p256.verify(signature, message, publicKey, { prehash: true, format: 'der', lowS: false });
  } catch {
    return false;
  }
}

/** ES256 (JWS) signature: raw `r || s`, 64 bytes. */
export function signCompact(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return p256.sign(message, privateKey, { prehash: true, format: 'compact' });
}

/** Verifies a raw `r || s` ES256 signature; false for malformed input. */
export function verifyCompact(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return p256.verify(signature, message, publicKey, { prehash: true, format: 'compact', lowS: false });
  } catch {
    return false;
  }
}
