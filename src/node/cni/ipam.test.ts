import { describe, expect, it } from 'vitest';
import {
  calicoAllocate, calicoAssignTunnel, calicoBlocksFor, calicoRelease, hostLocalAllocate, hostLocalFiles, hostLocalRelease,
  newCalicoIpam, newHostLocal, newWeaveIpam, podHandle, weaveAllocate, weaveExpose, weavePeerRanges, weaveRelease,
  type AllocateResult, type HostLocalState,
} from './ipam.js';
import { cidrContains, parseCidr } from './ipv4.js';

function ok<S>(r: AllocateResult<S>): { state: S; ip: string } {
  if (!r.ok) throw new Error(r.error.msg);
  return { state: r.state, ip: r.allocation.ip };
}

function fill(state: HostLocalState, n: number): { state: HostLocalState; ips: string[] } {
  const ips: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = ok(hostLocalAllocate(state, { containerId: `c${i}`, ifName: 'eth0' }));
    state = r.state;
    ips.push(r.ip);
  }
  return { state, ips };
}

describe('host-local', () => {
  it('starts at .2, skipping the network address and the .1 gateway', () => {
    const r = hostLocalAllocate(newHostLocal('cbr0', '10.244.1.0/24'), { containerId: 'c0', ifName: 'eth0' });
    expect(r.ok && r.allocation).toEqual({ ip: '10.244.1.2', prefixLength: 24, gateway: '10.244.1.1' });
  });

  it('continues after the last reserved address instead of reusing a freed one', () => {
    let { state } = fill(newHostLocal('cbr0', '10.244.1.0/24'), 3);
    state = hostLocalRelease(state, { containerId: 'c0', ifName: 'eth0' }).state;
    expect(ok(hostLocalAllocate(state, { containerId: 'c9', ifName: 'eth0' })).ip).toBe('10.244.1.5');
  });

  it('is deterministic and runs out after .254 with host-local\'s error', () => {
    const a = fill(newHostLocal('cbr0', '10.244.1.0/24'), 253);
    expect(a.ips).toEqual(fill(newHostLocal('cbr0', '10.244.1.0/24'), 253).ips);
    expect(a.ips.at(-1)).toBe('10.244.1.254');
    const r = hostLocalAllocate(a.state, { containerId: 'extra', ifName: 'eth0' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toEqual({
      code: 999,
      msg: 'failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254',
    });
  });

  it('wraps around to freed addresses once the end of the range is reached', () => {
    let { state } = fill(newHostLocal('cbr0', '10.244.1.0/29'), 5); // .2 .. .6
    state = hostLocalRelease(state, { containerId: 'c1', ifName: 'eth0' }).state;
    expect(ok(hostLocalAllocate(state, { containerId: 'again', ifName: 'eth0' })).ip).toBe('10.244.1.3');
  });

  it('keeps a file per address with the container ID and interface', () => {
    const { state } = fill(newHostLocal('cbr0', '10.244.1.0/24'), 1);
    expect(hostLocalFiles(state)).toEqual([
      { path: '/var/lib/cni/networks/cbr0/10.244.1.2', content: 'c0\r\neth0' },
      { path: '/var/lib/cni/networks/cbr0/last_reserved_ip.0', content: '10.244.1.2' },
      { path: '/var/lib/cni/networks/cbr0/lock', content: '' },
    ]);
  });
});

describe('calico-ipam', () => {
  it('claims a /26 per node and hands out its addresses in order, tunnel first', () => {
    let state = ok(calicoAssignTunnel(newCalicoIpam(), 'node-1', 'ipip')).state;
    const [block] = calicoBlocksFor(state, 'node-1');
    expect(block).toMatch(/^192\.168\.\d+\.(0|64|128|192)\/26$/);
    const pod = ok(calicoAllocate(state, 'node-1', podHandle('c1')));
    state = pod.state;
    const base = block.split('/')[0].split('.').map(Number);
    expect(pod.ip).toBe(`${base[0]}.${base[1]}.${base[2]}.${base[3] + 1}`);
    expect(calicoBlocksFor(state, 'node-2')).toEqual([]);
  });

  it('gives each node its own block, the same one on every run', () => {
    const blocksOf = (): string[] => {
      let s = newCalicoIpam();
      for (const n of ['node-0', 'node-1', 'node-2']) s = ok(calicoAllocate(s, n, podHandle(n))).state;
      return ['node-0', 'node-1', 'node-2'].flatMap((n) => calicoBlocksFor(s, n));
    };
    expect(new Set(blocksOf()).size).toBe(3);
    expect(blocksOf()).toEqual(blocksOf());
  });

  it('claims a second block after 64 addresses, borrows when the pool is out of blocks, then fails', () => {
    let s = newCalicoIpam('10.10.0.0/28', 30); // four blocks of four addresses
    for (let i = 0; i < 5; i++) s = ok(calicoAllocate(s, 'node-a', podHandle(`a${i}`))).state;
    expect(calicoBlocksFor(s, 'node-a')).toHaveLength(2);
    for (let i = 0; i < 8; i++) s = ok(calicoAllocate(s, 'node-b', podHandle(`b${i}`))).state;
    const borrowed = ok(calicoAllocate(s, 'node-b', podHandle('b8')));
    expect(calicoBlocksFor(borrowed.state, 'node-a').some((b) => cidrContains(parseCidr(b), borrowed.ip))).toBe(true);
    expect(calicoBlocksFor(borrowed.state, 'node-b').some((b) => cidrContains(parseCidr(b), borrowed.ip))).toBe(false);
    s = borrowed.state;
    for (let i = 9; i < 11; i++) s = ok(calicoAllocate(s, 'node-b', podHandle(`b${i}`))).state;
    const r = calicoAllocate(s, 'node-c', podHandle('c0'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.msg).toBe('failed to request 1 IPv4 addresses. IPAM allocated only 0.');
  });

  it('releases by handle and reuses the ordinal', () => {
    const a = ok(calicoAllocate(newCalicoIpam(), 'node-1', podHandle('x')));
    const released = calicoRelease(a.state, podHandle('x'));
    expect(released.released).toEqual([a.ip]);
    expect(ok(calicoAllocate(released.state, 'node-1', podHandle('y'))).ip).toBe(a.ip);
  });
});

describe('weave IPAM', () => {
  it('gives the first peer the whole range and its bridge 10.32.0.1', () => {
    const exposed = ok(weaveExpose(newWeaveIpam(), 'node-0'));
    expect(exposed.ip).toBe('10.32.0.1');
    const pod = weaveAllocate(exposed.state, 'node-0', 'c0');
    expect(pod.ok && pod.allocation).toEqual({ ip: '10.32.0.2', prefixLength: 12, gateway: '10.32.0.1' });
    expect(weavePeerRanges(exposed.state, 'node-0')).toEqual(['10.32.0.0-10.47.255.255']);
  });

  it('splits the largest range in half for each peer that joins', () => {
    let s = ok(weaveExpose(newWeaveIpam(), 'node-0')).state;
    const second = ok(weaveExpose(s, 'node-1'));
    s = second.state;
    expect(second.ip).toBe('10.40.0.0');
    expect(weavePeerRanges(s, 'node-0')).toEqual(['10.32.0.0-10.39.255.255']);
    s = ok(weaveExpose(s, 'node-2')).state;
    expect(weavePeerRanges(s, 'node-2')).toEqual(['10.36.0.0-10.39.255.255']);
  });

  it('releases a container\'s address', () => {
    const a = ok(weaveAllocate(newWeaveIpam(), 'node-0', 'c0'));
    expect(weaveRelease(a.state, 'c0').released).toEqual([a.ip]);
  });
});
