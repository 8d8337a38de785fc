import { describe, expect, it } from 'vitest';
import { clusterNetwork, encapsulate, nodeNetwork, vtepMac, type NetworkNode } from './node-network.js';

const nodes: NetworkNode[] = [
  { name: 'node-0', ip: '192.168.56.10', podCIDR: '10.244.0.0/24' },
  { name: 'node-1', ip: '192.168.56.11', podCIDR: '10.244.1.0/24', pods: [{ ip: '10.244.1.2', hostIfName: 'veth3f2a9c1b' }] },
  { name: 'node-2', ip: '192.168.56.12', podCIDR: '10.244.2.0/24' },
];
const inner = { src: '10.244.1.2', dst: '10.244.2.5', proto: 'TCP' as const, sport: 40000, dport: 8080 };
const hop = { srcNode: nodes[1], dstNode: nodes[2] };

describe('flannel', () => {
  it('vxlan: routes peer subnets via flannel.1 onlink, with FDB and ARP entries per peer', () => {
    const n = nodeNetwork('flannel', 'vxlan', nodes, 'node-1');
    expect(n.routes).toEqual([
      'default via 192.168.56.1 dev eth0',
      '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink',
      '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
      '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
      '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11',
    ]);
    expect(n.devices.find((d) => d.name === 'flannel.1')).toMatchObject({
      kind: 'vxlan', mtu: 1450, addresses: ['10.244.1.0/32'], details: expect.stringContaining('vxlan id 1 local 192.168.56.11 dev eth0 srcport 0 0 dstport 8472'),
    });
    expect(n.fdb).toContain(`${vtepMac('node-2', 'flannel.1')} dst 192.168.56.12 self permanent`);
    expect(n.neighbors).toContain(`10.244.2.0 lladdr ${vtepMac('node-2', 'flannel.1')} PERMANENT`);
  });

  it('has no cni0 route until the bridge plugin created cni0 for a first pod', () => {
    expect(nodeNetwork('flannel', 'vxlan', nodes, 'node-2').routes.some((r) => r.includes('cni0'))).toBe(false);
  });

  it('host-gw: routes peer subnets via the peer node\'s address, no tunnel device', () => {
    const n = nodeNetwork('flannel', 'host-gw', nodes, 'node-1');
    expect(n.routes).toContain('10.244.2.0/24 via 192.168.56.12 dev eth0');
    expect(n.devices.map((d) => d.name)).not.toContain('flannel.1');
    expect(n.fdb).toEqual([]);
  });

  it('encapsulates in VXLAN to UDP 8472 with VNI 1 between the nodes\' addresses', () => {
    const e = encapsulate('flannel', 'vxlan', inner, hop);
    expect(e).toMatchObject({
      mode: 'vxlan', encapsulated: true, device: 'flannel.1', overheadBytes: 50, innerMtu: 1450,
      outer: { srcIP: '192.168.56.11', dstIP: '192.168.56.12', protocol: 'UDP', ipProtocol: 17, dstPort: 8472, vni: 1 },
      innerEthernet: { src: vtepMac('node-1', 'flannel.1'), dst: vtepMac('node-2', 'flannel.1') },
    });
    expect(e.outer?.srcPort).toBeGreaterThanOrEqual(32768);
    expect(e.outer?.srcPort).toBeLessThan(61000);
    expect(encapsulate('flannel', 'vxlan', inner, hop).outer?.srcPort).toBe(e.outer?.srcPort);
    expect(encapsulate('flannel', 'host-gw', inner, hop)).toMatchObject({ mode: 'routed', encapsulated: false, nextHop: '192.168.56.12' });
  });
});

