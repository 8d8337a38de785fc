/**
 * `renderNftables`: the nftables proxier's table printed two ways: the transaction kube-proxy
 * feeds to `nft -f -` on a full sync (knftables syntax), and `nft list table ip kube-proxy`
 * as a learner sees it on the node afterwards. The listing format was checked against nft
 * 1.0.6 by loading the transaction into a scratch network namespace (see the tests).
 */
import { buildNftTable, type NftChain, type NftElement, type NftSet, type NftTable } from './nftables-model.js';
import type { ProxierContext, ServicePortModel } from './types.js';

export interface NftablesRender {
  readonly table: NftTable;
  /** Input of `nft -f -` for a full sync. */
  readonly transaction: string;
  /** `nft list table ip kube-proxy`. */
  readonly ruleset: string;
}

const T = 'ip kube-proxy';
const quote = (text: string): string => `"${text}"`;

function elementText(e: NftElement): string {
  const comment = e.comment === undefined ? '' : ` comment ${quote(e.comment)}`;
  return e.value === undefined ? `${e.key}${comment}` : `${e.key}${comment} : ${e.value}`;
}

/** knftables' statements, objects in the order the proxier creates them. */
export function renderNftTransaction(table: NftTable): string {
  const lines = [`add table ${T} { comment ${quote(table.comment)} ; }`];
  for (const c of table.chains) {
    const spec = [
      ...(c.base ? [`type ${c.base.type} hook ${c.base.hook} priority ${c.base.priority} ;`] : []),
      ...(c.comment ? [`comment ${quote(c.comment)} ;`] : []),
    ];
    lines.push(spec.length ? `add chain ${T} ${c.name} { ${spec.join(' ')} }` : `add chain ${T} ${c.name}`);
    lines.push(`flush chain ${T} ${c.name}`);
  }
  for (const s of table.sets) {
    lines.push(`add ${s.kind} ${T} ${s.name} { type ${s.type} ; comment ${quote(s.comment)} ; }`);
    lines.push(`flush ${s.kind} ${T} ${s.name}`);
  }
  for (const c of table.chains) {
    for (const r of c.rules) lines.push(`add rule ${T} ${c.name} ${r.rule}${r.comment ? ` comment ${quote(r.comment)}` : ''}`);
  }
  for (const s of table.sets) for (const e of s.elements) lines.push(`add element ${T} ${s.name} { ${elementText(e)} }`);
  return `${lines.join('\n')}\n`;
}

/** How nft prints a rule it stored (it spells out `meta mark`, operators and zero values). */
export function listRule(rule: string): string {
  return rule
    .replace(/\{ ([^ ,{}]+) \} (drop|accept)/, '$1 $2')
    .replace(/^mark set mark or (\S+)$/, 'meta mark set meta mark | $1')
    .replace(/^mark set mark xor (\S+)$/, 'meta mark set meta mark ^ $1')
    .replace(/^mark and (\S+) == 0 return$/, 'meta mark & $1 == 0x00000000 return')
    .replace(/numgen random mod (\d+) vmap \{ (.*) \}$/, (_, n: string, body: string) =>
      `numgen random mod ${n} vmap { ${body.split(' , ').join(', ')} }`);
}

function listSet(s: NftSet): string[] {
  const lines = [`\t${s.kind} ${s.name} {`, `\t\ttype ${s.type}`, `\t\tcomment ${quote(s.comment)}`];
  if (s.elements.length > 0) lines.push(...listElements(s));
  lines.push('\t}');
  return lines;
}

/** Key bytes as the kernel stores them: each part padded to a 4-byte register. */
function keyBytes(key: string): number[] {
  return key.split(' . ').flatMap((part) => {
    if (part.includes('.')) return part.split('.').map(Number);
    if (part === 'tcp' || part === 'udp' || part === 'sctp') return [PROTO[part], 0, 0, 0];
    const port = Number(part);
    return [port >> 8, port & 0xff, 0, 0];
  });
}

const PROTO = { tcp: 6, udp: 17, sctp: 132 } as const;

/**
 * nft sorts elements before printing. Single addresses sort by value; concatenated keys
 * compare their raw register bytes as a little-endian number, so for "ip . proto . port" the
 * port's low byte decides first (checked against nft 1.0.6).
 */
export function compareElements(a: NftElement, b: NftElement): number {
  const x = keyBytes(a.key);
  const y = keyBytes(b.key);
  const concat = a.key.includes(' . ');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const j = concat ? x.length - 1 - i : i;
    const d = (x[j] ?? 0) - (y[j] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function listElements(s: NftSet): string[] {
  const items = [...s.elements].sort(compareElements).map((e) => elementText(e));
  // Maps print one element a line; plain address sets two.
  const perLine = s.kind === 'map' || s.type.includes(' . ') ? 1 : 2;
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return [`\t\telements = { ${lines.join(',\n\t\t\t     ')} }`];
}

/** nft 1.0.6 names a priority only where the name is valid for the hook. */
function listPriority(hook: string, priority: number): string {
  const named = (name: string, offset: number): string =>
    offset === 0 ? name : `${name} ${offset < 0 ? '-' : '+'} ${Math.abs(offset)}`;
  if (hook === 'prerouting') return named('dstnat', priority + 100);
  if (hook === 'postrouting') return named('srcnat', priority - 100);
  return String(priority);
}

function listChain(c: NftChain): string[] {
  const lines = [`\tchain ${c.name} {`];
  if (c.comment) lines.push(`\t\tcomment ${quote(c.comment)}`);
  if (c.base) lines.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${listPriority(c.base.hook, c.base.priority)}; policy accept;`);
  for (const r of c.rules) lines.push(`\t\t${listRule(r.rule)}${r.comment ? ` comment ${quote(r.comment)}` : ''}`);
  lines.push('\t}');
  return lines;
}

/** `nft list table ip kube-proxy`: sets and maps first, then chains, blank lines between. */
export function renderNftList(table: NftTable): string {
  const blocks = [...table.sets.map(listSet), ...table.chains.map(listChain)].map((b) => b.join('\n'));
  return `table ${T} {\n\tcomment ${quote(table.comment)}\n${blocks.join('\n\n')}\n}\n`;
}

export function renderNftables(services: readonly ServicePortModel[], ctx: ProxierContext): NftablesRender {
  const table = buildNftTable(services, ctx);
  return { table, transaction: renderNftTransaction(table), ruleset: renderNftList(table) };
}
