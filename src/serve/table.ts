import type { KubeObject } from '../api/meta.js';

/**
 * Server-side printing: what kube-apiserver answers to `Accept: application/json;as=Table;
 * g=meta.k8s.io;v=v1` (pkg/printers/internalversion/printers.go). kubectl get prints these
 * cells as they come; ages are computed here, from the cluster's (virtual) now.
 */
type Obj = Record<string, any>;
interface Column { name: string; type: string; format?: string; description: string; priority: number }
type Printer = { columns: Column[]; cells: (o: Obj, age: (ts?: string) => string) => unknown[] };

const col = (name: string, type = 'string', priority = 0, format?: string): Column => ({ name, type, ...(format ? { format } : {}), description: `${name} of the object`, priority });
const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (d < 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

const none = (v: unknown): unknown => (v === undefined || v === null || v === '' ? '<none>' : v);

function nodeStatus(o: Obj): string {
  const ready = (o.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  const parts = [!ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown'];
  if (o.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: Obj): string {
  const roles = Object.keys(o.metadata?.labels ?? {}).flatMap((k) => (k.startsWith('node-role.kubernetes.io/') ? [k.slice(24)] : k === 'kubernetes.io/role' ? [o.metadata.labels[k]] : []));
  return roles.filter(Boolean).sort().join(',') || '<none>';
}

function address(o: Obj, type: string): string {
  return (o.status?.addresses ?? []).find((a: Obj) => a.type === type)?.address ?? '<none>';
}

function podStatus(o: Obj): { ready: string; status: string; restarts: number } {
  const statuses: Obj[] = o.status?.containerStatuses ?? [];
  const total = (o.spec?.containers ?? []).length;
  let reason: string = o.status?.reason || o.status?.phase || '';
  let ready = 0;
  let restarts = 0;
  let hasRunning = false;
  // printPod walks the container statuses from the last one back.
  for (const cs of [...statuses].reverse()) {
    restarts += cs.restartCount ?? 0;
    const state = cs.state ?? {};
    if (state.waiting?.reason) reason = state.waiting.reason;
    else if (state.terminated?.reason) reason = state.terminated.reason;
    else if (state.terminated) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode ?? 0}`;
    else if (cs.ready && state.running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = (o.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  if (o.metadata?.deletionTimestamp) reason = o.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready: `${ready}/${total}`, status: reason, restarts };
}

function csrCondition(o: Obj): string {
  const conds: string[] = (o.status?.conditions ?? []).map((c: Obj) => (c.status === 'False' ? '' : c.type)).filter(Boolean);
  if (o.status?.certificate) conds.push('Issued');
  return conds.length ? conds.join(',') : 'Pending';
}

function sliceEndpoints(o: Obj): string {
  const addrs: string[] = (o.endpoints ?? []).flatMap((e: Obj) => e.addresses ?? []);
  if (addrs.length === 0) return '<unset>';
  return addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
}

function slicePorts(o: Obj): string {
  const ports: Obj[] = o.ports ?? [];
  if (ports.length === 0) return '<unset>';
  return ports.map((p) => String(p.port ?? '')).join(',');
}

function servicePorts(o: Obj): string {
  const ports: Obj[] = o.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function endpointsText(o: Obj): string {
  const out: string[] = [];
  for (const subset of o.subsets ?? []) for (const a of subset.addresses ?? []) for (const p of subset.ports?.length ? subset.ports : [{}]) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

function selectorText(sel: Obj | undefined): string {
  const labels = sel?.matchLabels ?? sel;
  if (!labels || typeof labels !== 'object') return '<none>';
  const parts = Object.entries(labels).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${v}`);
  return parts.join(',') || '<none>';
}

const subjects = (o: Obj, kind: string): string => (o.subjects ?? []).filter((s: Obj) => s.kind === kind).map((s: Obj) => (kind === 'ServiceAccount' ? `${s.namespace}/${s.name}` : s.name)).join(', ');

const PRINTERS: Record<string, Printer> = {
  nodes: {
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    cells: (o, age) => {
      const ni = o.status?.nodeInfo ?? {};
      return [o.metadata.name, nodeStatus(o), nodeRoles(o), age(o.metadata.creationTimestamp), ni.kubeletVersion ?? '', address(o, 'InternalIP'), address(o, 'ExternalIP'), none(ni.osImage), none(ni.kernelVersion), none(ni.containerRuntimeVersion)];
    },
  },
  pods: {
    columns: [NAME, col('Ready'), col('Status'), col('Restarts', 'string'), AGE, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    cells: (o, age) => {
      const s = podStatus(o);
      return [o.metadata.name, s.ready, s.status, String(s.restarts), age(o.metadata.creationTimestamp), none(o.status?.podIP), none(o.spec?.nodeName), none(o.status?.nominatedNodeName), '<none>'];
    },
  },
  leases: { columns: [NAME, col('Holder'), AGE], cells: (o, age) => [o.metadata.name, o.spec?.holderIdentity ?? '', age(o.metadata.creationTimestamp)] },
  certificatesigningrequests: {
    columns: [NAME, AGE, col('SignerName'), col('Requestor'), col('RequestedDuration'), col('Condition')],
    cells: (o, age) => [o.metadata.name, age(o.metadata.creationTimestamp), o.spec?.signerName ?? '', o.spec?.username ?? '', o.spec?.expirationSeconds ? humanDuration(o.spec.expirationSeconds * 1000) : '<none>', csrCondition(o)],
  },
  endpointslices: {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: (o, age) => [o.metadata.name, o.addressType ?? '', slicePorts(o), sliceEndpoints(o), age(o.metadata.creationTimestamp)],
  },
  endpoints: { columns: [NAME, col('Endpoints'), AGE], cells: (o, age) => [o.metadata.name, endpointsText(o), age(o.metadata.creationTimestamp)] },
  services: {
    columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), AGE, col('Selector', 'string', 1)],
    cells: (o, age) => [o.metadata.name, o.spec?.type ?? 'ClusterIP', none(o.spec?.clusterIP), (o.spec?.externalIPs ?? []).join(',') || '<none>', servicePorts(o), age(o.metadata.creationTimestamp), selectorText(o.spec?.selector)],
  },
  namespaces: { columns: [NAME, col('Status'), AGE], cells: (o, age) => [o.metadata.name, o.status?.phase ?? 'Active', age(o.metadata.creationTimestamp)] },
  deployments: {
    columns: [NAME, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, age) => {
      const c: Obj[] = o.spec?.template?.spec?.containers ?? [];
      return [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0, age(o.metadata.creationTimestamp), c.map((x) => x.name).join(','), c.map((x) => x.image).join(','), selectorText(o.spec?.selector)];
    },
  },
  replicasets: {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE],
    cells: (o, age) => [o.metadata.name, o.spec?.replicas ?? 1, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, age(o.metadata.creationTimestamp)],
  },
  daemonsets: {
    columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), AGE],
    cells: (o, age) => {
      const s = o.status ?? {};
      return [o.metadata.name, s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0, selectorText(o.spec?.template?.spec?.nodeSelector), age(o.metadata.creationTimestamp)];
    },
  },
  secrets: { columns: [NAME, col('Type'), col('Data', 'integer'), AGE], cells: (o, age) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o.metadata.creationTimestamp)] },
  configmaps: { columns: [NAME, col('Data', 'integer'), AGE], cells: (o, age) => [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o.metadata.creationTimestamp)] },
  serviceaccounts: { columns: [NAME, col('Secrets', 'integer'), AGE], cells: (o, age) => [o.metadata.name, (o.secrets ?? []).length, age(o.metadata.creationTimestamp)] },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
    cells: (o, age) => [age(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp), o.type ?? '', o.reason ?? '', `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`, o.message ?? ''],
  },
  clusterroles: { columns: [NAME, col('Created At', 'date')], cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''] },
  roles: { columns: [NAME, col('Created At', 'date')], cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''] },
  clusterrolebindings: {
    columns: [NAME, col('Role'), AGE, col('Users', 'string', 1), col('Groups', 'string', 1), col('ServiceAccounts', 'string', 1)],
    cells: (o, age) => [o.metadata.name, `${o.roleRef?.kind}/${o.roleRef?.name}`, age(o.metadata.creationTimestamp), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')],
  },
  rolebindings: {
    columns: [NAME, col('Role'), AGE, col('Users', 'string', 1), col('Groups', 'string', 1), col('ServiceAccounts', 'string', 1)],
    cells: (o, age) => [o.metadata.name, `${o.roleRef?.kind}/${o.roleRef?.name}`, age(o.metadata.creationTimestamp), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')],
  },
};

/** The default table convertor for resources without a printer: Name and Created At. */
const DEFAULT: Printer = { columns: [NAME, col('Created At', 'date')], cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''] };

