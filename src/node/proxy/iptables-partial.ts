/**
 * kube-proxy's partial sync (iptables mode, since 1.28): `syncProxyRules` writes the chains of a
 * Service port (KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-SEP-) only when its Service or its
 * EndpointSlices changed since the last sync (`UpdatedServices`); the chains of every other
 * Service port are left as they are in the kernel. Here each Service port's part of the tables
 * is a `ServiceFragment`, rendered once and compared by identity, so a sync costs in proportion
 * to the Service ports that changed, and the same fragment serves every node whose rules for
 * that Service port are the same (all nodes, unless a traffic policy is Local).
 */
import { newBuffers, writeService, type IptablesTable } from './iptables-proxier.js';
import { formatSaveRule, parseRuleArgs, saveTableOrder } from './iptables-save.js';
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
  return { order: servicePortKey(svc), shared: [...shared.values()], own };
}

interface Change {
  readonly table: number;
  /** 0: the chain's declaration line; 1: one of its rules. */
  readonly section: 0 | 1;
  readonly chain: string;
  readonly order: string;
  readonly op: '+' | '-';
  readonly seq: number;
  readonly line: string;
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
  const tableIndex = new Map(saveTableOrder(backend).map((t, i) => [t, i]));
  const changes: Change[] = [];
  const push = (table: IptablesTable, section: 0 | 1, chain: string, order: string, op: '+' | '-', line: string): void =>
    void changes.push({ table: tableIndex.get(table)!, section, chain, order, op, seq: changes.length, line });
  const compare = (order: string, a: ServiceFragment | undefined, b: ServiceFragment | undefined): void => {
    const oldShared = new Map((a?.shared ?? []).map((s) => [`${s.table} ${s.chain}`, s]));
    const newShared = new Map((b?.shared ?? []).map((s) => [`${s.table} ${s.chain}`, s]));
    for (const [key, s] of oldShared) lines(s.table, s.chain, s.lines, newShared.get(key)?.lines ?? []);
    for (const [key, s] of newShared) if (!oldShared.has(key)) lines(s.table, s.chain, [], s.lines);
    const oldOwn = a?.own ?? new Map<string, readonly string[]>();
    const newOwn = b?.own ?? new Map<string, readonly string[]>();
    for (const [chain, rules] of oldOwn) {
      if (!newOwn.has(chain)) push('nat', 0, chain, order, '-', `:${chain} - [0:0]`);
      lines('nat', chain, rules, newOwn.get(chain) ?? []);
    }
    for (const [chain, rules] of newOwn) {
      if (oldOwn.has(chain)) continue;
      push('nat', 0, chain, order, '+', `:${chain} - [0:0]`);
      lines('nat', chain, [], rules);
    }
    // Rules are unique within a chain and keep their relative order, so the lines only in the
    // old list are the removed ones and those only in the new list the added ones.
    function lines(table: IptablesTable, chain: string, was: readonly string[], is: readonly string[]): void {
      if (was === is) return;
      const kept = new Set(is);
      const had = new Set(was);
      for (const line of was) if (!kept.has(line)) push(table, 1, chain, order, '-', line);
      for (const line of is) if (!had.has(line)) push(table, 1, chain, order, '+', line);
    }
  };
  for (const [key, fragment] of before) if (after.get(key) !== fragment) compare(fragment.order, fragment, after.get(key));
  for (const [key, fragment] of after) if (!before.has(key)) compare(fragment.order, undefined, fragment);
  changes.sort((x, y) =>
    x.table - y.table || x.section - y.section || compareStrings(x.chain, y.chain) || compareStrings(x.order, y.order)
    || (x.op === y.op ? 0 : x.op === '-' ? -1 : 1) || x.seq - y.seq);
  let added = 0;
  for (const c of changes) if (c.op === '+') added++;
  return {
    text: changes.length ? `${changes.map((c) => `${c.op} ${c.line}`).join('\n')}\n` : '',
    added,
    removed: changes.length - added,
  };
}
