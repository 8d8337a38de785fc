/**
 * Distinguished names the way Go's crypto/x509/pkix writes them. Kubernetes reads identity from
 * the subject: the user is the CommonName and the groups are the Organization values.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { toHex } from './encoding.js';

const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';

/** Short names Go's pkix.Name.String() uses for the attribute types it knows. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
  [OID_ORGANIZATION]: 'O',
  '2.5.4.11': 'OU',
  [OID_COMMON_NAME]: 'CN',
  '2.5.4.5': 'SERIALNUMBER',
};

/** The part of a subject Kubernetes cares about. */
export interface Subject {
  readonly commonName: string;
  readonly organizations: readonly string[];
}

/** Go's asn1 marshals a string as PrintableString when it can ('*' and '&' excluded). */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function attribute(type: string, value: string): AttributeTypeAndValue {
  const encoded = PRINTABLE.test(value)
    ? new AttributeValue({ printableString: value })
    : new AttributeValue({ utf8String: value });
  return new AttributeTypeAndValue({ type, value: encoded });
}

/** Compares DER encodings, the order DER requires inside a SET OF. */
function compareDer(a: AttributeTypeAndValue, b: AttributeTypeAndValue): number {
  const x = new Uint8Array(AsnConvert.serialize(a));
  const y = new Uint8Array(AsnConvert.serialize(b));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Builds a Name as pkix.Name.ToRDNSequence does: Organization first, then CommonName; several
 * organizations share one multi-valued RDN, sorted as DER sorts a SET OF.
 */
export function buildName(subject: Subject): Name {
  const rdns: RelativeDistinguishedName[] = [];
  if (subject.organizations.length > 0) {
    const values = subject.organizations.map((o) => attribute(OID_ORGANIZATION, o)).sort(compareDer);
    rdns.push(new RelativeDistinguishedName(values));
  }
  if (subject.commonName !== '') rdns.push(new RelativeDistinguishedName([attribute(OID_COMMON_NAME, subject.commonName)]));
  return new Name(rdns);
}

function valueText(value: AttributeValue): string {
  if (value.anyValue) return '#' + toHex(new Uint8Array(value.anyValue));
  return value.ia5String ?? value.toString();
}

/** Reads CN (last one wins) and every O in order, as pkix.Name.FillFromRDNSequence does. */
export function readSubject(name: Name): Subject {
  let commonName = '';
  const organizations: string[] = [];
  for (const rdn of name) {
    for (const atv of rdn) {
      if (atv.type === OID_COMMON_NAME) commonName = valueText(atv.value);
      if (atv.type === OID_ORGANIZATION) organizations.push(valueText(atv.value));
    }
  }
  return { commonName, organizations };
}

function escapeValue(value: string): string {
  let out = value.replace(/[,+"\\<>;]/g, (c) => '\\' + c);
  if (out.startsWith(' ') || out.startsWith('#')) out = '\\' + out;
  if (out.endsWith(' ') && out.length > 1) out = out.slice(0, -1) + '\\ ';
  return out;
}

/** pkix.Name.String(): RDNs in reverse order, e.g. `CN=system:node:worker-1,O=system:nodes`. */
export function formatName(name: Name): string {
  const parts: string[] = [];
  for (const rdn of [...name].reverse()) {
    const values = [...rdn].map((atv) => `${SHORT_NAMES[atv.type] ?? atv.type}=${escapeValue(valueText(atv.value))}`);
    parts.push(values.join('+'));
  }
  return parts.join(',');
}

/** DER of a Name, used to compare issuer and subject byte for byte as Go does. */
export function nameDer(name: Name): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(name));
}
