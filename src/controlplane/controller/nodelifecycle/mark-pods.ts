import type { Process } from '../../../sim/simulation.js';
import type { ControllerContext } from '../context.js';
import type { EventRecorder } from './event-recorder.js';
import type { PodObject } from './types.js';

/**
 * MarkPodsNotReady (pkg/controller/util/node/controller_utils.go): when a node stops being
 * Ready, its kubelet can no longer vouch for its pods, so the node controller flips each pod's
 * Ready condition to False itself (a pod status update). Endpoint controllers then take the pods
 * out of Services, long before any pod is evicted. Returns false if any write failed, so the
 * caller retries on its next pass.
 */
export function* markPodsNotReady(ctx: ControllerContext, events: EventRecorder, pods: readonly PodObject[], nodeName: string): Process<boolean> {
  let ok = true;
  for (const pod of pods) {
    if (pod.spec.nodeName !== nodeName) continue;
    const conditions = pod.status?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    // Only pods that report a Ready condition are touched, and only if it is not already False.
    if (!ready || ready.status === 'False') continue;
    const updated = conditions.map((c) => (c === ready ? { ...c, status: 'False' as const, lastTransitionTime: ctx.sim.clock.rfc3339() } : c));
    const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const res = yield* ctx.client.update(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { ...pod, status: { ...pod.status, conditions: updated } }, {
      why: `Node ${nodeName} is no longer Ready, so nobody on it can vouch for pod ${name}. The node lifecycle controller sets the pod's Ready condition to False (a pod status update), which takes it out of Service endpoints now; eviction is a separate, later step.`,
      stage: 'synchronization',
    });
    // NotFound: the pod is already gone, nothing left to do for it.
    if (res.status === 404) continue;
    if (res.status !== 200) {
      ok = false;
      continue;
    }
    events.event({ kind: 'Pod', name: pod.metadata.name ?? '', namespace: pod.metadata.namespace, uid: pod.metadata.uid }, 'Warning', 'NodeNotReady', 'Node is not ready',
      `The node lifecycle controller records on pod ${name} that it was marked not ready because its node is not ready.`);
  }
  return ok;
}
