import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostLocalAllocate, newCalicoIpam, newHostLocal, newWeaveIpam, calicoAssignTunnel } from './ipam.js';
import { cniAdd, cniDel, type CniPodRequest, type CniResult, type IpamState } from './plugin.js';

const node = { name: 'node-1', ip: '192.168.56.11', podCIDR: '10.244.1.0/24' };
const containerId = '4b1c9f0e7d2a6b3c8e5f1a0d9c7b6e4f3a2d1c0b9e8f7a6d5c4b3a2f1e0d9c8b';
const base = { node, containerId, podNamespace: 'default', podName: 'web-0' };
const hostLocal = (): IpamState => ({ kind: 'host-local', state: newHostLocal('cbr0', '10.244.1.0/24') });

function flannelAdd(extra: Partial<CniPodRequest> = {}): ReturnType<typeof cniAdd> {
  return cniAdd({ ...base, plugin: 'flannel', backend: 'vxlan', ipam: hostLocal(), ...extra });
}

/** Checks the SPEC's success-result rules every plugin result must satisfy. */
function expectSpecResult(result: CniResult | undefined): void {
  expect(result).toBeDefined();
  const r = result as CniResult;
  expect(r.cniVersion).toMatch(/^\d+\.\d+\.\d+$/);
  expect(r.ips.length).toBeGreaterThan(0);
  for (const ip of r.ips) {
    expect(ip.address).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    if (ip.interface !== undefined) expect(r.interfaces?.[ip.interface]?.sandbox).toBeDefined();
  }
  expect(r.dns).toEqual({});
}

