import type { Attributes } from '../../../api/meta.js';
import { effectiveName, nodeIdentity, parseFieldSelector } from './attributes.js';
import { hasPathFrom, type VertexType } from './node-graph.js';
import { NODE_RULES } from './node-rules.js';
import { rulesAllow } from './rule-matching.js';
import type { Authorizer, AuthorizerDecision, ObjectLookup } from './types.js';

/**
 * The Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go) as of Kubernetes 1.32,
 * where AuthorizeNodeWithSelectors is on by default. It only speaks for `system:node:<name>` in
 * group `system:nodes`; reads of secrets, configmaps, PVCs, PVs and service-account tokens are
 * allowed only along the graph from the object to the node, Node and Pod access is narrowed to
 * the node's own objects, and everything else is checked against the static NodeRules().
 *
 * Reasons on no-opinion are the real strings (they appear after the colon in the 403); the
 * detailed `NODE DENY` log line is in `detail`. The real authorizer returns an empty reason on
 * allow; here allow reasons say which rule let the request through, for the step's explanation.
 */
export interface NodeAuthorizerOptions {
  /** Feature gate AuthorizeNodeWithSelectors (beta, on by default in 1.32; GA in 1.34). */
  readonly authorizeNodeWithSelectors?: boolean;
}

const NAME = 'Node';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const allow = (reason: string): AuthorizerDecision => ({ decision: 'allow', reason, authorizer: NAME });
const noOpinion = (reason: string, detail?: string): AuthorizerDecision => ({ decision: 'no-opinion', reason, authorizer: NAME, detail });
const related = (node: string) => `no relationship found between node '${node}' and this object`;

/** Builds the Node authorizer over the objects `lookup` sees at call time. */
export function createNodeAuthorizer(lookup: ObjectLookup, options: NodeAuthorizerOptions = {}): Authorizer {
  return new NodeAuthorizer(lookup, options.authorizeNodeWithSelectors ?? true);
}

class NodeAuthorizer implements Authorizer {
  readonly name = NAME;

  constructor(
    private readonly lookup: ObjectLookup,
    private readonly selectors: boolean,
  ) {}

  authorize(attrs: Attributes): AuthorizerDecision {
    const id = nodeIdentity(attrs.user);
    if (!id.isNode) return noOpinion('');
    if (!id.nodeName) return noOpinion(`unknown node for user "${attrs.user.name}"`);
    const specific = attrs.resourceRequest ? this.authorizeSubdivided(id.nodeName, attrs) : undefined;
    if (specific) return specific;
    if (rulesAllow(attrs, NODE_RULES)) return allow('Node: allowed by the static node rules (bootstrappolicy.NodeRules)');
    return noOpinion('');
  }

  /** NodeAuthorizer.authorize: an object name plus a path in the graph. */
  private authorizeByGraph(node: string, type: VertexType, attrs: Attributes): AuthorizerDecision {
    const name = effectiveName(attrs);
    if (!name) return noOpinion('No Object name found');
    const answer = hasPathFrom(this.lookup, node, type, attrs.namespace ?? '', name);
    if (!answer.related) return noOpinion(related(node), answer.detail);
    return allow(`Node: ${type} ${attrs.namespace ? `${attrs.namespace}/` : ''}${name} is ${answer.detail}`);
  }

  private authorizeReadNamespacedObject(node: string, type: VertexType, attrs: Attributes): AuthorizerDecision {
    if (!['get', 'list', 'watch'].includes(attrs.verb)) return noOpinion('can only read resources of this type');
    if (attrs.subresource) return noOpinion('cannot read subresource');
    if (!attrs.namespace) return noOpinion('can only read namespaced object of this type');
    return this.authorizeByGraph(node, type, attrs);
  }

  private authorizeGet(node: string, type: VertexType, attrs: Attributes): AuthorizerDecision {
    if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (attrs.subresource) return noOpinion('cannot get subresource');
    return this.authorizeByGraph(node, type, attrs);
  }

