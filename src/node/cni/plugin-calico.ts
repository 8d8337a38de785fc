/**
 * ADD and DEL for Calico: no bridge. Each pod gets a /32 from calico-ipam, a veth whose host
 * end is "cali<hash>" with MAC ee:ee:ee:ee:ee:ee, and a host route `<ip> dev cali... scope
 * link`. Inside the pod the default route points at 169.254.1.1, which the host answers by
 * proxy ARP, so every packet goes up the veth and is routed by the host.
 */
import { conflistFor } from './conflist.js';
import { calicoAllocate, calicoRelease, podHandle } from './ipam-calico.js';
import { CALICO_HOST_VETH_MAC, CALICO_POD_GATEWAY, calicoVethName, deterministicMac } from './names.js';
import { cniEnv, expectIpam, invocation, podMtu, withVersion } from './plugin-env.js';
import type { CniAddOutcome, CniDelOutcome, CniPodRequest } from './plugin-types.js';

function confs(req: CniPodRequest): Record<string, unknown>[] {
  const list = conflistFor('calico', { node: req.node }).json;
  return list.plugins.map((p) => ({ ...p, name: list.name, cniVersion: list.cniVersion }));
}

export function addCalico(req: CniPodRequest): CniAddOutcome {
  const env = cniEnv('ADD', req);
  const [calico, portmap, bandwidth] = confs(req);
  const invocations = [invocation('calico', 'runtime', env, calico), invocation('calico-ipam', 'calico', env, calico)];
  const ipam = expectIpam(req.ipam, 'calico');
  const ifName = env.CNI_IFNAME;
  const mtu = podMtu(req.plugin, req.backend);
  const mac = deterministicMac(`${req.containerId}/${ifName}`);
  const alloc = calicoAllocate(ipam.state, req.node.name, podHandle(req.containerId));
  if (!alloc.ok) {
    return {
      ok: false, error: withVersion('0.3.1', alloc.error), env, invocations, hostDevicesCreated: [], hostRoutesAdded: [],
      container: { ifName, mac, mtu, routes: [] }, ipam,
    };
  }
  const veth = calicoVethName(req.podNamespace, req.podName);
  const address = `${alloc.allocation.ip}/32`;
  const result = { cniVersion: '0.3.1', interfaces: [{ name: veth }], ips: [{ version: '4' as const, address }], dns: {} };
  invocations.push(invocation('portmap', 'runtime', env, { ...portmap, prevResult: result }));
  invocations.push(invocation('bandwidth', 'runtime', env, { ...bandwidth, prevResult: result }));
  return {
    ok: true, result, env, invocations,
    hostDevicesCreated: [{ name: veth, kind: 'veth', mac: CALICO_HOST_VETH_MAC, mtu, peer: { ifName, netns: env.CNI_NETNS } }],
    hostRoutesAdded: [`${alloc.allocation.ip} dev ${veth} scope link`],
    container: {
      ifName, mac, mtu, address,
      routes: [`default via ${CALICO_POD_GATEWAY} dev ${ifName}`, `${CALICO_POD_GATEWAY} dev ${ifName} scope link`],
    },
    ipam: { kind: 'calico', state: alloc.state },
  };
}

export function delCalico(req: CniPodRequest): CniDelOutcome {
  const env = cniEnv('DEL', req);
  const [calico, portmap, bandwidth] = confs(req);
  const invocations = [
    invocation('bandwidth', 'runtime', env, bandwidth),
    invocation('portmap', 'runtime', env, portmap),
    invocation('calico', 'runtime', env, calico),
    invocation('calico-ipam', 'calico', env, calico),
  ];
  const ipam = expectIpam(req.ipam, 'calico');
  const released = calicoRelease(ipam.state, podHandle(req.containerId));
  const veth = calicoVethName(req.podNamespace, req.podName);
  return {
    env, invocations, stdout: '', releasedIPs: released.released,
    hostDevicesRemoved: released.released.length ? [veth] : [],
    hostRoutesRemoved: released.released.map((ip) => `${ip} dev ${veth} scope link`),
    ipam: { kind: 'calico', state: released.state },
  };
}
