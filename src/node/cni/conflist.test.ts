import { describe, expect, it } from 'vitest';
import { bridgeConflistJson, conflistFor } from './conflist.js';

const node = { name: 'node-1', ip: '192.168.56.11', podCIDR: '10.244.1.0/24' };

describe('conflistFor', () => {
  it('writes flannel\'s cni-conf.json unchanged to 10-flannel.conflist', () => {
    const f = conflistFor('flannel');
    expect(f.path).toBe('/etc/cni/net.d/10-flannel.conflist');
    expect(f.json).toEqual({
      name: 'cbr0', cniVersion: '0.3.1',
      plugins: [
        { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    });
    expect(f.text).toBe(`${JSON.stringify(f.json, null, 2)}\n`);
  });

  it('fills in calico\'s template with the node name, calico-ipam, portmap and bandwidth', () => {
    const f = conflistFor('calico', { node });
    expect(f.fileName).toBe('10-calico.conflist');
    expect(f.json.name).toBe('k8s-pod-network');
    expect(f.json.plugins.map((p) => p.type)).toEqual(['calico', 'portmap', 'bandwidth']);
    expect(f.json.plugins[0]).toMatchObject({ nodename: 'node-1', mtu: 0, ipam: { type: 'calico-ipam' }, datastore_type: 'kubernetes' });
    expect(f.text).toContain('"capabilities": {"bandwidth": true}');
  });

  it('writes weave\'s file with hairpinMode and portmap', () => {
    const f = conflistFor('weave');
    expect(f.json).toEqual({
      cniVersion: '0.3.0', name: 'weave',
      plugins: [
        { name: 'weave', type: 'weave-net', hairpinMode: true },
        { type: 'portmap', capabilities: { portMappings: true }, snat: true },
      ],
    });
  });

  it('gives the bridge example the node\'s podCIDR as its host-local range', () => {
    const f = conflistFor('bridge', { node });
    expect(f.path).toBe('/etc/cni/net.d/10-bridge.conflist');
    expect(f.json.plugins[0]).toEqual({
      type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: true,
      ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: '10.244.1.0/24', gateway: '10.244.1.1' }]] },
    });
    expect(f.json.cniVersion).toBe('1.0.0');
  });

  it('refuses per-node conflists without the node', () => {
    expect(() => conflistFor('calico')).toThrow(/options.node/);
    expect(() => conflistFor('bridge', { node: { name: 'n', ip: '10.0.0.1' } })).toThrow(/podCIDR/);
    expect(() => bridgeConflistJson('10.0.0.0/31')).toThrow(/too small/);
  });

  it('sorts so the runtime picks the expected file when two plugins are installed', () => {
    const names = (['weave', 'calico', 'flannel'] as const).map((p) => conflistFor(p, { node }).fileName).sort();
    expect(names[0]).toBe('10-calico.conflist');
  });
});