  private authorizeStatusUpdate(node: string, type: VertexType, attrs: Attributes): AuthorizerDecision {
    if (attrs.verb !== 'update' && attrs.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    return this.authorizeByGraph(node, type, attrs);
  }

  private authorizeCreateToken(node: string, attrs: Attributes): AuthorizerDecision {
    if (attrs.verb !== 'create' || !attrs.name) return noOpinion('can only create tokens for individual service accounts');
    if (attrs.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return this.authorizeByGraph(node, 'serviceAccount', attrs);
  }

  private authorizeOwnNamedObject(node: string, attrs: Attributes, kind: 'node lease' | 'CSINode'): AuthorizerDecision {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) {
      return noOpinion(`can only get, create, update, patch, or delete a ${kind}`);
    }
    if (kind === 'node lease' && attrs.namespace !== NODE_LEASE_NAMESPACE) {
      return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    }
    if (kind === 'CSINode' && attrs.subresource) return noOpinion('cannot authorize CSINode subresources');
    // The name is not known on create; NodeRestriction checks it then.
    if (attrs.verb !== 'create' && effectiveName(attrs) !== node) {
      const what = kind === 'node lease' ? 'node lease' : 'CSINode';
      return noOpinion(`can only access ${what} with the same name as the requesting node`);
    }
    return allow(`Node: node '${node}' may ${attrs.verb} its own ${kind === 'node lease' ? `Lease in ${NODE_LEASE_NAMESPACE}` : 'CSINode'}`);
  }

  private authorizeNode(node: string, attrs: Attributes): AuthorizerDecision {
    const verb = attrs.verb;
    if (!attrs.subresource && ['create', 'update', 'patch'].includes(verb)) {
      return allow(`Node: nodes may ${verb} Node objects; NodeRestriction admission limits node '${node}' to its own`);
    }
    if (!attrs.subresource && ['get', 'list', 'watch'].includes(verb)) {
      const name = effectiveName(attrs);
      if (name === node) return allow(`Node: node '${node}' may ${verb} its own Node object`);
      if (!name) return noOpinion(`node '${node}' cannot read all nodes, only its own Node object`);
      return noOpinion(`node '${node}' cannot read '${name}', only its own Node object`);
    }
    if (attrs.subresource === 'status' && (verb === 'update' || verb === 'patch')) {
      return allow(`Node: nodes may ${verb} nodes/status; NodeRestriction admission limits node '${node}' to its own`);
    }
    return noOpinion('');
  }

  private authorizePod(node: string, attrs: Attributes): AuthorizerDecision {
    const verb = attrs.verb;
    switch (attrs.subresource ?? '') {
      case '':
        if (verb === 'get') return this.authorizeGet(node, 'pod', attrs);
        if (verb === 'list' || verb === 'watch') {
          const scoped = parseFieldSelector(attrs.fieldSelector).some(
            (r) => r.field === 'spec.nodeName' && r.operator === '=' && r.value === node,
          );
          if (scoped) return allow(`Node: node '${node}' may ${verb} pods with fieldSelector spec.nodeName=${node}`);
          if (effectiveName(attrs)) return this.authorizeByGraph(node, 'pod', attrs);
          return noOpinion('can only list/watch pods with spec.nodeName field selector');
        }
        if (verb === 'create' || verb === 'delete') {
          return allow(`Node: nodes may ${verb} mirror pods; NodeRestriction admission limits node '${node}' to mirror pods bound to it`);
        }
        break;
      case 'status':
        if (verb === 'update' || verb === 'patch') {
          return allow(`Node: nodes may ${verb} pods/status; NodeRestriction admission limits node '${node}' to pods bound to it`);
        }
        break;
      case 'eviction':
        if (verb === 'create') return allow(`Node: nodes may evict pods; NodeRestriction admission limits node '${node}' to pods bound to it`);
        break;
    }
    return noOpinion('');
  }

  private authorizeSubdivided(node: string, attrs: Attributes): AuthorizerDecision | undefined {
    switch (`${attrs.apiGroup ?? ''}/${attrs.resource ?? ''}`) {
      case '/secrets':
        return this.authorizeReadNamespacedObject(node, 'secret', attrs);
      case '/configmaps':
        return this.authorizeReadNamespacedObject(node, 'configmap', attrs);
      case '/persistentvolumeclaims':
        return attrs.subresource === 'status' ? this.authorizeStatusUpdate(node, 'pvc', attrs) : this.authorizeGet(node, 'pvc', attrs);
      case '/persistentvolumes':
        return this.authorizeGet(node, 'pv', attrs);
      case 'resource.k8s.io/resourceclaims':
        return this.authorizeGet(node, 'resourceclaim', attrs);
      case 'storage.k8s.io/volumeattachments':
        return this.authorizeGet(node, 'volumeattachment', attrs);
      case '/serviceaccounts':
        return this.authorizeCreateToken(node, attrs);
      case 'coordination.k8s.io/leases':
        return this.authorizeOwnNamedObject(node, attrs, 'node lease');
      case 'storage.k8s.io/csinodes':
        return this.authorizeOwnNamedObject(node, attrs, 'CSINode');
      case '/nodes':
        return this.selectors ? this.authorizeNode(node, attrs) : undefined;
      case '/pods':
        return this.selectors ? this.authorizePod(node, attrs) : undefined;
      default:
        return undefined;
    }
  }
}
