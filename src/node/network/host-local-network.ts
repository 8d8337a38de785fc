import ipaddr from 'ipaddr.js';
import type { Simulation, Actor } from '../../sim/simulation.js';
import type { PodNetwork, PodRef } from '../kubelet/pod-network.js';
import type { Sandbox } from '../kubelet/container-runtime.js';

/**
 * Pod networking for a node before a CNI plugin model is chosen: once the node has its pod
 * CIDR, the network DaemonSet's pod writes its CNI config and the runtime reports NetworkReady;
 * each sandbox then gets the next free address of the node's range (host-local IPAM: .1 is the
 * bridge's gateway, pods from .2).
 */
export class HostLocalNetwork implements PodNetwork {
  ready = false;
  private cidr: [ipaddr.IPv4, number] | undefined;
  private readonly used = new Map<string, string>();
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly actor: Actor,
    private readonly nodeName: string,
    private readonly configFile = '/etc/cni/net.d/10-flannel.conflist',
  ) {}

  setPodCIDR(cidr: string): void {
    if (this.cidr) return;
    this.cidr = ipaddr.IPv4.parseCIDR(cidr);
    this.sim.schedule(this.actor, 1_000, () => {
      this.ready = true;
      this.sim.recorder.record({
        stage: 'networking',
        from: `cni/${this.nodeName}`,
        to: `kubelet/${this.nodeName}`,
        kind: 'node',
        node: this.nodeName,
        summary: `CNI config ${this.configFile} written; NetworkReady=true`,
        explanation: `The network plugin's pod on ${this.nodeName} read the node's pod CIDR ${cidr} and wrote its CNI config. containerd now reports NetworkReady=true, so the kubelet can report the node Ready.`,
      });
      for (const listener of this.listeners) listener();
    });
  }

  setUp(pod: PodRef, sandbox: Sandbox): { ip: string } | { error: string } {
    if (!this.cidr || !this.ready) return { error: 'cni plugin not initialized' };
    const [base, prefix] = this.cidr;
    const size = 2 ** (32 - prefix);
    const start = ipaddr.IPv4.parse(base.toString()).toByteArray().reduce((n, b) => n * 256 + b, 0);
    const taken = new Set(this.used.values());
    for (let offset = 2; offset < size - 1; offset++) {
      const n = start + offset;
      const ip = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
      if (taken.has(ip)) continue;
      this.used.set(pod.uid, ip);
      return { ip };
    }
    return { error: `failed to allocate for range 0: no IP addresses available in range set: ${this.cidr.join('/')}` };
  }

  tearDown(pod: PodRef, _sandbox: Sandbox): void {
    this.used.delete(pod.uid);
  }

  onReadyChange(listener: () => void): void {
    this.listeners.push(listener);
    if (this.ready) listener();
  }
}
