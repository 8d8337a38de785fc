import type { KubeObject } from '../../../api/meta.js';
import { nodeIdentity } from '../authorization/attributes.js';
import type { ObjectLookup } from '../authorization/types.js';
import { admitNode } from './node-restriction-node.js';
import { admitPod, admitPodEviction, admitPodStatus } from './node-restriction-pod.js';
import { differingPaths } from './semantic-equal.js';
import type { AdmissionPlugin, AdmissionRequest, AdmissionResult } from './types.js';

/**
 * The NodeRestriction admission plugin (plugin/pkg/admission/noderestriction/admission.go). The
 * Node authorizer lets every node write Nodes, pods/status, leases and mirror pods in general;
 * this plugin, which sees the objects, narrows each write to the node's own. It only acts on
 * `system:node:<name>` users in `system:nodes`; CSRs are left to RBAC and the CSR controllers.
 */
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const deny = (message: string): AdmissionResult => ({ allowed: false, message });
const ok = (note: string): AdmissionResult => ({ allowed: true, note });

function admitOwnNamed(nodeName: string, req: AdmissionRequest, what: 'node lease' | 'CSINode'): AdmissionResult {
  if (what === 'node lease' && req.namespace !== NODE_LEASE_NAMESPACE) {
    return deny(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
  }
  // On create the request has no name yet, so the proposed object's name is checked.
  const name = req.operation === 'CREATE' ? req.object?.metadata.name : req.name;
  if (name !== nodeName) return deny(`can only access ${what} with the same name as the requesting node`);
  return ok(`NodeRestriction: node "${nodeName}" may ${req.operation.toLowerCase()} its own ${what === 'node lease' ? 'Lease' : 'CSINode'}`);
}

/** TokenRequests from a node must be bound to a pod scheduled on that node. */
function admitServiceAccount(nodeName: string, req: AdmissionRequest, lookup: ObjectLookup): AdmissionResult {
  if (req.operation !== 'CREATE' || req.subresource !== 'token') return { allowed: true };
  const ref = (req.object?.spec as { boundObjectRef?: { apiVersion?: string; kind?: string; name?: string; uid?: string } } | undefined)
    ?.boundObjectRef;
  if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) return deny('node requested token not bound to a pod');
  if (!ref.uid) return deny('node requested token with a pod binding without a uid');
  const pod = lookup.get('pods', req.namespace, ref.name);
  if (!pod) return deny(`pods "${ref.name}" not found`);
  if (ref.uid !== pod.metadata.uid) {
    return deny(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  if ((pod.spec as { nodeName?: string } | undefined)?.nodeName !== nodeName) {
    return deny('node requested token bound to a pod scheduled on a different node');
  }
  return ok(`NodeRestriction: token bound to pod ${req.namespace}/${ref.name} on node "${nodeName}"`);
}

/** A node may only report PVC capacity and conditions (and, with volume-expansion recovery, allocations). */
function admitPVCStatus(nodeName: string, req: AdmissionRequest): AdmissionResult {
  if (req.operation !== 'UPDATE') return deny(`unexpected operation "${req.operation}"`);
  const strip = (pvc: KubeObject | undefined) => {
    if (!pvc) return undefined;
    const metadata = { ...pvc.metadata, resourceVersion: undefined, managedFields: undefined };
    const status = { ...((pvc.status as object | undefined) ?? {}) } as Record<string, unknown>;
    for (const field of ['capacity', 'conditions', 'allocatedResourceStatuses', 'allocatedResources']) delete status[field];
    return { ...pvc, metadata, status };
  };
  const diff = differingPaths(strip(req.oldObject), strip(req.object));
  if (diff.length > 0) {
    return deny(`node "${nodeName}" is not allowed to update fields other than status.capacity and status.conditions: ${diff.join(', ')}`);
  }
  return ok(`NodeRestriction: node "${nodeName}" may update PVC status`);
}

function admitForNode(nodeName: string, req: AdmissionRequest, lookup: ObjectLookup): AdmissionResult {
  switch (req.resource) {
    case 'pods':
      switch (req.subresource ?? '') {
        case '':
          return admitPod(nodeName, req, lookup);
        case 'status':
          return admitPodStatus(nodeName, req);
        case 'eviction':
          return admitPodEviction(nodeName, req, lookup);
        default:
          return deny(`unexpected pod subresource "${req.subresource}", only 'status' and 'eviction' are allowed`);
      }
    case 'nodes':
      return admitNode(nodeName, req);
    case 'persistentvolumeclaims':
      return req.subresource === 'status' ? admitPVCStatus(nodeName, req) : deny('may only update PVC status');
    case 'serviceaccounts':
      return admitServiceAccount(nodeName, req, lookup);
    case 'leases':
      return admitOwnNamed(nodeName, req, 'node lease');
    case 'csinodes':
      return admitOwnNamed(nodeName, req, 'CSINode');
    default:
      return { allowed: true };
  }
}

/** NodeRestriction over the objects `lookup` sees (pods and nodes, for owner and binding checks). */
export function nodeRestriction(lookup: ObjectLookup): AdmissionPlugin {
  return {
    name: 'NodeRestriction',
    admit(req: AdmissionRequest): AdmissionResult {
      const id = nodeIdentity(req.user);
      if (!id.isNode) return { allowed: true };
      if (!id.nodeName) return deny(`could not determine node from user "${req.user.name}"`);
      return admitForNode(id.nodeName, req, lookup);
    },
  };
}
