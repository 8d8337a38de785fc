/**
 * X.509 v3 extensions in the order and shape Go's x509.CreateCertificate writes them, plus the
 * mapping from the certificates.k8s.io usage strings (`spec.usages`) to key usages, as
 * `pkg/controller/certificates/authority/policies.go` does it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { toArrayBuffer } from './encoding.js';

/** Key-usage bits, in Go's x509.KeyUsage order, keyed by the Kubernetes usage string. */
const KEY_USAGE_BITS: Record<string, number> = {
  signing: 1 << 0,
  'digital signature': 1 << 0,
  'content commitment': 1 << 1,
  'key encipherment': 1 << 2,
  'data encipherment': 1 << 3,
  'key agreement': 1 << 4,
  'cert sign': 1 << 5,
  'crl sign': 1 << 6,
  'encipher only': 1 << 7,
  'decipher only': 1 << 8,
};

/** Names openssl and Go print for each key-usage bit, lowest bit first. */
const KEY_USAGE_NAMES = ['digital signature', 'content commitment', 'key encipherment', 'data encipherment',
  'key agreement', 'cert sign', 'crl sign', 'encipher only', 'decipher only'];

/** Extended key usages in Go's x509.ExtKeyUsage enum order, which the signer sorts by. */
const EXT_KEY_USAGES: ReadonlyArray<{ usages: readonly string[]; oid: string }> = [
  { usages: ['any'], oid: '2.5.29.37.0' },
  { usages: ['server auth'], oid: '1.3.6.1.5.5.7.3.1' },
  { usages: ['client auth'], oid: '1.3.6.1.5.5.7.3.2' },
  { usages: ['code signing'], oid: '1.3.6.1.5.5.7.3.3' },
  { usages: ['email protection', 's/mime'], oid: '1.3.6.1.5.5.7.3.4' },
  { usages: ['ipsec end system'], oid: '1.3.6.1.5.5.7.3.5' },
  { usages: ['ipsec tunnel'], oid: '1.3.6.1.5.5.7.3.6' },
  { usages: ['ipsec user'], oid: '1.3.6.1.5.5.7.3.7' },
  { usages: ['timestamping'], oid: '1.3.6.1.5.5.7.3.8' },
  { usages: ['ocsp signing'], oid: '1.3.6.1.5.5.7.3.9' },
  { usages: ['microsoft sgc'], oid: '1.3.6.1.4.1.311.10.3.3' },
  { usages: ['netscape sgc'], oid: '2.16.840.1.113730.4.1' },
];

/** Key usages as the signer derives them: a bit mask plus sorted, de-duplicated EKU OIDs. */
export interface ResolvedUsages {
  readonly keyUsageBits: number;
  readonly extKeyUsageOids: readonly string[];
}

/**
 * keyUsagesFromStrings: maps `spec.usages`; any unknown string fails with the signer's message
 * `unrecognized usage values: ["..."]`.
 */
export function resolveUsages(usages: readonly string[]): ResolvedUsages {
  let keyUsageBits = 0;
  const ekuIndexes = new Set<number>();
  const unrecognized: string[] = [];
  for (const usage of usages) {
    const bit = KEY_USAGE_BITS[usage];
    const eku = EXT_KEY_USAGES.findIndex((e) => e.usages.includes(usage));
    if (bit !== undefined) keyUsageBits |= bit;
    else if (eku >= 0) ekuIndexes.add(eku);
    else unrecognized.push(usage);
  }
  if (unrecognized.length > 0) {
    throw new Error(`unrecognized usage values: [${unrecognized.map((u) => JSON.stringify(u)).join(' ')}]`);
  }
  const extKeyUsageOids = [...ekuIndexes].sort((a, b) => a - b).map((i) => EXT_KEY_USAGES[i].oid);
  return { keyUsageBits, extKeyUsageOids };
}

/** Human names for key-usage bits, e.g. ['digital signature', 'key encipherment']. */
export function keyUsageNames(bits: number): string[] {
  return KEY_USAGE_NAMES.filter((_, i) => (bits & (1 << i)) !== 0);
}

