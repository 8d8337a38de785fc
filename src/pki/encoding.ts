/**
 * Byte helpers the PKI code shares: base64 (standard and URL-safe, as PEM and JWS use), hex, and
 * UTF-8. Written here rather than taken from Buffer so the module stays free of `node:*` and runs
 * the same in any JavaScript engine.
 */

const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function encodeWith(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const triple = (b0 << 16) | (b1 << 8) | b2;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += alphabet[(triple >>> (18 - 6 * j)) & 63];
    if (pad) out += '='.repeat(4 - chars);
  }
  return out;
}

function decodeWith(text: string, alphabet: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new Error('invalid base64: truncated input');
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const ch of clean) {
    const digit = alphabet.indexOf(ch);
    if (digit < 0) throw new Error(`invalid base64: unexpected character ${JSON.stringify(ch)}`);
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

/** Standard base64 with padding (the body of a PEM block). */
export function base64Encode(bytes: Uint8Array): string {
  return encodeWith(bytes, STD_ALPHABET, true);
}

/** Strict standard base64 decoding; any character outside the alphabet throws. */
export function base64Decode(text: string): Uint8Array {
  return decodeWith(text, STD_ALPHABET);
}

/** Go's base64.RawURLEncoding: URL alphabet, no padding (JWS segments, CSR digests, kids). */
export function base64UrlEncode(bytes: Uint8Array): string {
  return encodeWith(bytes, URL_ALPHABET, false);
}

/** Strict inverse of `base64UrlEncode`. */
export function base64UrlDecode(text: string): Uint8Array {
  if (text.includes('=')) throw new Error('invalid base64url: padding is not allowed');
  return decodeWith(text, URL_ALPHABET);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function utf8Encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** A fresh ArrayBuffer holding exactly `bytes`, as the asn1 classes want. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A positive big-endian integer from bytes. */
export function bigintFromBytes(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/**
 * DER INTEGER content for a non-negative bigint: minimal big-endian bytes with a leading zero when
 * the top bit is set, so the number stays positive.
 */
export function bigintToDerIntegerBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('serial numbers must be non-negative');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
