/**
 * The hooks kube-proxy installs outside its own chains: jumps from the built-in chains
 * (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING) into KUBE-*, added one command at a time
 * with `iptables -I` because a restore must not replace rules other programs own there.
 */

export type IptablesTable = 'mangle' | 'filter' | 'nat';

/** One `-A <chain> <args>` line; `args` are kube-proxy's tokens after the chain name. */
export interface KubeRule {
  readonly table: IptablesTable;
  readonly chain: string;
  readonly args: readonly string[];
}

/** One `iptables -t <table> -N <chain>` or `-I <chain> <args>` command (args unquoted). */
export interface EnsureCommand {
  readonly table: IptablesTable;
  readonly op: 'N' | 'I';
  readonly chain: string;
  readonly args: readonly string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
interface JumpChain {
  readonly table: IptablesTable;
  readonly dst: string;
  readonly src: string;
  readonly comment: string;
  readonly extra: readonly string[];
}

/** `iptablesJumpChains` then `iptablesKubeletJumpChains`, in source order. */
const JUMP_CHAINS: readonly JumpChain[] = [
  { table: 'filter', dst: 'KUBE-EXTERNAL-SERVICES', src: 'INPUT', comment: 'kubernetes externally-visible service portals', extra: NEW },
  { table: 'filter', dst: 'KUBE-EXTERNAL-SERVICES', src: 'FORWARD', comment: 'kubernetes externally-visible service portals', extra: NEW },
  { table: 'filter', dst: 'KUBE-NODEPORTS', src: 'INPUT', comment: 'kubernetes health check service ports', extra: [] },
  { table: 'filter', dst: 'KUBE-SERVICES', src: 'FORWARD', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', dst: 'KUBE-SERVICES', src: 'OUTPUT', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', dst: 'KUBE-FORWARD', src: 'FORWARD', comment: 'kubernetes forwarding rules', extra: [] },
  { table: 'filter', dst: 'KUBE-PROXY-FIREWALL', src: 'INPUT', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'filter', dst: 'KUBE-PROXY-FIREWALL', src: 'OUTPUT', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'filter', dst: 'KUBE-PROXY-FIREWALL', src: 'FORWARD', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'nat', dst: 'KUBE-SERVICES', src: 'OUTPUT', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', dst: 'KUBE-SERVICES', src: 'PREROUTING', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', dst: 'KUBE-POSTROUTING', src: 'POSTROUTING', comment: 'kubernetes postrouting rules', extra: [] },
  { table: 'filter', dst: 'KUBE-FIREWALL', src: 'INPUT', comment: '', extra: [] },
  { table: 'filter', dst: 'KUBE-FIREWALL', src: 'OUTPUT', comment: '', extra: [] },
];

/** The canary chains `ipt.Monitor` creates to notice when something flushes the tables. */
const CANARY_TABLES: readonly IptablesTable[] = ['mangle', 'nat', 'filter'];

/** The commands a full sync runs before its restore, in order. */
export function ensureCommands(): EnsureCommand[] {
  const out: EnsureCommand[] = CANARY_TABLES.map((table) => ({ table, op: 'N', chain: 'KUBE-PROXY-CANARY', args: [] }));
  const created = new Set(out.map((c) => `${c.table}/${c.chain}`));
  for (const jump of JUMP_CHAINS) {
    if (!created.has(`${jump.table}/${jump.dst}`)) {
      created.add(`${jump.table}/${jump.dst}`);
      out.push({ table: jump.table, op: 'N', chain: jump.dst, args: [] });
    }
    const comment = jump.comment === '' ? [] : ['-m', 'comment', '--comment', jump.comment];
    out.push({ table: jump.table, op: 'I', chain: jump.src, args: [...jump.extra, ...comment, '-j', jump.dst] });
  }
  return out;
}

