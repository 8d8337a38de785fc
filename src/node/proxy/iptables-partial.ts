/**
 * kube-proxy's partial sync (iptables mode, since 1.28): `syncProxyRules` writes the chains of a
 * Service port (KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-SEP-) only when its Service or its
 * EndpointSlices changed since the last sync (`UpdatedServices`); the chains of every other
 * Service port are left as they are in the kernel. Here each Service port's part of the tables
 * is a `ServiceFragment`, rendered once and compared by identity, so a sync costs in proportion
 * to the Service ports that changed, and the same fragment serves every node whose rules for
 * that Service port are the same (all nodes, unless a traffic policy is Local).
 */
import { buildIptablesProgram, newBuffers, writeService, type IptablesTable } from './iptables-proxier.js';
import { BUILTIN_CHAINS, formatSaveRule, parseRuleArgs, saveLineCount, saveTableOrder } from './iptables-save.js';
import type { RuleDiff } from './diff.js';
import { compareStrings, servicePortNameString, type ProxierContext, type ServicePortModel } from './types.js';

/** Rules one Service port puts in a chain it shares with others (KUBE-SERVICES, KUBE-NODEPORTS, KUBE-EXTERNAL-SERVICES). */
export interface SharedChainRules {
  readonly table: IptablesTable;
  readonly chain: string;
  /** As iptables-save prints them. */
  readonly lines: readonly string[];
}

/** One Service port's part of the iptables tables, as iptables-save prints it. */
export interface ServiceFragment {
  /** Its place among Service ports (the order of their rules in the shared chains). */
  readonly order: string;
  readonly shared: readonly SharedChainRules[];
  /** Its own nat chains, each with its rules. */
  readonly own: ReadonlyMap<string, readonly string[]>;
  /** How many lines of `iptables-save` are its own: its chains' declarations and all its rules. */
  readonly lineCount: number;
}

/** The chains that exist with no Service at all: built-in ones and kube-proxy's fixed chains. */
let fixedChains: Readonly<Record<IptablesTable, ReadonlySet<string>>> | undefined;
let fixedLines: number | undefined;

const NO_CONTEXT = { nodeName: '', nodeIP: '', clusterCIDR: '' } as const;

function tableChains(): Readonly<Record<IptablesTable, ReadonlySet<string>>> {
  if (fixedChains) return fixedChains;
  const program = buildIptablesProgram([], NO_CONTEXT);
  const chains = {
    mangle: new Set(BUILTIN_CHAINS.mangle),
    filter: new Set([...BUILTIN_CHAINS.filter, ...program.filterChains]),
    nat: new Set([...BUILTIN_CHAINS.nat, ...program.natChains]),
  };
  for (const cmd of program.ensure) if (cmd.op === 'N') chains[cmd.table].add(cmd.chain);
  return (fixedChains = chains);
}

/**
 * The lines of `iptables-save` that do not belong to any Service port: the table headers, the
 * built-in and fixed chains and their rules. They do not depend on the proxier's flags.
 */
export function fixedSaveLineCount(): number {
  return (fixedLines ??= saveLineCount(buildIptablesProgram([], NO_CONTEXT)));
}

/** The key of a Service port among the others: its port name and protocol. */
export function servicePortKey(svc: ServicePortModel): string {
  return servicePortNameString(svc) + svc.protocol;
}

/** Renders one Service port's chains and rules (the body of syncProxyRules' per-Service loop). */
export function serviceFragment(svc: ServicePortModel, ctx: ProxierContext, largeCluster: boolean): ServiceFragment {
  const b = newBuffers(ctx, largeCluster);
  writeService(b, svc);
  const own = new Map<string, string[]>(b.natChains.map((c) => [c, []]));
  const shared = new Map<string, { table: IptablesTable; chain: string; lines: string[] }>();
  const add = (table: IptablesTable, chain: string, args: readonly string[]): void => {
    const line = formatSaveRule(chain, parseRuleArgs(args));
    const mine = table === 'nat' ? own.get(chain) : undefined;
    if (mine) {
      mine.push(line);
      return;
    }
    const key = `${table} ${chain}`;
    let entry = shared.get(key);
    if (!entry) shared.set(key, (entry = { table, chain, lines: [] }));
    entry.lines.push(line);
  };
  for (const rule of b.filterRules) add('filter', rule.chain, rule.args);
  for (const rule of b.natRules) add('nat', rule.chain, rule.args);
  // As iptables-restore counts them: a rule for a chain that exists nowhere is not written.
  const fixed = tableChains();
  let lineCount = 0;
  for (const rules of own.values()) lineCount += 1 + rules.length;
  for (const s of shared.values()) if (fixed[s.table].has(s.chain)) lineCount += s.lines.length;
  return { order: servicePortKey(svc), shared: [...shared.values()], own, lineCount };
}

/** One line a Service port's change adds or removes. */
interface PortChange {
  readonly table: IptablesTable;
  /** 0: the chain's declaration line; 1: one of its rules. */
  readonly section: 0 | 1;
  readonly chain: string;
  readonly op: '+' | '-';
  readonly line: string;
}

interface Change extends Omit<PortChange, 'table'> {
  readonly table: number;
  readonly order: string;
  readonly seq: number;
}

