import type { Simulation } from '../../sim/simulation.js';
import type { IptablesRender, IpvsRender, NftablesRender, ProxierContext, ServiceFragment, ServicePortModel } from '../proxy/index.js';

/**
 * What kube-proxy last programmed into a node's kernel. The rules belong to the kernel, not to
 * the process: they stay when kube-proxy stops, a restarted kube-proxy diffs against them, and
 * only a reboot of the machine clears them. The packet walk evaluates these.
 */
export interface ProgrammedRules {
  readonly mode: 'iptables' | 'ipvs' | 'nftables';
  /** What a learner reads on the node: `iptables-save`, `ipvsadm -Ln` or `nft list table ip kube-proxy`. */
  readonly text: string;
  /** The Service ports and endpoints the rules were rendered from. */
  readonly services: readonly ServicePortModel[];
  readonly context: ProxierContext;
  readonly iptables?: IptablesRender;
  readonly ipvs?: IpvsRender;
  readonly nftables?: NftablesRender;
  /** iptables mode: each Service port's part of the tables, by its key (see `servicePortKey`). */
  readonly fragments?: ReadonlyMap<string, ServiceFragment>;
  readonly syncedAtMs: number;
}

const tables = new WeakMap<Simulation, Map<string, ProgrammedRules>>();

/** Every node's programmed rules in this simulation, by node name. */
export function kernelTables(sim: Simulation): Map<string, ProgrammedRules> {
  let map = tables.get(sim);
  if (!map) tables.set(sim, (map = new Map()));
  return map;
}

/** The machine booted: its kernel starts with no kube-proxy rules. */
export function resetKernelTables(sim: Simulation, nodeName: string): void {
  kernelTables(sim).delete(nodeName);
}