describe('calico', () => {
  const calicoNodes: NetworkNode[] = [
    { name: 'node-0', ip: '192.168.56.10', blocks: ['192.168.10.0/26'], overlayIP: '192.168.10.0' },
    { name: 'node-1', ip: '192.168.56.11', blocks: ['192.168.20.64/26'], overlayIP: '192.168.20.64', pods: [{ ip: '192.168.20.65', hostIfName: 'cali0d7763386da' }] },
  ];

  it('ipip: blackholes its own block, /32 per pod, peer blocks via tunl0 proto bird onlink', () => {
    const n = nodeNetwork('calico', 'ipip', calicoNodes, 'node-1');
    expect(n.routes).toEqual([
      'default via 192.168.56.1 dev eth0',
      '192.168.10.0/26 via 192.168.56.10 dev tunl0 proto bird onlink',
      'blackhole 192.168.20.64/26 proto bird',
      '192.168.20.65 dev cali0d7763386da scope link',
      '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11',
    ]);
    expect(n.devices.find((d) => d.name === 'tunl0')).toMatchObject({ kind: 'ipip', mtu: 1480, addresses: ['192.168.20.64/32'] });
    expect(encapsulate('calico', 'ipip', inner, hop)).toMatchObject({ mode: 'ipip', overheadBytes: 20, outer: { protocol: 'IPIP', ipProtocol: 4 } });
  });

  it('vxlan: routes peer blocks via the peer\'s tunnel address on vxlan.calico, UDP 4789', () => {
    const n = nodeNetwork('calico', 'vxlan', calicoNodes, 'node-1');
    expect(n.routes).toContain('192.168.10.0/26 via 192.168.10.0 dev vxlan.calico onlink');
    expect(n.routes).toContain('blackhole 192.168.20.64/26 proto 80');
    expect(n.neighbors).toEqual([`192.168.10.0 lladdr ${vtepMac('node-0', 'vxlan.calico')} PERMANENT`]);
    expect(encapsulate('calico', 'vxlan', inner, hop).outer).toMatchObject({ dstPort: 4789, vni: 4096 });
  });

  it('bgp: plain routes learned by BIRD, no tunnel', () => {
    const n = nodeNetwork('calico', 'bgp', calicoNodes, 'node-1');
    expect(n.routes).toContain('192.168.10.0/26 via 192.168.56.10 dev eth0 proto bird');
    expect(n.devices.map((d) => d.name)).toEqual(['eth0', 'cali0d7763386da']);
    expect(encapsulate('calico', 'bgp', inner, hop)).toMatchObject({ mode: 'routed', encapsulated: false });
  });

  it('derives blocks and tunnel addresses from calico-ipam when not given', () => {
    const derived = clusterNetwork('calico', 'ipip', nodes);
    const tunl0 = derived.map((n) => n.devices.find((d) => d.name === 'tunl0')?.addresses[0]);
    expect(new Set(tunl0).size).toBe(3);
    for (const a of tunl0) expect(a).toMatch(/^192\.168\.\d+\.\d+\/32$/);
  });
});

describe('weave', () => {
  it('routes the whole 10.32.0.0/12 on the weave bridge; fastdp adds vxlan-6784', () => {
    const n = nodeNetwork('weave', 'fastdp', nodes, 'node-0');
    expect(n.routes).toContain('10.32.0.0/12 dev weave proto kernel scope link src 10.32.0.1');
    expect(n.devices.map((d) => d.name)).toEqual(expect.arrayContaining(['weave', 'datapath', 'vxlan-6784']));
    expect(nodeNetwork('weave', 'sleeve', nodes, 'node-0').devices.map((d) => d.name)).not.toContain('vxlan-6784');
    expect(encapsulate('weave', 'fastdp', inner, hop).outer).toMatchObject({ protocol: 'UDP', dstPort: 6784 });
    expect(encapsulate('weave', 'sleeve', inner, hop)).toMatchObject({ mode: 'sleeve', outer: { dstPort: 6783 } });
  });
});

describe('bridge', () => {
  it('only has cni0: nothing reaches another node\'s pods', () => {
    const n = nodeNetwork('bridge', 'none', nodes, 'node-1');
    expect(n.routes.filter((r) => r.startsWith('10.244.'))).toEqual(['10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1']);
    expect(encapsulate('bridge', 'none', inner, hop).mode).toBe('unreachable');
  });
});

it('keeps traffic between pods on one node local under every plugin', () => {
  const same = { srcNode: nodes[1], dstNode: nodes[1] };
  for (const [p, b] of [['flannel', 'vxlan'], ['calico', 'ipip'], ['weave', 'fastdp'], ['bridge', 'none']] as const) {
    expect(encapsulate(p, b, inner, same)).toMatchObject({ mode: 'local', encapsulated: false });
  }
});
