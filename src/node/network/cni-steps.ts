import type { PodRef } from '../kubelet/pod-network.js';
import type { Sandbox } from '../kubelet/container-runtime.js';
import type { CniAddOutcome, CniDelOutcome, ConflistFile } from '../cni/index.js';
import type { CniPodNetwork } from './cni-pod-network.js';
import { nthAddress, parseCidr } from '../cni/ipv4.js';

/**
 * The steps a learner sees for the CNI side of a node: the conflist appearing in
 * /etc/cni/net.d, and each ADD and DEL with the environment, the config, every plugin binary
 * that ran and the spec-shaped result, so the inspector shows exactly what containerd saw.
 */

/** subnet.env writes the subnet as its gateway address: 10.244.1.0/24 → 10.244.1.1/24. */
function subnetEnvValue(cidr: string): string {
  if (!cidr) return '';
  const c = parseCidr(cidr);
  return `${nthAddress(c, 1)}/${c.prefix}`;
}

const CHAIN: Readonly<Record<string, string>> = {
  flannel: 'flannel → bridge → host-local',
  bridge: 'bridge → host-local',
  calico: 'calico → calico-ipam',
  weave: 'weave-net',
};

function how(net: CniPodNetwork, ip: string): string {
  switch (net.plugin) {
    case 'flannel':
      return `The flannel plugin reads /run/flannel/subnet.env (FLANNEL_SUBNET=${subnetEnvValue(net.flannelSubnet ?? '')}) and delegates to the bridge plugin: it creates the cni0 bridge on the node's first pod, a veth pair whose pod end becomes eth0, and asks host-local IPAM for the next free address of the node's subnet (${ip}). host-local records it as a file under /var/lib/cni/networks/cbr0.`;
    case 'bridge':
      return `The bridge plugin creates cni0 on the node's first pod, a veth pair whose pod end becomes eth0, and asks host-local IPAM for the next free address of ${net.podCIDR} (${ip}). cni0 is the pod's gateway.`;
    case 'calico':
      return `The calico plugin asks calico-ipam for an address from this node's /26 block (claiming a block the first time), creates a veth whose host end is a cali… interface, adds the host route "${ip} dev cali…", and gives the pod a default route via 169.254.1.1, which the host answers by proxy ARP. There is no bridge: the host routes every packet.`;
    case 'weave':
      return `The weave-net plugin asks the weave router on this node for an address from its share of 10.32.0.0/12 (${ip}) and plugs the pod's veth into the weave bridge. Weave Net is archived: Weaveworks shut down in 2024 and the project is no longer maintained, so treat it as legacy.`;
  }
}

function detailOf(net: CniPodNetwork, outcome: CniAddOutcome | CniDelOutcome): Record<string, unknown> {
  return {
    env: outcome.env,
    conflist: net.conflist ? { path: net.conflist.path, text: net.conflist.text } : undefined,
    invocations: outcome.invocations.map((i) => ({ binary: i.binary, calledBy: i.calledBy, stdin: i.stdin })),
  };
}

/** The conflist appeared: the node can turn Ready. */
export function recordConflist(net: CniPodNetwork, file: ConflistFile, writer: string, how: string): void {
  net.ctx.sim.recorder.record({
    stage: 'networking',
    from: writer,
    to: `containerd/${net.nodeName}`,
    kind: 'node',
    node: net.nodeName,
    summary: `${file.path} written; containerd reports NetworkReady=true`,
    explanation: `${how} containerd's CRI plugin watches ${file.path.replace(/\/[^/]+$/, '')} and loads the lexically first config; from now on it reports NetworkReady=true, so the kubelet stops reporting NetworkPluginNotReady and the node can turn Ready.`,
    detail: { file: file.path, text: file.text },
  });
}

/** A successful ADD with everything containerd saw. */
export function recordCniAdd(net: CniPodNetwork, pod: PodRef, outcome: CniAddOutcome): void {
  const address = outcome.container.address ?? '';
  net.ctx.sim.recorder.record({
    stage: 'networking',
    from: `containerd/${net.nodeName}`,
    to: `cni/${net.nodeName}`,
    kind: 'node',
    node: net.nodeName,
    summary: `CNI ADD ${pod.namespace}/${pod.name}: eth0 ${address} (${CHAIN[net.plugin]})`,
    explanation: `containerd runs the plugins of ${net.conflist?.path} with CNI_COMMAND=ADD, CNI_CONTAINERID, CNI_NETNS=${outcome.env.CNI_NETNS} and CNI_IFNAME=eth0 in the environment and the network config on stdin. ${how(net, address.split('/')[0])} The result on stdout (cniVersion ${outcome.result?.cniVersion}) gives containerd the pod's IP, which the kubelet reports as status.podIP.`,
    detail: {
      ...detailOf(net, outcome),
      result: outcome.result,
      container: outcome.container,
      hostDevicesCreated: outcome.hostDevicesCreated,
      hostRoutesAdded: outcome.hostRoutesAdded,
    },
  });
}

/** An ADD that returned an error result (the pod is retried). */
export function recordCniError(net: CniPodNetwork, pod: PodRef, sandbox: Sandbox, msg: string, outcome?: CniAddOutcome): void {
  net.ctx.sim.recorder.record({
    stage: 'networking',
    from: `containerd/${net.nodeName}`,
    to: `cni/${net.nodeName}`,
    kind: 'node',
    node: net.nodeName,
    summary: `CNI ADD ${pod.namespace}/${pod.name} failed: ${msg}`,
    explanation: `containerd ran the ${net.plugin} plugin for sandbox ${sandbox.id.slice(0, 12)}, and it returned an error result instead of an IP. The sandbox is torn down and the kubelet retries the pod later (FailedCreatePodSandBox).`,
    detail: outcome ? { ...detailOf(net, outcome), error: outcome.error } : { error: { code: 11, msg } },
  });
}

/** A DEL: the address goes back to IPAM, the veth goes away. */
export function recordCniDel(net: CniPodNetwork, pod: PodRef, outcome: CniDelOutcome): void {
  net.ctx.sim.recorder.record({
    stage: 'networking',
    from: `containerd/${net.nodeName}`,
    to: `cni/${net.nodeName}`,
    kind: 'node',
    node: net.nodeName,
    summary: `CNI DEL ${pod.namespace}/${pod.name}: released ${outcome.releasedIPs.join(', ') || 'nothing'}`,
    explanation: `The sandbox of ${pod.namespace}/${pod.name} is going away, so containerd runs the plugins with CNI_COMMAND=DEL in reverse order: the address goes back to IPAM and the pod's veth is deleted. DEL prints nothing on success and must succeed even if called twice.`,
    detail: { ...detailOf(net, outcome), releasedIPs: outcome.releasedIPs, hostDevicesRemoved: outcome.hostDevicesRemoved, hostRoutesRemoved: outcome.hostRoutesRemoved },
  });
}
