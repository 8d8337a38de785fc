import type { KubeObject, UserInfo } from '../../api/meta.js';
import type { ResourceInfo } from './resources.js';

/**
 * Per-resource create and update rules (the RESTCreateStrategy/RESTUpdateStrategy of
 * pkg/registry/*): defaults the API server fills in, and fields a write may not change.
 * Functions return new objects; inputs are never mutated.
 */
export interface StrategyContext {
  readonly user: UserInfo;
  readonly now: string;
}

type Obj = Record<string, any>;

const asObject = (value: Obj): KubeObject => value as KubeObject;

function imagePullPolicy(image: string): string {
  const name = image.split('@')[0];
  const tag = name.includes(':') && !name.endsWith(']') ? name.slice(name.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' || tag.includes('/') ? 'Always' : 'IfNotPresent';
}

function qosClass(containers: Obj[]): string {
  let anyRequest = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) anyRequest = true;
    if (!lim.cpu || !lim.memory || (req.cpu && req.cpu !== lim.cpu) || (req.memory && req.memory !== lim.memory)) {
      guaranteed = false;
    }
  }
  if (!anyRequest) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Pod defaults from pkg/apis/core/v1/defaults.go plus the status the registry starts with. */
function defaultPod(pod: Obj): Obj {
  const spec = pod.spec ?? {};
  const containers = (spec.containers ?? []).map((c: Obj) => ({
    ...c,
    imagePullPolicy: c.imagePullPolicy ?? imagePullPolicy(String(c.image ?? '')),
    terminationMessagePath: c.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
    resources: c.resources ?? {},
    ports: c.ports?.map((p: Obj) => ({ ...p, protocol: p.protocol ?? 'TCP' })),
  }));
  for (const c of containers) if (c.ports === undefined) delete c.ports;
  return {
    ...pod,
    spec: {
      ...spec,
      containers,
      restartPolicy: spec.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
      dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
      serviceAccountName: spec.serviceAccountName ?? 'default',
      securityContext: spec.securityContext ?? {},
      schedulerName: spec.schedulerName ?? 'default-scheduler',
      enableServiceLinks: spec.enableServiceLinks ?? true,
      priority: spec.priority ?? 0,
      preemptionPolicy: spec.preemptionPolicy ?? 'PreemptLowerPriority',
    },
    status: { phase: 'Pending', qosClass: qosClass(containers) },
  };
}

function defaultService(svc: Obj): Obj {
  const spec = svc.spec ?? {};
  return {
    ...svc,
    spec: {
      ...spec,
      type: spec.type ?? 'ClusterIP',
      sessionAffinity: spec.sessionAffinity ?? 'None',
      ipFamilies: spec.ipFamilies ?? ['IPv4'],
      ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
      internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
      ports: (spec.ports ?? []).map((p: Obj) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
    },
    status: { loadBalancer: {} },
  };
}

function defaultWorkload(obj: Obj, kind: string): Obj {
  const spec = obj.spec ?? {};
  const extra =
    kind === 'Deployment'
      ? {
          strategy: spec.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
          revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
          progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
        }
      : {};
  // The registry resets status on create. ReplicaSetStatus.replicas has no omitempty (Go writes
  // "replicas": 0); every DeploymentStatus field has it, so a new Deployment's status is {}.
  return { ...obj, spec: { ...spec, replicas: spec.replicas ?? 1, ...extra }, status: kind === 'ReplicaSet' ? { replicas: 0 } : {} };
}

/**
 * DaemonSet defaults (pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet): RollingUpdate with
 * maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10; the status starts with the four
 * counts Go always serializes (they have no omitempty).
 */
function defaultDaemonSet(obj: Obj): Obj {
  const spec = obj.spec ?? {};
  const strategy = spec.updateStrategy ?? {};
  const type = strategy.type ?? 'RollingUpdate';
  const updateStrategy = type === 'RollingUpdate' ? { type, rollingUpdate: { maxUnavailable: 1, maxSurge: 0, ...strategy.rollingUpdate } } : { ...strategy, type };
  // templateGeneration starts at 1 and is carried in apps/v1 as an annotation (pkg/registry/apps/daemonset).
  const annotations = { 'deprecated.daemonset.template.generation': '1', ...obj.metadata?.annotations };
  return {
    ...obj,
    metadata: { ...obj.metadata, annotations },
    spec: { ...spec, updateStrategy, revisionHistoryLimit: spec.revisionHistoryLimit ?? 10 },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  };
}

/** Fills in what the API server fills on create, by kind. */
export function prepareForCreate(info: ResourceInfo, obj: KubeObject, ctx: StrategyContext): KubeObject {
  switch (info.kind) {
    case 'Pod':
      return defaultPod(obj) as KubeObject;
    case 'Service':
      return defaultService(obj) as KubeObject;
    case 'Deployment':
    case 'ReplicaSet':
      return defaultWorkload(obj, info.kind) as KubeObject;
    case 'DaemonSet':
      return defaultDaemonSet(obj) as KubeObject;
    case 'CertificateSigningRequest': {
      // The registry records who asked, whatever the body claims (pkg/registry/certificates).
      const spec = (obj as Obj).spec ?? {};
      const user = ctx.user;
      return {
        ...obj,
        spec: { ...spec, username: user.name, uid: user.uid, groups: [...user.groups], ...(user.extra ? { extra: user.extra } : {}) },
        status: {},
      } as KubeObject;
    }
    case 'Namespace':
      return { ...obj, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    case 'Node':
      return { ...obj, status: (obj as Obj).status ?? {} } as KubeObject;
    default:
      return obj;
  }
}

/**
 * Which part of the object a write may change: the main resource keeps the old status, the
 * `status` subresource keeps everything but status, `approval` only touches conditions.
 */
export function mergeForSubresource(
  info: ResourceInfo,
  subresource: string | undefined,
  oldObj: KubeObject,
  newObj: KubeObject,
): KubeObject {
  const o = oldObj as Obj;
  const n = newObj as Obj;
  if (subresource === 'binding') return newObj;
  // Status strategies keep the old spec and labels; annotations written with the status stay
  // (deploymentStatusStrategy, nodeStatusStrategy, podStatusStrategy).
  if (subresource === 'status') return asObject({ ...o, metadata: { ...o.metadata, ...pickMeta(n.metadata) }, status: n.status });
  if (subresource === 'approval') {
    return asObject({ ...o, status: { ...(o.status ?? {}), conditions: n.status?.conditions ?? [] } });
  }
  if (info.hasStatus) return asObject({ ...n, status: o.status });
  return newObj;
}

function pickMeta(meta: Obj): Obj {
  return { resourceVersion: meta.resourceVersion, ...(meta.annotations ? { annotations: meta.annotations } : {}) };
}

/** Field errors for an update (immutable fields), as `{field, message}` causes of a 422. */
export function validateUpdate(info: ResourceInfo, oldObj: KubeObject, newObj: KubeObject): { field: string; message: string }[] {
  const o = oldObj as Obj;
  const n = newObj as Obj;
  const errors: { field: string; message: string }[] = [];
  if (info.kind === 'Node') {
    const oldCidr = o.spec?.podCIDR;
    if (oldCidr && n.spec?.podCIDR !== oldCidr) {
      errors.push({ field: 'spec.podCIDRs', message: 'Forbidden: node updates may not change podCIDR except from "" to valid' });
    }
  }
  if (info.kind === 'Pod') {
    const oldNode = o.spec?.nodeName;
    if (oldNode && n.spec?.nodeName !== oldNode) {
      errors.push({ field: 'spec', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, ...' });
    }
  }
  return errors;
}
