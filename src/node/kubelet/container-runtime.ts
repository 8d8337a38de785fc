import type { Prng } from '../../sim/prng.js';

/**
 * A stand-in for containerd behind the CRI: it keeps sandboxes and containers with the IDs and
 * states the kubelet reports. It belongs to the machine, so containers outlive a kubelet restart
 * and vanish in a crash.
 */
export interface RuntimeContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
  state: 'running' | 'exited';
  startedAtMs: number;
  finishedAtMs?: number;
  exitCode?: number;
}

export interface Sandbox {
  readonly id: string;
  readonly podUid: string;
  readonly podKey: string;
  readonly netns: string;
  /** When the sandbox was created: the pod's status.startTime. */
  readonly createdAtMs: number;
  ip?: string;
  /** A hostNetwork pod: it shares the node's network namespace and IP, and had no CNI ADD. */
  hostNetwork?: boolean;
  containers: RuntimeContainer[];
}

export const RUNTIME_VERSION = 'containerd://1.7.24';

export class ContainerRuntime {
  readonly sandboxes = new Map<string, Sandbox>();
  readonly images = new Set<string>();

  constructor(private readonly prng: Prng) {}

  hex(bytes: number): string {
    return Array.from(this.prng.bytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  runPodSandbox(podUid: string, podKey: string, nowMs: number): Sandbox {
    const id = this.hex(32);
    const sandbox: Sandbox = { id, podUid, podKey, netns: `/var/run/netns/cni-${this.uuid()}`, createdAtMs: nowMs, containers: [] };
    this.sandboxes.set(podUid, sandbox);
    return sandbox;
  }

  startContainer(sandbox: Sandbox, name: string, image: string, nowMs: number): RuntimeContainer {
    const container: RuntimeContainer = {
      id: this.hex(32),
      name,
      image: normaliseImage(image),
      imageID: `${normaliseImage(image).split(':')[0]}@sha256:${this.imageDigest(image)}`,
      state: 'running',
      startedAtMs: nowMs,
    };
    sandbox.containers.push(container);
    return container;
  }

  stopPod(podUid: string, nowMs: number): Sandbox | undefined {
    const sandbox = this.sandboxes.get(podUid);
    if (!sandbox) return undefined;
    for (const c of sandbox.containers) {
      c.state = 'exited';
      c.finishedAtMs = nowMs;
      c.exitCode = 0;
    }
    this.sandboxes.delete(podUid);
    return sandbox;
  }

  /** A crash: every container is gone at once. */
  wipe(): void {
    this.sandboxes.clear();
  }

  private uuid(): string {
    const h = this.hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** Image digests are a property of the image, not of the run: derived from its name. */
  private imageDigest(image: string): string {
    let out = '';
    let h = 0x811c9dc5;
    for (let round = 0; out.length < 64; round++) {
      for (const ch of `${image}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      out += h.toString(16).padStart(8, '0');
    }
    return out.slice(0, 64);
  }
}

/** `nginx:1.27` -> `docker.io/library/nginx:1.27`, as containerd reports image names. */
export function normaliseImage(image: string): string {
  let name = image;
  if (!/[:@]/.test(name.split('/').pop() ?? '')) name += ':latest';
  const first = name.split('/')[0];
  if (!name.includes('/')) return `docker.io/library/${name}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${name}`;
  return name;
}
