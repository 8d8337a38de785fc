/**
 * PEM armour (RFC 7468): what kubeconfigs, CSR objects' `spec.request` and `status.certificate`
 * carry. Decoding is strict so that garbage in a simulated object surfaces as a clear error.
 */
import { base64Decode, base64Encode } from './encoding.js';

/** One decoded PEM block. */
export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE REQUEST`. */
  readonly label: string;
  readonly der: Uint8Array;
}

/** Encodes DER as a PEM block with 64-character lines, as Go's encoding/pem writes it. */
export function encodePem(label: string, der: Uint8Array): string {
  const body = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order; text between blocks is ignored, as Go's pem.Decode does. */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = match[2].replace(/\s+/g, '');
    blocks.push({ label: match[1], der: base64Decode(body) });
  }
  return blocks;
}

/**
 * The DER of the first block labelled `label`. Throws `PEM block type must be <label>` (the
 * message client-go uses) when there is none.
 */
export function decodePem(text: string, label: string): Uint8Array {
  const block = decodePemBlocks(text).find((b) => b.label === label);
  if (!block) throw new Error(`PEM block type must be ${label}`);
  return block.der;
}
