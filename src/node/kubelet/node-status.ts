import { RUNTIME_VERSION } from './container-runtime.js';
import type { KubeletContext } from './context.js';
import { jsonEqual } from '../../api/strategic-merge-patch.js';

/**
 * The Node object the kubelet registers (initialNode in pkg/kubelet/kubelet_node_status.go) and
 * the status it keeps current (the setters in pkg/kubelet/nodestatus/setters.go).
 */
type Obj = Record<string, any>;

const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024; // memory.available<100Mi
const EPHEMERAL_STORAGE_KI = 61_255_492;

export interface NodeState {
  /** True once the CNI config exists: the runtime reports NetworkReady. */
  networkReady: boolean;
  /** Images present on the machine, newest first. */
  images: string[];
}

function ki(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}

function cpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function kubeletVersion(ctx: KubeletContext): string {
  return `v${ctx.config.kubernetesVersion}.0`;
}

export function initialNode(ctx: KubeletContext, state: NodeState): Obj {
  const name = ctx.host.name;
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...ctx.options.labels,
  };
  const taints = ctx.options.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: taints.length ? { taints } : {},
    status: nodeStatus(ctx, state),
  };
}

export function nodeStatus(ctx: KubeletContext, state: NodeState): Obj {
  const { capacity } = ctx.host;
  const now = ctx.sim.clock.rfc3339();
  const condition = (type: string, status: string, reason: string, message: string): Obj => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  const ready = state.networkReady
    ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
    : condition(
        'Ready',
        'False',
        'KubeletNotReady',
        'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
      );
  return {
    capacity: {
      cpu: cpu(capacity.cpuMilli),
      'ephemeral-storage': `${EPHEMERAL_STORAGE_KI}Ki`,
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: ki(capacity.memoryBytes),
      pods: String(capacity.pods),
    },
    allocatable: {
      cpu: cpu(capacity.cpuMilli),
      'ephemeral-storage': String(Math.floor(EPHEMERAL_STORAGE_KI * 1024 * 0.9)),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: ki(capacity.memoryBytes - EVICTION_MEMORY_BYTES),
      pods: String(capacity.pods),
    },
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready,
    ],
    addresses: [
      { type: 'InternalIP', address: ctx.host.address },
      { type: 'Hostname', address: ctx.host.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: nodeInfo(ctx),
    images: state.images.map((image) => ({ names: [image], sizeBytes: 0 })),
  };
}

function nodeInfo(ctx: KubeletContext): Obj {
  const id = (label: string): string => {
    const p = ctx.sim.prng.fork(`machine-id/${ctx.host.name}/${label}`);
    return Array.from(p.bytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
  };
  return {
    machineID: id('machine'),
    systemUUID: id('uuid').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    bootID: id(`boot-${ctx.host.bootCount}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    kernelVersion: '6.1.0-28-amd64',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    containerRuntimeVersion: RUNTIME_VERSION,
    kubeletVersion: kubeletVersion(ctx),
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: 'amd64',
  };
}

/**
 * setNodeStatus applied to the Node as the API server has it: the kubelet's setters overwrite
 * the fields they own and update its conditions in place (a condition keeps its
 * lastTransitionTime while its status stays the same); conditions set by others, such as
 * NetworkUnavailable from the network plugin, stay as they are.
 */
export function applyNodeStatus(original: Obj | undefined, computed: Obj): Obj {
  if (!original) return computed;
  const conditions: Obj[] = [...(original.conditions ?? [])];
  for (const c of computed.conditions as Obj[]) {
    const index = conditions.findIndex((o) => o.type === c.type);
    if (index < 0) conditions.push(c);
    else {
      const old = conditions[index];
      conditions[index] = old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
    }
  }
  return { ...original, ...computed, conditions };
}

/**
 * nodeStatusHasChanged (kubelet_node_status.go): whether the status differs from the one the
 * API server has in anything but the conditions' lastHeartbeatTime. Conditions are compared
 * sorted by type.
 */
export function nodeStatusHasChanged(original: Obj | undefined, status: Obj): boolean {
  if (!original) return true;
  const conditions = (s: Obj): Obj[] =>
    [...(s.conditions ?? [])]
      .sort((a: Obj, b: Obj) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
      .map(({ lastHeartbeatTime: _heartbeat, ...c }: Obj) => c);
  if (!jsonEqual(conditions(original), conditions(status))) return true;
  const { conditions: _a, ...restOriginal } = original;
  const { conditions: _b, ...rest } = status;
  return !jsonEqual(restOriginal, rest);
}
