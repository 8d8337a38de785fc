/**
 * What `iptables-save` prints after kube-proxy's commands ran. The kernel keeps rules in
 * its own form, so the text a learner sees on a node differs from what kube-proxy wrote:
 * addresses gain "/32", `-p` moves before the matches, `--or-mark 0x00004000` reads back as
 * `--set-xmark 0x4000/0x4000`, REJECT gains its default `--reject-with`, and a probability of
 * 0.3333333333 reads back as 0.33333333349 (the kernel stores it in 31 bits). Checked against
 * real iptables-save 1.8.9 (nft and legacy backends) by this folder's tests.
 */
import type { EnsureCommand, IptablesProgram, IptablesTable, KubeRule } from './iptables-proxier.js';
import { compareStrings } from './types.js';

/** A rule split the way iptables stores it. */
export interface ParsedRule {
  readonly src?: { readonly addr: string; readonly negated: boolean };
  readonly dst?: { readonly addr: string; readonly negated: boolean };
  readonly proto?: string;
  readonly matches: readonly { readonly name: string; readonly opts: readonly string[] }[];
  readonly target: string;
  readonly targetOpts: readonly string[];
}

const unquote = (token: string): string =>
  token.length >= 2 && token.startsWith('"') && token.endsWith('"') ? token.slice(1, -1) : token;

/** Splits kube-proxy's argument list (the vocabulary it uses) into a ParsedRule. */
export function parseRuleArgs(args: readonly string[]): ParsedRule {
  let src: ParsedRule['src'];
  let dst: ParsedRule['dst'];
  let proto: string | undefined;
  const matches: { name: string; opts: string[] }[] = [];
  let target = '';
  let targetOpts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    const negated = token === '!' && ['-s', '-d', '-p'].includes(args[i + 1] ?? '');
    const flag = negated ? args[++i] : token;
    if (flag === '-s') src = { addr: args[++i], negated };
    else if (flag === '-d') dst = { addr: args[++i], negated };
    else if (flag === '-p') proto = args[++i];
    else if (flag === '-m') matches.push({ name: args[++i], opts: [] });
    else if (flag === '-j') {
      target = args[++i];
      targetOpts = args.slice(i + 1).map(unquote);
      break;
    } else matches[matches.length - 1]?.opts.push(unquote(token));
  }
  return { src, dst, proto, matches, target, targetOpts };
}

const SAFE_CHARS = /^[A-Za-z0-9_-]+$/;

