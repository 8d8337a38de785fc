/**
 * `renderIptables`: everything a learner would see of kube-proxy's iptables mode on a node:
 * the commands it runs, the restore text it writes, and `iptables-save` afterwards, plus a
 * structured copy of the chains that the packet walk (`walk.ts`) evaluates.
 */
import { buildIptablesProgram, type IptablesTable, type KubeRule } from './iptables-proxier.js';
import {
  BUILTIN_CHAINS,
  applyProgram,
  chainOrder,
  formatEnsureCommand,
  formatSaveRule,
  renderRestore,
  renderSaveTable,
  saveTableOrder,
  type IptablesState,
  type ParsedRule,
} from './iptables-save.js';
import type { ProxierContext, ServicePortModel } from './types.js';

export interface IptablesRuleModel {
  /** The rule as iptables-save prints it. */
  readonly text: string;
  readonly parsed: ParsedRule;
}

export interface IptablesChainModel {
  readonly table: IptablesTable;
  readonly name: string;
  readonly builtin: boolean;
  readonly rules: readonly IptablesRuleModel[];
}

export interface IptablesRender {
  /** `iptables-save -t nat`. */
  readonly nat: string;
  /** `iptables-save -t filter`. */
  readonly filter: string;
  /** `iptables-save -t mangle` (only kube-proxy's canary chain lives here). */
  readonly mangle: string;
  /** Full `iptables-save`, tables in the order the chosen backend prints them. */
  readonly save: string;
  /** The text kube-proxy pipes into `iptables-restore --noflush --counters` on a full sync. */
  readonly restore: string;
  /** The `iptables -N` / `-I` commands it runs before the restore, in order. */
  readonly ensureCommands: readonly string[];
  /** Every chain of the three tables with its rules: the input of `walkIptables`. */
  readonly chains: readonly IptablesChainModel[];
  /** kube-proxy's own rules, grouped for views that show "what kube-proxy wrote". */
  readonly kubeProxyRules: readonly KubeRule[];
}

function chainModels(state: IptablesState): IptablesChainModel[] {
  const out: IptablesChainModel[] = [];
  for (const table of ['mangle', 'filter', 'nat'] as const) {
    const chains = state[table];
    for (const name of chainOrder(table, chains)) {
      const rules = (chains.get(name) ?? []).map((parsed) => ({ text: formatSaveRule(name, parsed), parsed }));
      out.push({ table, name, builtin: BUILTIN_CHAINS[table].includes(name), rules });
    }
  }
  return out;
}

export function renderIptables(services: readonly ServicePortModel[], ctx: ProxierContext): IptablesRender {
  const program = buildIptablesProgram(services, ctx);
  const state = applyProgram(program);
  const tables = {
    mangle: renderSaveTable('mangle', state.mangle),
    filter: renderSaveTable('filter', state.filter),
    nat: renderSaveTable('nat', state.nat),
  };
  return {
    ...tables,
    save: saveTableOrder(ctx.iptablesBackend ?? 'nft').map((t) => tables[t]).join(''),
    restore: renderRestore(program),
    ensureCommands: program.ensure.map(formatEnsureCommand),
    chains: chainModels(state),
    kubeProxyRules: [...program.filterRules, ...program.natRules],
  };
}
