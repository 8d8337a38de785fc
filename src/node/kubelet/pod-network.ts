import type { Sandbox } from './container-runtime.js';

/**
 * What the kubelet needs from pod networking: the CRI runtime calls the node's CNI plugin when a
 * sandbox is created (ADD) and removed (DEL). The plugin records its own steps.
 */
export interface PodNetwork {
  /** True once a CNI config exists in /etc/cni/net.d (the runtime reports NetworkReady). */
  readonly ready: boolean;
  /** The node's pod CIDR became known (from spec.podCIDR). */
  setPodCIDR(cidr: string): void;
  /** CNI ADD for a new sandbox; returns the pod's IP, or an error message. */
  setUp(pod: PodRef, sandbox: Sandbox): { ip: string } | { error: string };
  /** CNI DEL when the sandbox goes away. */
  tearDown(pod: PodRef, sandbox: Sandbox): void;
  /** Called when the kubelet registers; lets the plugin start (a DaemonSet pod would). */
  onReadyChange(listener: () => void): void;
}

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}
