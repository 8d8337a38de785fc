/**
 * ADD and DEL for Weave Net: the weave router (a DaemonSet pod) owns the `weave` bridge and
 * the address space; the weave-net CNI plugin asks it for an address and plugs the pod's
 * veth ("vethwepl...") into the bridge. All pods share one /12, so the pod's only routes are
 * the connected /12 and a default via this node's bridge address.
 */
import { conflistFor } from './conflist.js';
import { weaveAllocate, weaveExpose, weaveRelease } from './ipam-weave.js';
import { deterministicMac, weaveVethName } from './names.js';
import { cniEnv, expectIpam, invocation, podMtu, withVersion } from './plugin-env.js';
import type { CniAddOutcome, CniDelOutcome, CniPodRequest } from './plugin-types.js';

function confs(req: CniPodRequest): Record<string, unknown>[] {
  const list = conflistFor('weave').json;
  return list.plugins.map((p) => ({ ...p, name: list.name, cniVersion: list.cniVersion }));
}

export function addWeave(req: CniPodRequest): CniAddOutcome {
  const env = cniEnv('ADD', req);
  const [weave, portmap] = confs(req);
  const invocations = [invocation('weave-net', 'runtime', env, weave)];
  const ipam = expectIpam(req.ipam, 'weave');
  const ifName = env.CNI_IFNAME;
  const mtu = podMtu(req.plugin, req.backend);
  const mac = deterministicMac(`${req.containerId}/${ifName}`);
  // The router has already run `weave expose`, giving the bridge its address.
  const exposed = weaveExpose(ipam.state, req.node.name);
  const alloc = exposed.ok ? weaveAllocate(exposed.state, req.node.name, req.containerId) : exposed;
  if (!alloc.ok) {
    return {
      ok: false, error: withVersion('0.3.0', alloc.error), env, invocations, hostDevicesCreated: [], hostRoutesAdded: [],
      container: { ifName, mac, mtu, routes: [] }, ipam,
    };
  }
  const { ip, prefixLength, gateway } = alloc.allocation;
  const range = String(alloc.state.range);
  const address = `${ip}/${prefixLength}`;
  const result = { cniVersion: '0.3.0', ips: [{ version: '4' as const, address, gateway }], dns: {} };
  invocations.push(invocation('portmap', 'runtime', env, { ...portmap, prevResult: result }));
  const veth = weaveVethName(req.containerId);
  return {
    ok: true, result, env, invocations,
    hostDevicesCreated: [{ name: veth, kind: 'veth', mac: deterministicMac(`${req.containerId}/${veth}`), mtu, master: 'weave', peer: { ifName, netns: env.CNI_NETNS } }],
    hostRoutesAdded: [],
    container: {
      ifName, mac, mtu, address,
      routes: [`default via ${gateway} dev ${ifName}`, `${range} dev ${ifName} proto kernel scope link src ${ip}`],
    },
    ipam: { kind: 'weave', state: alloc.state },
  };
}

export function delWeave(req: CniPodRequest): CniDelOutcome {
  const env = cniEnv('DEL', req);
  const [weave, portmap] = confs(req);
  const ipam = expectIpam(req.ipam, 'weave');
  const released = weaveRelease(ipam.state, req.containerId);
  return {
    env,
    invocations: [invocation('portmap', 'runtime', env, portmap), invocation('weave-net', 'runtime', env, weave)],
    stdout: '', releasedIPs: released.released,
    hostDevicesRemoved: released.released.length ? [weaveVethName(req.containerId)] : [],
    hostRoutesRemoved: [], ipam: { kind: 'weave', state: released.state },
  };
}