/** The lines one Service port's change adds and removes, in the order `portChanges` finds them. */
function comparePort(a: ServiceFragment | undefined, b: ServiceFragment | undefined): PortChange[] {
  const changes: PortChange[] = [];
  const push = (table: IptablesTable, section: 0 | 1, chain: string, op: '+' | '-', line: string): void =>
    void changes.push({ table, section, chain, op, line });
  // Rules are unique within a chain and keep their relative order, so the lines only in the
  // old list are the removed ones and those only in the new list the added ones.
  const lines = (table: IptablesTable, chain: string, was: readonly string[], is: readonly string[]): void => {
    if (was === is) return;
    const kept = new Set(is);
    const had = new Set(was);
    for (const line of was) if (!kept.has(line)) push(table, 1, chain, '-', line);
    for (const line of is) if (!had.has(line)) push(table, 1, chain, '+', line);
  };
  const oldShared = new Map((a?.shared ?? []).map((s) => [`${s.table} ${s.chain}`, s]));
  const newShared = new Map((b?.shared ?? []).map((s) => [`${s.table} ${s.chain}`, s]));
  for (const [key, s] of oldShared) lines(s.table, s.chain, s.lines, newShared.get(key)?.lines ?? []);
  for (const [key, s] of newShared) if (!oldShared.has(key)) lines(s.table, s.chain, [], s.lines);
  const oldOwn = a?.own ?? new Map<string, readonly string[]>();
  const newOwn = b?.own ?? new Map<string, readonly string[]>();
  for (const [chain, rules] of oldOwn) {
    if (!newOwn.has(chain)) push('nat', 0, chain, '-', `:${chain} - [0:0]`);
    lines('nat', chain, rules, newOwn.get(chain) ?? []);
  }
  for (const [chain, rules] of newOwn) {
    if (oldOwn.has(chain)) continue;
    push('nat', 0, chain, '+', `:${chain} - [0:0]`);
    lines('nat', chain, [], rules);
  }
  return changes;
}

/** Second keys of `pairChanges` for a Service port that appeared or went away. */
const APPEARED = {};
const WENT = {};
/**
 * Each Service port change, worked out once: every node that syncs the same change (from one
 * fragment to another, both shared) reads the same lines. Held weakly by the fragments.
 */
const pairChanges = new WeakMap<ServiceFragment, WeakMap<object, PortChanges>>();

interface PortChanges {
  readonly lines: readonly PortChange[];
  readonly added: number;
}

function portChanges(a: ServiceFragment | undefined, b: ServiceFragment | undefined): PortChanges {
  const first = (a ?? b)!;
  const second = a === undefined ? APPEARED : b ?? WENT;
  let byAfter = pairChanges.get(first);
  if (!byAfter) pairChanges.set(first, (byAfter = new WeakMap()));
  let changes = byAfter.get(second);
  if (!changes) {
    const lines = comparePort(a, b);
    byAfter.set(second, (changes = { lines, added: lines.filter((c) => c.op === '+').length }));
  }
  return changes;
}

/**
 * The lines of `iptables-save` that a sync removed and added, from the fragments before and
 * after it: only Service ports whose fragment is not the same object are looked at. Lines are
 * in file order; within one Service port's part of a chain the removed lines come first.
 */
export function diffFragments(
  before: ReadonlyMap<string, ServiceFragment>,
  after: ReadonlyMap<string, ServiceFragment>,
  backend: 'nft' | 'legacy',
): Omit<RuleDiff, 'lines'> {
  const pairs: [ServiceFragment | undefined, ServiceFragment | undefined][] = [];
  for (const [key, fragment] of before) if (after.get(key) !== fragment) pairs.push([fragment, after.get(key)]);
  for (const [key, fragment] of after) if (!before.has(key)) pairs.push([undefined, fragment]);
  return diffServicePorts(pairs, backend);
}

/** Each table's place in `iptables-save`, per backend. */
const TABLE_INDEX = {
  nft: new Map(saveTableOrder('nft').map((t, i) => [t, i])),
  legacy: new Map(saveTableOrder('legacy').map((t, i) => [t, i])),
};

/**
 * `diffFragments` for the Service ports a sync touched, each as its fragment before and after
 * (undefined when the port did not exist): the cost is that of the changed ports alone. The
 * result does not depend on the order of the pairs, each of which is one Service port.
 */
export function diffServicePorts(
  pairs: Iterable<readonly [ServiceFragment | undefined, ServiceFragment | undefined]>,
  backend: 'nft' | 'legacy',
): Omit<RuleDiff, 'lines'> {
  const ports: [order: string, changes: PortChanges][] = [];
  let added = 0;
  let total = 0;
  for (const [a, b] of pairs) {
    if (a === b) continue;
    const changes = portChanges(a, b);
    ports.push([(a ?? b)!.order, changes]);
    added += changes.added;
    total += changes.lines.length;
  }
  let text: string | undefined;
  return {
    // Sorted into file order and joined only when read.
    get text() {
      return (text ??= diffText(ports, TABLE_INDEX[backend]));
    },
    added,
    removed: total - added,
  };
}

/** The changed lines of several Service ports in file order, "+ " or "- " prefixed. */
function diffText(ports: readonly (readonly [string, PortChanges])[], tableIndex: ReadonlyMap<IptablesTable, number>): string {
  const changes: Change[] = [];
  for (const [order, port] of ports) {
    for (const c of port.lines) changes.push({ table: tableIndex.get(c.table)!, section: c.section, chain: c.chain, order, op: c.op, seq: changes.length, line: c.line });
  }
  changes.sort((x, y) =>
    x.table - y.table || x.section - y.section || compareStrings(x.chain, y.chain) || compareStrings(x.order, y.order)
    || (x.op === y.op ? 0 : x.op === '-' ? -1 : 1) || x.seq - y.seq);
  return changes.length ? `${changes.map((c) => `${c.op} ${c.line}`).join('\n')}\n` : '';
}