export interface TableOptions {
  /** `includeObject=None|Metadata|Object`; a Table's default is Metadata. */
  readonly includeObject?: string;
  /** Virtual now, as epoch ms, for the Age columns. */
  readonly nowEpochMs: number;
  /** Omit column definitions (watch events after the first, as the server sends them). */
  readonly noHeaders?: boolean;
}

function rowObject(o: KubeObject, include: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** metav1.Table for a list of objects of `resource`. */
export function toTable(resource: string, objects: readonly KubeObject[], resourceVersion: string | undefined, options: TableOptions): object {
  const printer = PRINTERS[resource] ?? DEFAULT;
  const age = (ts?: string): string => (ts ? humanDuration(options.nowEpochMs - Date.parse(ts)) : '<unknown>');
  const include = options.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: resourceVersion ? { resourceVersion } : {},
    columnDefinitions: options.noHeaders ? [] : printer.columns,
    rows: objects.map((o) => {
      const object = rowObject(o, include);
      return { cells: printer.cells(o as Obj, age), ...(object ? { object } : {}) };
    }),
  };
}

/** True when the Accept header asks for a Table (kubectl get's server-side printing). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',').find((part) => part.includes('as=Table'));
  return first !== undefined && /g=meta\.k8s\.io/.test(first) && /v=v1(beta1)?\b/.test(first);
}
