/** The environment the runtime builds for each plugin call, and small shared helpers. */
import type { CniError } from './ipam-types.js';
import { sandboxNetnsPath } from './names.js';
import type { CniEnv, CniInvocation, CniPodRequest, IpamState } from './plugin-types.js';
import { CNI_BIN_DIR, type CniBackend, type CniPluginName } from './types.js';

/**
 * CNI_ARGS as containerd's CRI plugin sets it for a pod sandbox: `IgnoreUnknown=1` so plugins
 * that do not know the K8S_* keys accept them anyway.
 */
export function cniArgs(req: Pick<CniPodRequest, 'podNamespace' | 'podName' | 'containerId' | 'podUid'>): string {
  const parts = [
    'IgnoreUnknown=1',
    `K8S_POD_NAMESPACE=${req.podNamespace}`,
    `K8S_POD_NAME=${req.podName}`,
    `K8S_POD_INFRA_CONTAINER_ID=${req.containerId}`,
  ];
  if (req.podUid) parts.push(`K8S_POD_UID=${req.podUid}`);
  return parts.join(';');
}

export function cniEnv(command: CniEnv['CNI_COMMAND'], req: CniPodRequest): CniEnv {
  return {
    CNI_COMMAND: command,
    CNI_CONTAINERID: req.containerId,
    CNI_NETNS: req.netns ?? sandboxNetnsPath(req.containerId),
    CNI_IFNAME: req.ifName ?? 'eth0',
    CNI_ARGS: cniArgs(req),
    CNI_PATH: CNI_BIN_DIR,
  };
}

export function invocation(type: string, calledBy: string, env: CniEnv, stdin: Record<string, unknown>): CniInvocation {
  return { binary: `${CNI_BIN_DIR}/${type}`, calledBy, env, stdin };
}

/** MTU of pod interfaces: the uplink's 1500 minus the backend's encapsulation overhead. */
export function podMtu(plugin: CniPluginName, backend: CniBackend): number {
  if (plugin === 'weave') return 1376;
  if (backend === 'vxlan') return 1450;
  if (backend === 'ipip') return 1480;
  return 1500;
}

export function expectIpam<K extends IpamState['kind']>(ipam: IpamState, kind: K): Extract<IpamState, { kind: K }> {
  if (ipam.kind !== kind) throw new Error(`this plugin needs ${kind} IPAM state, got ${ipam.kind}`);
  return ipam as Extract<IpamState, { kind: K }>;
}

export function withVersion(cniVersion: string, error: CniError): CniError & { cniVersion: string } {
  return { cniVersion, ...error };
}
