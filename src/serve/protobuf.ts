/**
 * Kubernetes' protobuf wire format (`application/vnd.kubernetes.protobuf`), which kubectl's typed
 * clients send for `kubectl create namespace|configmap|secret|serviceaccount`: the 4-byte magic
 * `k8s\0`, then a runtime.Unknown (typeMeta = 1, raw = 2) whose raw bytes are the object in the
 * field numbers of its generated.proto. Decoded here into the JSON the rest of the API server
 * reads, for the kinds whose fields are listed below; any other kind is a 415.
 */
type Json = Record<string, unknown>;

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Varint value (wire type 0) or the bytes (wire type 2). */
  readonly value: number | Uint8Array;
}

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let result = 0;
  let scale = 1;
  for (let i = at; i < buf.length; i++) {
    const byte = buf[i];
    result += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return [result, i + 1];
    if (i - at > 9) break;
  }
  throw new Error('truncated varint');
}

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = readVarint(buf, at);
    at = next;
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, after] = readVarint(buf, at);
      out.push({ number, wire, value });
      at = after;
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, at);
      if (after + length > buf.length) throw new Error('truncated field');
      out.push({ number, wire, value: buf.subarray(after, after + length) });
      at = after + length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const text = (v: number | Uint8Array): string => (typeof v === 'number' ? String(v) : new TextDecoder().decode(v));
const bytes = (v: number | Uint8Array): Uint8Array => (typeof v === 'number' ? new Uint8Array() : v);
const base64 = (v: number | Uint8Array): string => Buffer.from(bytes(v)).toString('base64');

/** A map<string, V> field: repeated entries with key = 1, value = 2. */
function mapEntry(v: number | Uint8Array, value: (x: number | Uint8Array) => unknown): [string, unknown] {
  let key = '';
  let val: unknown = value(new Uint8Array());
  for (const f of fields(bytes(v))) {
    if (f.number === 1) key = text(f.value);
    if (f.number === 2) val = value(f.value);
  }
  return [key, val];
}

function addMap(target: Json, name: string, v: number | Uint8Array, value: (x: number | Uint8Array) => unknown): void {
  const [key, val] = mapEntry(v, value);
  target[name] = { ...((target[name] as Json | undefined) ?? {}), [key]: val };
}

/** metav1.ObjectMeta: the fields a client sets on create. */
function objectMeta(buf: Uint8Array): Json {
  const meta: Json = {};
  for (const f of fields(buf)) {
    switch (f.number) {
      case 1: meta.name = text(f.value); break;
      case 2: meta.generateName = text(f.value); break;
      case 3: meta.namespace = text(f.value); break;
      case 6: meta.resourceVersion = text(f.value); break;
      case 11: addMap(meta, 'labels', f.value, text); break;
      case 12: addMap(meta, 'annotations', f.value, text); break;
      case 14: meta.finalizers = [...((meta.finalizers as string[] | undefined) ?? []), text(f.value)]; break;
      default: break;
    }
  }
  return meta;
}

type Decoder = (f: Field, obj: Json) => void;

const DECODERS: Record<string, Decoder> = {
  Namespace: (f, obj) => {
    if (f.number === 2) obj.spec = { finalizers: fields(bytes(f.value)).filter((g) => g.number === 1).map((g) => text(g.value)) };
  },
  ConfigMap: (f, obj) => {
    if (f.number === 2) addMap(obj, 'data', f.value, text);
    if (f.number === 3) addMap(obj, 'binaryData', f.value, base64);
    if (f.number === 4) obj.immutable = f.value === 1;
  },
  Secret: (f, obj) => {
    if (f.number === 2) addMap(obj, 'data', f.value, base64);
    if (f.number === 3) obj.type = text(f.value);
    if (f.number === 4) addMap(obj, 'stringData', f.value, text);
    if (f.number === 5) obj.immutable = f.value === 1;
  },
  ServiceAccount: (f, obj) => {
    if (f.number === 3) obj.imagePullSecrets = [...((obj.imagePullSecrets as Json[] | undefined) ?? []), { name: text(fields(bytes(f.value)).find((g) => g.number === 1)?.value ?? new Uint8Array()) }];
    if (f.number === 4) obj.automountServiceAccountToken = f.value === 1;
  },
};

export const PROTOBUF_KINDS = Object.keys(DECODERS);

export type ProtobufResult = { ok: true; object: Json } | { ok: false; unsupportedKind?: string; message: string };

/** Decodes a `k8s\0`-framed body into a JSON object. */
export function decodeKubernetesProtobuf(body: Uint8Array): ProtobufResult {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) return { ok: false, message: 'provided object is not a Kubernetes protobuf message (no k8s\\0 prefix)' };
  try {
    let apiVersion = '';
    let kind = '';
    let raw: Uint8Array = new Uint8Array();
    for (const f of fields(body.subarray(4))) {
      if (f.number === 1) {
        for (const t of fields(bytes(f.value))) {
          if (t.number === 1) apiVersion = text(t.value);
          if (t.number === 2) kind = text(t.value);
        }
      }
      if (f.number === 2) raw = bytes(f.value);
    }
    const decode = DECODERS[kind];
    if (!decode) return { ok: false, unsupportedKind: kind, message: `protobuf bodies are decoded for ${PROTOBUF_KINDS.join(', ')} only, not ${kind || 'this object'}` };
    const obj: Json = { apiVersion, kind, metadata: {} };
    for (const f of fields(raw)) {
      if (f.number === 1) obj.metadata = objectMeta(bytes(f.value));
      else decode(f, obj);
    }
    return { ok: true, object: obj };
  } catch (error) {
    return { ok: false, message: `failed to decode protobuf: ${error instanceof Error ? error.message : String(error)}` };
  }
}
