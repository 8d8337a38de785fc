/**
 * ADD and DEL for the bridge family: the plain bridge conflist, and flannel, which reads
 * /run/flannel/subnet.env and delegates to the same bridge plugin (name cbr0) with host-local
 * IPAM over the node's podCIDR. The bridge plugin creates cni0 on the node's first pod,
 * gives it the gateway address, and plugs one veth per pod into it.
 */
import { bridgeConflistJson, conflistFor } from './conflist.js';
import { hostLocalAllocate, hostLocalRelease } from './ipam-host-local.js';
import { formatCidr, parseCidr } from './ipv4.js';
import { bridgeVethName, deterministicMac } from './names.js';
import { cniEnv, expectIpam, invocation, podMtu, withVersion } from './plugin-env.js';
import type { CniAddOutcome, CniDelOutcome, CniPodRequest, HostDevice } from './plugin-types.js';

const DEFAULT_FLANNEL_NETWORK = '10.244.0.0/16';

/** The delegate config flannel writes to /var/lib/cni/flannel/<id> and hands to bridge. */
export function flannelDelegateConf(podCIDR: string, network: string, mtu: number): Record<string, unknown> {
  return {
    cniVersion: '0.3.1',
    hairpinMode: true,
    ipMasq: false,
    ipam: { ranges: [[{ subnet: podCIDR }]], routes: [{ dst: network }], type: 'host-local' },
    isDefaultGateway: true,
    isGateway: true,
    mtu,
    name: 'cbr0',
    type: 'bridge',
  };
}

function bridgeConfs(req: CniPodRequest, podCIDR: string): { main: Record<string, unknown>; bridge: Record<string, unknown>; cniVersion: string } {
  const network = req.clusterCIDR ?? DEFAULT_FLANNEL_NETWORK;
  const mtu = podMtu(req.plugin, req.backend);
  if (req.plugin === 'flannel') {
    const list = conflistFor('flannel').json;
    const main = { ...list.plugins[0], name: list.name, cniVersion: list.cniVersion };
    return { main, bridge: flannelDelegateConf(podCIDR, network, mtu), cniVersion: '0.3.1' };
  }
  const list = bridgeConflistJson(podCIDR);
  const bridge = { ...list.plugins[0], name: list.name, cniVersion: list.cniVersion };
  return { main: bridge, bridge, cniVersion: list.cniVersion };
}

export function addBridgeFamily(req: CniPodRequest): CniAddOutcome {
  const env = cniEnv('ADD', req);
  const podCIDR = req.node.podCIDR;
  if (!podCIDR) throw new Error(`node ${req.node.name} has no podCIDR yet: ${req.plugin} cannot configure pods`);
  const { main, bridge, cniVersion } = bridgeConfs(req, podCIDR);
  const invocations = [invocation(String(main.type), 'runtime', env, main)];
  if (req.plugin === 'flannel') invocations.push(invocation('bridge', 'flannel', env, bridge));
  invocations.push(invocation('host-local', 'bridge', env, bridge));
  const ipam = expectIpam(req.ipam, 'host-local');
  const ifName = env.CNI_IFNAME;
  const mtu = podMtu(req.plugin, req.backend);
  const alloc = hostLocalAllocate(ipam.state, { containerId: req.containerId, ifName });
  const mac = deterministicMac(`${req.containerId}/${ifName}`);
  const container = { ifName, mac, mtu, routes: [] as string[] };
  if (!alloc.ok) {
    const msg = req.plugin === 'flannel' ? `failed to delegate add: ${alloc.error.msg}` : alloc.error.msg;
    return {
      ok: false, error: withVersion(cniVersion, { ...alloc.error, msg }), env, invocations,
      hostDevicesCreated: [], hostRoutesAdded: [], container, ipam,
    };
  }
  const { ip, prefixLength, gateway } = alloc.allocation;
  const veth = bridgeVethName(req.containerId, ifName);
  const bridgeMac = deterministicMac(`${req.node.name}/cni0`);
  const created: HostDevice[] = [];
  if (!(req.hostDevices ?? []).includes('cni0')) {
    created.push({ name: 'cni0', kind: 'bridge', mac: bridgeMac, mtu, addresses: [`${gateway}/${prefixLength}`] });
  }
  const vethMac = deterministicMac(`${req.containerId}/${veth}`);
  created.push({ name: veth, kind: 'veth', mac: vethMac, mtu, master: 'cni0', peer: { ifName, netns: env.CNI_NETNS } });
  const subnetRoute = `${formatCidr(parseCidr(podCIDR))} dev ${ifName} proto kernel scope link src ${ip}`;
  const flannel = req.plugin === 'flannel';
  const network = req.clusterCIDR ?? DEFAULT_FLANNEL_NETWORK;
  const result = {
    cniVersion,
    interfaces: [{ name: 'cni0', mac: bridgeMac }, { name: veth, mac: vethMac }, { name: ifName, mac, sandbox: env.CNI_NETNS }],
    ips: [{ ...(flannel ? { version: '4' as const } : {}), interface: 2, address: `${ip}/${prefixLength}`, gateway }],
    routes: flannel ? [{ dst: network }, { dst: '0.0.0.0/0', gw: gateway }] : [{ dst: '0.0.0.0/0' }],
    dns: {},
  };
  invocations.push(invocation('portmap', 'runtime', env, { type: 'portmap', capabilities: { portMappings: true }, name: main.name, cniVersion, prevResult: result }));
  const routes = [`default via ${gateway} dev ${ifName}`, ...(flannel ? [`${network} via ${gateway} dev ${ifName}`] : []), subnetRoute];
  return {
    ok: true, result, env, invocations, hostDevicesCreated: created, hostRoutesAdded: [],
    container: { ...container, address: `${ip}/${prefixLength}`, routes }, ipam: { kind: 'host-local', state: alloc.state },
  };
}

export function delBridgeFamily(req: CniPodRequest): CniDelOutcome {
  const env = cniEnv('DEL', req);
  const podCIDR = req.node.podCIDR ?? '0.0.0.0/32';
  const { main, bridge, cniVersion } = bridgeConfs(req, podCIDR);
  const invocations = [invocation('portmap', 'runtime', env, { type: 'portmap', capabilities: { portMappings: true }, name: main.name, cniVersion })];
  invocations.push(invocation(String(main.type), 'runtime', env, main));
  if (req.plugin === 'flannel') invocations.push(invocation('bridge', 'flannel', env, bridge));
  invocations.push(invocation('host-local', 'bridge', env, bridge));
  const ipam = expectIpam(req.ipam, 'host-local');
  const released = hostLocalRelease(ipam.state, { containerId: req.containerId, ifName: env.CNI_IFNAME });
  return {
    env, invocations, stdout: '', releasedIPs: released.released,
    hostDevicesRemoved: released.released.length ? [bridgeVethName(req.containerId, env.CNI_IFNAME)] : [],
    hostRoutesRemoved: [], ipam: { kind: 'host-local', state: released.state },
  };
}
