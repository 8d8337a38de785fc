import { describe, expect, it } from 'vitest';
import { calicoAllocate, newCalicoIpam, tunnelHandle, type CalicoIpamState } from '../cni/index.js';
import type { CniPodNetwork } from './cni-pod-network.js';
import { peerEntries } from './node-view.js';

/** The parts of a node's network that peerEntries reads: a Calico (BGP) node with one peer. */
function calicoNode(ipam: CalicoIpamState) {
  return {
    plugin: 'calico',
    backend: 'bgp',
    fabric: { calicoIpam: ipam },
    daemonStarted: true,
    pods: new Map(),
    peers: new Map([['worker-2', { name: 'worker-2', ip: '172.18.0.4', blocks: ['192.168.200.0/26'] }]]),
    nodeName: 'worker-1',
    nodeIP: '172.18.0.3',
  } as unknown as CniPodNetwork & { fabric: { calicoIpam: CalicoIpamState } };
}

function allocate(ipam: CalicoIpamState, count: number): CalicoIpamState {
  let state = ipam;
  for (let i = 0; i < count; i++) {
    const r = calicoAllocate(state, 'worker-1', i === 0 ? tunnelHandle('ipip', 'worker-1') : `pod-${i}`);
    if (!r.ok) throw new Error(r.error.msg);
    state = r.state;
  }
  return state;
}

describe("a peer's entries on a node", () => {
  it("are only the peer's own lines, also after the node's own blocks changed", () => {
    const net = calicoNode(allocate(newCalicoIpam(), 1));
    const expected = { routes: ['192.168.200.0/26 via 172.18.0.4 dev eth0 proto bird'], fdb: [], neighbors: [] };
    expect(peerEntries(net, 'worker-2')).toEqual(expected);
    // 70 addresses need a second /26 block: its blackhole route is the node's own, not the peer's.
    net.fabric.calicoIpam = allocate(newCalicoIpam(), 70);
    expect(peerEntries(net, 'worker-2')).toEqual(expected);
  });
});
