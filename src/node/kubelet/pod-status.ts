import type { KubeletContext } from './context.js';
import type { Sandbox } from './container-runtime.js';

type Obj = Record<string, any>;

/** The pod status the kubelet's status manager reports (pkg/kubelet/kubelet_pods.go generateAPIPodStatus). */
export function podStatus(ctx: KubeletContext, pod: Obj, sandbox: Sandbox, phase: 'pending' | 'running'): Obj {
  const now = ctx.sim.clock.rfc3339();
  const running = phase === 'running';
  const names = (pod.spec.containers as Obj[]).map((c) => c.name as string);
  const notReady = `containers with unready status: [${names.join(' ')}]`;
  const condition = (type: string, status: boolean, reason?: string, message?: string): Obj => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });
  // ContainerStatus in its Go field order; lastState is a struct, which omitempty never drops.
  const containerStatuses = (pod.spec.containers as Obj[]).map((c) => {
    const rc = sandbox.containers.find((x) => x.name === c.name);
    if (!running || !rc) {
      return { name: c.name, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: c.image, imageID: '', started: false };
    }
    return {
      name: c.name,
      state: { running: { startedAt: ctx.sim.clock.rfc3339(rc.startedAtMs) } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: rc.image,
      imageID: rc.imageID,
      containerID: `containerd://${rc.id}`,
      started: true,
    };
  });
  return {
    phase: running ? 'Running' : 'Pending',
    conditions: [
      condition('PodReadyToStartContainers', true),
      condition('Initialized', true),
      running ? condition('Ready', true) : condition('Ready', false, 'ContainersNotReady', notReady),
      running ? condition('ContainersReady', true) : condition('ContainersReady', false, 'ContainersNotReady', notReady),
    ],
    hostIP: ctx.host.address,
    hostIPs: [{ ip: ctx.host.address }],
    // podIP and podIPs are omitempty: left out until the sandbox has an address.
    ...(sandbox.ip ? { podIP: sandbox.ip, podIPs: [{ ip: sandbox.ip }] } : {}),
    startTime: pod.status?.startTime ?? ctx.sim.clock.rfc3339(sandbox.createdAtMs),
    containerStatuses,
  };
}

/** Pod condition types the kubelet owns (kubetypes.PodConditionByKubelet). */
const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

/**
 * mergePodStatus (status_manager.go): the API's status with the kubelet's fields over it. The
 * API's conditions the kubelet does not own come first and stay; the kubelet's conditions
 * follow, each keeping its lastTransitionTime while its status is unchanged.
 */
export function mergePodStatus(oldStatus: Obj, status: Obj): Obj {
  const oldConditions = (oldStatus.conditions ?? []) as Obj[];
  const conditions = [
    ...oldConditions.filter((c) => !KUBELET_CONDITIONS.has(c.type)),
    ...(status.conditions as Obj[]).map((c) => {
      const old = oldConditions.find((o) => o.type === c.type);
      return old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
    }),
  ];
  return { ...oldStatus, ...status, conditions };
}