/** The Kubernetes usage string for an EKU OID, or the dotted OID when there is none. */
export function extKeyUsageName(oid: string): string {
  return EXT_KEY_USAGES.find((e) => e.oid === oid)?.usages[0] ?? oid;
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/**
 * Subject key id for a CA with none given: the first 20 bytes of SHA-256 over the public key
 * bits, as Go 1.25+ CreateCertificate derives it (RFC 7093 method 1).
 */
export function subjectKeyIdFor(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).subarray(0, 20);
}

/** What a certificate to be issued should say about itself. */
export interface ExtensionPlan {
  readonly keyUsageBits: number;
  readonly extKeyUsageOids: readonly string[];
  readonly isCa: boolean;
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly dnsNames?: readonly string[];
  /** IP SANs (a serving certificate's 127.0.0.1), written after the DNS names as Go does. */
  readonly ipAddresses?: readonly string[];
}

/** Extensions in buildCertExtensions order: KU, EKU, BC, SKI, AKI, SAN. */
export function buildExtensions(plan: ExtensionPlan): Extension[] {
  const out: Extension[] = [];
  if (plan.keyUsageBits !== 0) out.push(extension(id_ce_keyUsage, true, new KeyUsage(plan.keyUsageBits)));
  if (plan.extKeyUsageOids.length > 0) {
    out.push(extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([...plan.extKeyUsageOids])));
  }
  out.push(extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: plan.isCa })));
  if (plan.subjectKeyId) {
    out.push(extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(toArrayBuffer(plan.subjectKeyId))));
  }
  if (plan.authorityKeyId) {
    const aki = new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(toArrayBuffer(plan.authorityKeyId)) });
    out.push(extension(id_ce_authorityKeyIdentifier, false, aki));
  }
  const ips = plan.ipAddresses ?? [];
  if ((plan.dnsNames && plan.dnsNames.length > 0) || ips.length > 0) {
    const names = (plan.dnsNames ?? []).map((dNSName) => new GeneralName({ dNSName }));
    const san = new SubjectAlternativeName([...names, ...ips.map((iPAddress) => new GeneralName({ iPAddress }))]);
    out.push(extension(id_ce_subjectAltName, false, san));
  }
  return out;
}

/** The extensions of a parsed certificate, decoded into plain values. */
export interface DecodedExtensions {
  readonly keyUsageBits: number | undefined;
  readonly extKeyUsageOids: readonly string[];
  readonly isCa: boolean;
  readonly hasBasicConstraints: boolean;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  readonly dnsNames: readonly string[];
}

/** Decodes the extensions this module writes; others are ignored. Throws on malformed values. */
export function decodeExtensions(extensions: readonly Extension[]): DecodedExtensions {
  const out = {
    keyUsageBits: undefined as number | undefined,
    extKeyUsageOids: [] as string[],
    isCa: false,
    hasBasicConstraints: false,
    subjectKeyId: undefined as Uint8Array | undefined,
    authorityKeyId: undefined as Uint8Array | undefined,
    dnsNames: [] as string[],
  };
  for (const ext of extensions) {
    const value = new Uint8Array(ext.extnValue.buffer);
    if (ext.extnID === id_ce_keyUsage) out.keyUsageBits = AsnConvert.parse(value, KeyUsage).toNumber();
    if (ext.extnID === id_ce_extKeyUsage) out.extKeyUsageOids = [...AsnConvert.parse(value, ExtendedKeyUsage)];
    if (ext.extnID === id_ce_basicConstraints) {
      out.hasBasicConstraints = true;
      out.isCa = AsnConvert.parse(value, BasicConstraints).cA;
    }
    if (ext.extnID === id_ce_subjectKeyIdentifier) {
      out.subjectKeyId = new Uint8Array(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
    }
    if (ext.extnID === id_ce_authorityKeyIdentifier) {
      const id = AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier;
      out.authorityKeyId = id ? new Uint8Array(id.buffer) : undefined;
    }
    if (ext.extnID === id_ce_subjectAltName) {
      out.dnsNames = [...AsnConvert.parse(value, SubjectAlternativeName)].flatMap((g) => (g.dNSName ? [g.dNSName] : []));
    }
  }
  return out;
}
