import { Actor } from '../sim/simulation.js';
import type { KeyPair } from '../pki/index.js';

/**
 * One worker machine: what survives a kubelet restart (files on disk, running containers) and
 * what a crash takes with it. Node agents run on it as their own actors, so stopping the kubelet
 * leaves the machine and its containers running, while crashing the machine stops everything.
 */
export interface NodeDisk {
  /** `/var/lib/kubelet/pki/kubelet-client-current.pem` once the TLS bootstrap finished. */
  clientCertificatePem?: string;
  clientKey?: KeyPair;
  /** `kubelet-client.key.tmp`: the key a bootstrap in progress reuses after a restart. */
  bootstrapKey?: KeyPair;
  /** Files the transcript can show (`/etc/kubernetes/kubelet.conf`, conflists, ...). */
  files: Map<string, string>;
}

export interface Capacity {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

export class NodeHost {
  /** The machine itself; stopping it is a crash. */
  machine: Actor;
  disk: NodeDisk = { files: new Map() };
  bootCount = 0;

  constructor(
    readonly name: string,
    readonly address: string,
    readonly capacity: Capacity,
  ) {
    this.machine = new Actor(`machine/${name}`);
  }

  /** A fresh actor for an agent on this machine (`kubelet/worker-1`). */
  agentActor(agent: string): Actor {
    return new Actor(`${agent}/${this.name}`);
  }
}