describe('the runtime\'s call', () => {
  it('passes CNI_* variables the way containerd does for a pod sandbox', () => {
    const { env } = flannelAdd({ podUid: '6f1e0a2b-0000-4000-8000-000000000001' });
    expect(env).toMatchObject({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: containerId, CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin' });
    expect(env.CNI_NETNS).toMatch(/^\/var\/run\/netns\/cni-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(env.CNI_ARGS).toBe(
      `IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=${containerId};K8S_POD_UID=6f1e0a2b-0000-4000-8000-000000000001`,
    );
  });

  it('runs flannel, which delegates to bridge, which runs host-local; then portmap gets the result', () => {
    const out = flannelAdd();
    expect(out.invocations.map((i) => `${i.calledBy}->${i.binary}`)).toEqual([
      'runtime->/opt/cni/bin/flannel', 'flannel->/opt/cni/bin/bridge', 'bridge->/opt/cni/bin/host-local', 'runtime->/opt/cni/bin/portmap',
    ]);
    expect(out.invocations[1].stdin).toMatchObject({ type: 'bridge', name: 'cbr0', mtu: 1450, isDefaultGateway: true, ipam: { type: 'host-local' } });
    expect(out.invocations[3].stdin.prevResult).toEqual(out.result);
  });
});

describe('flannel / bridge ADD', () => {
  it('returns a 0.3.1 result: cni0, the host veth and eth0 in the sandbox, one IP with gateway', () => {
    const out = flannelAdd();
    expectSpecResult(out.result);
    expect(out.result?.interfaces?.map((i) => i.name)).toEqual(['cni0', expect.stringMatching(/^veth[0-9a-f]{8}$/), 'eth0']);
    expect(out.result?.ips).toEqual([{ version: '4', interface: 2, address: '10.244.1.2/24', gateway: '10.244.1.1' }]);
    expect(out.result?.routes).toEqual([{ dst: '10.244.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.244.1.1' }]);
    expect(out.container.routes[0]).toBe('default via 10.244.1.1 dev eth0');
  });

  it('creates cni0 with the gateway address only for the node\'s first pod', () => {
    expect(flannelAdd().hostDevicesCreated.map((d) => d.name)).toEqual(['cni0', expect.stringMatching(/^veth/)]);
    const second = flannelAdd({ hostDevices: ['cni0'] });
    expect(second.hostDevicesCreated).toHaveLength(1);
    expect(flannelAdd().hostDevicesCreated[0]).toMatchObject({ kind: 'bridge', addresses: ['10.244.1.1/24'], mtu: 1450 });
  });

  it('reports the IPAM error through flannel when the podCIDR is full', () => {
    let ipam = newHostLocal('cbr0', '10.244.1.0/30'); // only .2
    const r = hostLocalAllocate(ipam, { containerId: 'other', ifName: 'eth0' });
    if (r.ok) ipam = r.state;
    const out = flannelAdd({ ipam: { kind: 'host-local', state: ipam } });
    expect(out.ok).toBe(false);
    expect(out.error).toEqual({
      cniVersion: '0.3.1', code: 999,
      msg: 'failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.2',
    });
  });

  it('uses the bridge conflist directly with a 1.0.0 result (no "version" in ips)', () => {
    const out = cniAdd({ ...base, plugin: 'bridge', backend: 'none', ipam: hostLocal() });
    expectSpecResult(out.result);
    expect(out.result?.cniVersion).toBe('1.0.0');
    expect(out.result?.ips[0]).toEqual({ interface: 2, address: '10.244.1.2/24', gateway: '10.244.1.1' });
    expect(out.invocations.map((i) => i.binary.split('/').pop())).toEqual(['bridge', 'host-local', 'portmap']);
  });

  it('DEL runs the chain in reverse, frees the address and is idempotent', () => {
    const added = flannelAdd();
    const del = cniDel({ ...base, plugin: 'flannel', backend: 'vxlan', ipam: added.ipam });
    expect(del.env.CNI_COMMAND).toBe('DEL');
    expect(del.stdout).toBe('');
    expect(del.invocations[0].binary).toBe('/opt/cni/bin/portmap');
    expect(del.releasedIPs).toEqual(['10.244.1.2']);
    expect(del.hostDevicesRemoved).toEqual([added.hostDevicesCreated[1].name]);
    const again = cniDel({ ...base, plugin: 'flannel', backend: 'vxlan', ipam: del.ipam });
    expect(again.releasedIPs).toEqual([]);
  });
});

describe('calico ADD', () => {
  it('gives the pod a /32, a cali veth and a host route; the pod routes via 169.254.1.1', () => {
    const tunnel = calicoAssignTunnel(newCalicoIpam(), 'node-1', 'ipip');
    if (!tunnel.ok) throw new Error('tunnel');
    const out = cniAdd({ ...base, plugin: 'calico', backend: 'ipip', ipam: { kind: 'calico', state: tunnel.state } });
    expectSpecResult(out.result);
    const veth = `cali${createHash('sha1').update('default.web-0').digest('hex').slice(0, 11)}`;
    expect(out.result?.interfaces).toEqual([{ name: veth }]);
    const ip = out.result?.ips[0].address.replace('/32', '');
    expect(out.result?.ips[0].address).toMatch(/\/32$/);
    expect(ip).not.toBe(tunnel.allocation.ip);
    expect(out.hostRoutesAdded).toEqual([`${ip} dev ${veth} scope link`]);
    expect(out.hostDevicesCreated[0]).toMatchObject({ name: veth, mac: 'ee:ee:ee:ee:ee:ee', mtu: 1480 });
    expect(out.container.routes).toEqual(['default via 169.254.1.1 dev eth0', '169.254.1.1 dev eth0 scope link']);
    expect(out.invocations.map((i) => i.binary.split('/').pop())).toEqual(['calico', 'calico-ipam', 'portmap', 'bandwidth']);
  });
});

describe('weave ADD', () => {
  it('plugs a vethwepl veth into the weave bridge; the pod sees the whole /12', () => {
    const out = cniAdd({ ...base, plugin: 'weave', backend: 'fastdp', ipam: { kind: 'weave', state: newWeaveIpam() } });
    expectSpecResult(out.result);
    expect(out.result?.ips).toEqual([{ version: '4', address: '10.32.0.2/12', gateway: '10.32.0.1' }]);
    expect(out.hostDevicesCreated[0]).toMatchObject({ name: `vethwepl${containerId.slice(0, 7)}`, master: 'weave', mtu: 1376 });
    expect(out.container.routes).toContain('10.32.0.0/12 dev eth0 proto kernel scope link src 10.32.0.2');
  });
});

describe('validation', () => {
  it('rejects a backend the plugin does not have, and IPAM of the wrong family', () => {
    expect(() => cniAdd({ ...base, plugin: 'flannel', backend: 'ipip', ipam: hostLocal() })).toThrow(/no backend "ipip"/);
    expect(() => cniAdd({ ...base, plugin: 'calico', backend: 'bgp', ipam: hostLocal() })).toThrow(/calico IPAM/);
  });
});
