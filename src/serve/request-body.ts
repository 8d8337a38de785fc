import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { Status } from '../api/meta.js';
import * as errors from '../controlplane/apiserver/status.js';
import { decodeKubernetesProtobuf } from './protobuf.js';

/**
 * Reading and decoding a request body the way kube-apiserver does: a size limit (413 beyond
 * it), the media types each verb accepts (415 otherwise) and decoding errors as 400 Bad
 * Request, each as a metav1.Status.
 */

/** kube-apiserver's --max-request-body-bytes default for JSON/YAML bodies: 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type BodyResult = { ok: true; body: unknown; contentType?: string } | { ok: false; status: number; error: Status };

export function tooLarge(limit: number): Status {
  return errors.status(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** Reads the whole body, stopping at `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const PATCH_TYPES = ['application/merge-patch+json', 'application/strategic-merge-patch+json'];
const OBJECT_TYPES = ['application/json', 'application/yaml'];

function unsupported(accepted: readonly string[], note = ''): BodyResult {
  return {
    ok: false,
    status: 415,
    error: errors.status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}${note}`),
  };
}

/** Decodes `raw` for `method`, checking its Content-Type. */
export function decodeBody(method: string, contentTypeHeader: string | undefined, raw: Buffer): BodyResult {
  const contentType = (contentTypeHeader ?? '').split(';')[0].trim().toLowerCase();
  if (raw.length === 0) {
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') return { ok: false, status: 400, error: errors.badRequest('the body of the request was empty') };
    return { ok: true, body: undefined };
  }
  if (contentType === PROTOBUF && (method === 'POST' || method === 'PUT')) {
    const decoded = decodeKubernetesProtobuf(raw);
    if (decoded.ok) return { ok: true, body: decoded.object, contentType: 'application/json' };
    if (decoded.unsupportedKind !== undefined) return unsupported(OBJECT_TYPES, `; ${decoded.message}`);
    return { ok: false, status: 400, error: errors.badRequest(decoded.message) };
  }
  const accepted = method === 'PATCH' ? PATCH_TYPES : OBJECT_TYPES;
  if (!accepted.includes(contentType) && !(method === 'DELETE' && contentType === '')) return unsupported(accepted);
  const text = raw.toString('utf8');
  try {
    const body = contentType === 'application/yaml' ? parseYaml(text) : JSON.parse(text);
    return { ok: true, body, contentType };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const what = method === 'PATCH' ? 'error decoding patch' : "couldn't get version/kind; json parse error";
    return { ok: false, status: 400, error: errors.badRequest(`${what}: ${detail}`) };
  }
}
