/**
 * Replays each modelled node network in a throwaway network namespace (`unshare -n`, needs
 * root) and checks the kernel prints the same `ip route` text (in the same order), and the
 * same `bridge fdb` and `ip neigh` lines.
 * Devices the sandbox cannot create (veth, ipip) are stood in for by bridges of the same name;
 * Calico IPIP is skipped because tunl0 needs the ipip module. Skipped, with a message, where
 * namespaces or `ip` are unavailable.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clusterNetwork, tunnelDevice, type NetworkNode, type NodeNetwork } from './node-network.js';
import type { CniBackend, CniPluginName } from './types.js';

function sh(script: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

const probe = sh('ip link add probe0 type bridge && ip link add probe1 type vxlan id 9 dstport 4789');
const reason = probe.ok ? null : `ip in a new network namespace: ${probe.err.trim() || 'failed'}`;
if (reason) console.log(`skipping node network kernel checks: ${reason}`);

function deviceCommands(n: NodeNetwork): string[] {
  return n.devices.flatMap((d) => {
    const vxlanArgs = d.details?.match(/^vxlan (id \d+ local \S+ dev \S+ srcport 0 0 dstport \d+ nolearning)/)?.[1];
    const add = d.kind === 'vxlan' && vxlanArgs ? `ip link add ${d.name} type vxlan ${vxlanArgs}` : `ip link add ${d.name} type bridge`;
    return [add, `ip link set ${d.name} mtu ${Math.min(d.mtu, 1500)} up`, ...d.addresses.map((a) => `ip addr add ${a} dev ${d.name}`)];
  });
}

function replay(plugin: CniPluginName, backend: CniBackend, n: NodeNetwork): string {
  const dev = tunnelDevice(plugin, backend) ?? '';
  const routes = n.routes.filter((r) => !r.includes('proto kernel')).map((r) => `ip route add ${r}`);
  const fdb = n.fdb.map((f) => {
    const [mac, ...rest] = f.split(' ');
    return `bridge fdb append ${mac} dev ${dev} ${rest.join(' ')}`;
  });
  const neigh = n.neighbors.map((l) => {
    const [ip, , mac] = l.split(' ');
    return `ip neigh replace ${ip} dev ${dev} lladdr ${mac} nud permanent`;
  });
  const show = dev ? [`echo ---fdb`, `bridge fdb show dev ${dev}`, 'echo ---neigh', `ip neigh show dev ${dev}`] : [];
  return ['set -e', ...deviceCommands(n), ...routes, ...fdb, ...neigh, 'echo ---routes', 'ip route', ...show].join('\n');
}

const section = (out: string, name: string): string[] => {
  const start = out.indexOf(`---${name}\n`);
  if (start === -1) return [];
  const rest = out.slice(start + name.length + 4);
  const end = rest.indexOf('---');
  return (end === -1 ? rest : rest.slice(0, end)).split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
};

const nodes: NetworkNode[] = [
  { name: 'node-0', ip: '192.168.56.10', podCIDR: '10.244.0.0/24' },
  { name: 'node-1', ip: '192.168.56.11', podCIDR: '10.244.1.0/24', pods: [{ ip: '10.244.1.2', hostIfName: 'veth3f2a9c1b' }] },
  { name: 'node-2', ip: '192.168.56.12', podCIDR: '10.244.2.0/24' },
];

const cases: [CniPluginName, CniBackend][] = [['flannel', 'vxlan'], ['flannel', 'host-gw'], ['calico', 'vxlan'], ['calico', 'bgp'], ['weave', 'sleeve'], ['bridge', 'none']];

describe.each(cases)('%s %s', (plugin, backend) => {
  it.skipIf(reason !== null)('prints the modelled routes, FDB and neighbours', () => {
    let input = nodes;
    if (plugin === 'calico') {
      // Give node-1 a pod inside its derived block so its /32 route is exercised.
      const block = clusterNetwork(plugin, backend, nodes)[1].routes.find((r) => r.startsWith('blackhole '))?.split(' ')[1] ?? '';
      const podIP = block.replace(/(\d+)\/26$/, (_, last: string) => String(Number(last) + 1));
      input = nodes.map((n, i) => (i === 1 ? { ...n, pods: [{ ip: podIP, hostIfName: 'cali0d7763386da' }] } : { ...n, pods: [] }));
    }
    const n = clusterNetwork(plugin, backend, input)[1];
    const result = sh(replay(plugin, backend, n));
    expect(result.err).toBe('');
    expect(section(result.out, 'routes')).toEqual(n.routes);
    // FDB and neighbour tables print in the kernel's hash order: compare them as sets.
    expect(section(result.out, 'fdb').sort()).toEqual([...n.fdb].sort());
    expect(section(result.out, 'neigh').sort()).toEqual([...n.neighbors].sort());
  });
});
