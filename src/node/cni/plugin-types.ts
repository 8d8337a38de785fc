/** The shapes of a CNI call and its effects, following containernetworking/cni SPEC.md. */
import type { CalicoIpamState } from './ipam-calico.js';
import type { HostLocalState } from './ipam-host-local.js';
import type { CniError } from './ipam-types.js';
import type { WeaveIpamState } from './ipam-weave.js';
import type { CniBackend, CniNode, CniPluginName } from './types.js';

/** The IPAM state the plugin family uses, carried through every call. */
export type IpamState =
  | { readonly kind: 'host-local'; readonly state: HostLocalState }
  | { readonly kind: 'calico'; readonly state: CalicoIpamState }
  | { readonly kind: 'weave'; readonly state: WeaveIpamState };

/** The parameters the runtime passes in the environment (SPEC "Parameters"). */
export interface CniEnv {
  readonly CNI_COMMAND: 'ADD' | 'DEL' | 'CHECK' | 'VERSION';
  readonly CNI_CONTAINERID: string;
  readonly CNI_NETNS: string;
  readonly CNI_IFNAME: string;
  readonly CNI_ARGS: string;
  readonly CNI_PATH: string;
}

export interface CniInterface {
  readonly name: string;
  readonly mac?: string;
  readonly sandbox?: string;
}

export interface CniIpConfig {
  /** Only in 0.3.x results. */
  readonly version?: '4';
  readonly address: string;
  readonly gateway?: string;
  /** Index into `interfaces`. */
  readonly interface?: number;
}

/** The success result a plugin prints on stdout (SPEC "Success"). */
export interface CniResult {
  readonly cniVersion: string;
  readonly interfaces?: readonly CniInterface[];
  readonly ips: readonly CniIpConfig[];
  readonly routes?: readonly { readonly dst: string; readonly gw?: string }[];
  readonly dns: Readonly<Record<string, unknown>>;
}

/** One plugin binary execution: by the runtime, or delegated by another plugin. */
export interface CniInvocation {
  readonly binary: string;
  /** Which plugin ran it: "runtime" for containerd itself. */
  readonly calledBy: string;
  readonly env: CniEnv;
  readonly stdin: Readonly<Record<string, unknown>>;
}

/** A network device on the host (`ip -d link` / `ip addr` material). */
export interface HostDevice {
  readonly name: string;
  readonly kind: 'bridge' | 'veth';
  readonly mac: string;
  readonly mtu: number;
  /** The bridge a veth is enslaved to. */
  readonly master?: string;
  /** The veth's other end, inside the pod. */
  readonly peer?: { readonly ifName: string; readonly netns: string };
  readonly addresses?: readonly string[];
}

export interface CniPodRequest {
  readonly plugin: CniPluginName;
  readonly backend: CniBackend;
  readonly node: CniNode;
  readonly containerId: string;
  /** Defaults to containerd's `/var/run/netns/cni-<uuid>`. */
  readonly netns?: string;
  /** Defaults to eth0. */
  readonly ifName?: string;
  readonly podNamespace: string;
  readonly podName: string;
  /** Added to CNI_ARGS as K8S_POD_UID when given. */
  readonly podUid?: string;
  /** The plugin family's IPAM state; the outcome carries the new one. */
  readonly ipam: IpamState;
  /** Names of devices already on the host (cni0 exists after the node's first pod). */
  readonly hostDevices?: readonly string[];
  /** flannel's FLANNEL_NETWORK (routes in the pod); 10.244.0.0/16 by default. */
  readonly clusterCIDR?: string;
}

export interface CniAddOutcome {
  readonly ok: boolean;
  /** What the runtime reads on stdout when ok. */
  readonly result?: CniResult;
  /** The error result when not ok. */
  readonly error?: CniError & { readonly cniVersion: string };
  /** The runtime's call (the first invocation's environment). */
  readonly env: CniEnv;
  readonly invocations: readonly CniInvocation[];
  readonly hostDevicesCreated: readonly HostDevice[];
  /** `ip route` lines the plugin added on the host. */
  readonly hostRoutesAdded: readonly string[];
  /** The pod's side: its interface and `ip route` inside the namespace. */
  readonly container: { readonly ifName: string; readonly address?: string; readonly mac: string; readonly mtu: number; readonly routes: readonly string[] };
  readonly ipam: IpamState;
}

export interface CniDelOutcome {
  readonly env: CniEnv;
  readonly invocations: readonly CniInvocation[];
  /** DEL prints nothing on success. */
  readonly stdout: '';
  readonly releasedIPs: readonly string[];
  readonly hostDevicesRemoved: readonly string[];
  readonly hostRoutesRemoved: readonly string[];
  readonly ipam: IpamState;
}
