import type { KubeObject } from '../../../api/meta.js';
import { forbiddenLabels, modifiedLabels } from './kubelet-labels.js';
import { semanticEqual } from './semantic-equal.js';
import type { AdmissionRequest, AdmissionResult } from './types.js';

/**
 * NodeRestriction's admitNode (plugin/pkg/admission/noderestriction/admission.go): a node may
 * create, update and delete only its own Node; it may register with taints (that is how
 * `--register-with-taints` works) but never change them afterwards, may not touch ownerReferences
 * or set a configSource, and may only set the labels a kubelet is allowed to set.
 */
const deny = (message: string): AdmissionResult => ({ allowed: false, message });

interface NodeSpec {
  taints?: unknown[];
  configSource?: unknown;
}

const specOf = (node: KubeObject | undefined): NodeSpec => (node?.spec ?? {}) as NodeSpec;
const hasValue = (v: unknown) => v !== undefined && v !== null;

export function admitNode(nodeName: string, req: AdmissionRequest): AdmissionResult {
  const requested = req.name ?? req.object?.metadata.name ?? '';
  if (requested !== nodeName) return deny(`node "${nodeName}" is not allowed to modify node "${requested}"`);

  if (req.operation === 'CREATE') {
    const node = req.object;
    if (!node) return deny('unexpected type <nil>');
    // Scoping node access to things in Node.Spec means a configSource would be a view escalation.
    if (hasValue(specOf(node).configSource)) return deny(`node "${nodeName}" is not allowed to create pods with a non-nil configSource`);
    const forbidden = forbiddenLabels(modifiedLabels(node.metadata.labels, undefined));
    if (forbidden.length > 0) return deny(`node "${nodeName}" is not allowed to set the following labels: ${forbidden.join(', ')}`);
    const taints = specOf(node).taints?.length ?? 0;
    return { allowed: true, note: `NodeRestriction: node "${nodeName}" registers itself${taints ? ` with ${taints} taint(s)` : ''}` };
  }

  if (req.operation === 'UPDATE') {
    const node = req.object;
    const old = req.oldObject;
    if (!node || !old) return deny('unexpected type <nil>');
    const source = specOf(node).configSource;
    if (hasValue(source) && !semanticEqual(source, specOf(old).configSource)) {
      return deny(`node "${nodeName}" is not allowed to update configSource to a new non-nil configSource`);
    }
    // Removing or editing its own taints would let a node steer disallowed workloads to itself.
    if (!semanticEqual(specOf(node).taints, specOf(old).taints)) return deny(`node "${nodeName}" is not allowed to modify taints`);
    if (!semanticEqual(node.metadata.ownerReferences, old.metadata.ownerReferences)) {
      return deny(`node "${nodeName}" is not allowed to modify ownerReferences`);
    }
    const forbidden = forbiddenLabels(modifiedLabels(node.metadata.labels, old.metadata.labels));
    // The missing node name in this message is how the real plugin words it.
    if (forbidden.length > 0) return deny(`is not allowed to modify labels: ${forbidden.join(', ')}`);
  }
  return { allowed: true, note: `NodeRestriction: node "${nodeName}" may ${req.operation.toLowerCase()} its own Node` };
}