/** `xtables_save_string`: quote unless only [A-Za-z0-9_-], escaping `"`, `\` and `'`. */
export function xtablesSaveString(value: string): string {
  if (SAFE_CHARS.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

const withPrefix = (addr: string): string => (addr.includes('/') ? addr : `${addr}/32`);
const hex = (text: string): string => `0x${Number.parseInt(text, 16).toString(16)}`;

/** The kernel keeps the probability as round(p * 2^31); libxt_statistic prints `%.11f` of it. */
export function savedProbability(text: string): string {
  return (Math.round(Number(text) * 0x80000000) / 0x80000000).toFixed(11);
}

function saveMatchOpts(name: string, opts: readonly string[]): string[] {
  return opts.map((opt, i) => {
    const prev = opts[i - 1];
    if (name === 'comment' && prev === '--comment') return xtablesSaveString(opt);
    if (name === 'statistic' && prev === '--probability') return savedProbability(opt);
    if (name === 'mark' && prev === '--mark') return opt.split('/').map(hex).join('/');
    return opt;
  });
}

function saveTargetOpts(target: string, opts: readonly string[]): string[] {
  if (target === 'MARK' && opts[0] === '--or-mark') return ['--set-xmark', `${hex(opts[1])}/${hex(opts[1])}`];
  if (target === 'MARK' && opts[0] === '--xor-mark') return ['--set-xmark', `${hex(opts[1])}/0x0`];
  if (target === 'REJECT' && opts.length === 0) return ['--reject-with', 'icmp-port-unreachable'];
  return [...opts];
}

/** One `-A` line as iptables-save prints it. */
export function formatSaveRule(chain: string, rule: ParsedRule): string {
  const parts = ['-A', chain];
  if (rule.src) parts.push(...(rule.src.negated ? ['!'] : []), '-s', withPrefix(rule.src.addr));
  if (rule.dst) parts.push(...(rule.dst.negated ? ['!'] : []), '-d', withPrefix(rule.dst.addr));
  if (rule.proto) parts.push('-p', rule.proto);
  for (const m of rule.matches) parts.push('-m', m.name, ...saveMatchOpts(m.name, m.opts));
  if (rule.target) parts.push('-j', rule.target, ...saveTargetOpts(rule.target, rule.targetOpts));
  return parts.join(' ');
}

export const BUILTIN_CHAINS: Readonly<Record<IptablesTable, readonly string[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** The tables' contents after the commands ran: chain name to its rules, in order. */
export type IptablesState = Readonly<Record<IptablesTable, ReadonlyMap<string, readonly ParsedRule[]>>>;

function emptyTable(table: IptablesTable): Map<string, ParsedRule[]> {
  return new Map(BUILTIN_CHAINS[table].map((c) => [c, [] as ParsedRule[]]));
}

/** Applies the ensure commands, then `iptables-restore --noflush` of the program, to empty tables. */
export function applyProgram(program: IptablesProgram): IptablesState {
  const state = { mangle: emptyTable('mangle'), filter: emptyTable('filter'), nat: emptyTable('nat') };
  for (const cmd of program.ensure) applyEnsure(state[cmd.table], cmd);
  const restore = (table: 'filter' | 'nat', chains: readonly string[], rules: readonly KubeRule[]): void => {
    for (const chain of chains) state[table].set(chain, []); // a chain line creates or flushes
    for (const rule of rules) state[table].get(rule.chain)?.push(parseRuleArgs(rule.args));
  };
  restore('filter', program.filterChains, program.filterRules);
  restore('nat', program.natChains, program.natRules);
  return state;
}

/**
 * How many lines `iptables-save` prints (as `renderSaveTable` writes them, all three tables)
 * after `applyProgram(program)`, counted without applying or rendering anything: the "+N lines"
 * of a first sync, whose diff against empty tables is the whole table.
 */
export function saveLineCount(program: IptablesProgram): number {
  const tables = {
    mangle: new Map(BUILTIN_CHAINS.mangle.map((c) => [c, 0])),
    filter: new Map(BUILTIN_CHAINS.filter.map((c) => [c, 0])),
    nat: new Map(BUILTIN_CHAINS.nat.map((c) => [c, 0])),
  };
  for (const cmd of program.ensure) {
    const table = tables[cmd.table];
    if (cmd.op === 'N') {
      if (!table.has(cmd.chain)) table.set(cmd.chain, 0);
    } else if (table.has(cmd.chain)) table.set(cmd.chain, table.get(cmd.chain)! + 1);
  }
  const restore = (table: Map<string, number>, chains: readonly string[], rules: readonly KubeRule[]): void => {
    for (const chain of chains) table.set(chain, 0); // a chain line creates or flushes
    for (const rule of rules) if (table.has(rule.chain)) table.set(rule.chain, table.get(rule.chain)! + 1);
  };
  restore(tables.filter, program.filterChains, program.filterRules);
  restore(tables.nat, program.natChains, program.natRules);
  let lines = 0;
  for (const table of Object.values(tables)) {
    lines += 2 + table.size; // *table, COMMIT and one line per chain
    for (const rules of table.values()) lines += rules;
  }
  return lines;
}

function applyEnsure(table: Map<string, ParsedRule[]>, cmd: EnsureCommand): void {
  if (cmd.op === 'N') {
    if (!table.has(cmd.chain)) table.set(cmd.chain, []);
  } else {
    table.get(cmd.chain)?.unshift(parseRuleArgs(cmd.args));
  }
}

/** Built-in chains first in kernel order, then user chains sorted by name. */
export function chainOrder(table: IptablesTable, chains: ReadonlyMap<string, unknown>): string[] {
  const builtin = BUILTIN_CHAINS[table];
  const user = [...chains.keys()].filter((c) => !builtin.includes(c)).sort(compareStrings);
  return [...builtin, ...user];
}

/** One table's section of `iptables-save` (without the "# Generated by" comment lines). */
export function renderSaveTable(table: IptablesTable, chains: ReadonlyMap<string, readonly ParsedRule[]>): string {
  const order = chainOrder(table, chains);
  const builtin = BUILTIN_CHAINS[table];
  const lines = [`*${table}`];
  for (const c of order) lines.push(builtin.includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`);
  for (const c of order) for (const rule of chains.get(c) ?? []) lines.push(formatSaveRule(c, rule));
  lines.push('COMMIT');
  return `${lines.join('\n')}\n`;
}

/**
 * Table order of iptables-save. The nft backend uses a fixed order. Legacy lists tables newest
 * first by when their module registered; on a fresh host where kube-proxy touches mangle, nat,
 * then filter, that prints filter, nat, mangle (checked in a new network namespace).
 */
export function saveTableOrder(backend: 'nft' | 'legacy'): IptablesTable[] {
  return backend === 'nft' ? ['mangle', 'filter', 'nat'] : ['filter', 'nat', 'mangle'];
}

/** The exact text kube-proxy pipes into `iptables-restore --noflush --counters`. */
export function renderRestore(program: IptablesProgram): string {
  const section = (table: string, chains: readonly string[], rules: readonly KubeRule[]): string[] => [
    `*${table}`,
    ...chains.map((c) => `:${c} - [0:0]`),
    ...rules.map((r) => ['-A', r.chain, ...r.args].join(' ')),
    'COMMIT',
  ];
  return `${[...section('filter', program.filterChains, program.filterRules), ...section('nat', program.natChains, program.natRules)].join('\n')}\n`;
}

/** Shell form of an ensure command, quoting arguments with spaces. */
export function formatEnsureCommand(cmd: EnsureCommand): string {
  const args = cmd.args.map((a) => (/[\s";]/.test(a) ? `"${a}"` : a));
  return ['iptables', '-t', cmd.table, `-${cmd.op}`, cmd.chain, ...args].join(' ');
}
