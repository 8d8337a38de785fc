/**
 * The name the kubelet gives its bootstrap CertificateSigningRequest. Because it is a digest of
 * the request's content, a kubelet that restarts mid-bootstrap with the same key asks for the
 * same object, gets 409 AlreadyExists, and reuses it instead of piling up CSRs.
 */
import { sha512_256 } from '@noble/hashes/sha2.js';
import { base64UrlEncode, concatBytes, utf8Encode } from './encoding.js';

const DELIMITER = utf8Encode('|');

/**
 * `digestedName` from pkg/kubelet/certificate/bootstrap/bootstrap.go: SHA-512/256 over each of
 * public-key PKIX DER, CN, every O and every usage, each written as RawURL base64 followed by
 * '|' (a byte outside that alphabet, so 'CN:foo,O:bar' and 'CN:foob,O:ar' cannot collide), and
 * the sum again RawURL base64: `node-csr-<43 characters>`.
 */
export function csrObjectName(
  publicKeySpkiDer: Uint8Array,
  commonName: string,
  organizations: readonly string[],
  usages: readonly string[],
): string {
  const pieces: Uint8Array[] = [];
  const write = (data: Uint8Array): void => {
    pieces.push(utf8Encode(base64UrlEncode(data)), DELIMITER);
  };
  write(publicKeySpkiDer);
  write(utf8Encode(commonName));
  for (const organization of organizations) write(utf8Encode(organization));
  for (const usage of usages) write(utf8Encode(usage));
  return `node-csr-${base64UrlEncode(sha512_256(concatBytes(...pieces)))}`;
}
