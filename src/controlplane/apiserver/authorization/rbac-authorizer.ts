import type { Attributes, KubeObject, UserInfo } from '../../../api/meta.js';
import { effectiveName, serviceAccountUsername } from './attributes.js';
import { ruleAllows } from './rule-matching.js';
import type { Authorizer, AuthorizerDecision, BindingObject, ObjectLookup, PolicyRule, RoleObject, Subject } from './types.js';

/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go with the rule resolver of
 * pkg/registry/rbac/validation/rule.go): ClusterRoleBindings first, then the RoleBindings of the
 * request's namespace; the first rule that matches allows. RBAC never denies: when nothing
 * matches it has no opinion, and its reason is empty unless a binding pointed at a missing role.
 */
const NAME = 'RBAC';

/** describeSubject: service accounts print as `name/namespace`. */
function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} "${subject.name}/${subject.namespace || bindingNamespace}"`;
  return `${subject.kind} "${subject.name}"`;
}

/** appliesToUser; RoleBindings default a ServiceAccount subject's namespace to their own. */
function appliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return ns !== '' && user.name === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several de-duplicated in brackets. */
function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** The klog -v=5 line rbac.go writes when nothing matched. */
function denialLog(attrs: Attributes): string {
  const name = effectiveName(attrs);
  const operation = attrs.resourceRequest
    ? `"${attrs.verb}" resource "${attrs.resource ?? ''}${attrs.apiGroup ? `.${attrs.apiGroup}` : ''}${attrs.subresource ? `/${attrs.subresource}` : ''}"${name ? ` named "${name}"` : ''}`
    : `"${attrs.verb}" nonResourceURL "${attrs.path ?? ''}"`;
  const scope = attrs.namespace ? `in namespace "${attrs.namespace}"` : 'cluster-wide';
  const groups = `[${attrs.user.groups.map((g) => `"${g}"`).join(' ')}]`;
  return `RBAC: no rules authorize user "${attrs.user.name}" with groups ${groups} to ${operation} ${scope}`;
}

/** Byte order, as Go sorts strings, so the visiting order never depends on a locale. */
function byName(a: { metadata: { name?: string } }, b: { metadata: { name?: string } }): number {
  const x = a.metadata.name ?? '';
  const y = b.metadata.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export function createRbacAuthorizer(lookup: ObjectLookup): Authorizer {
  /**
   * The bindings in visiting order, per list the lookup handed out: a lookup that keeps its lists
   * between writes (the API server's does) gets each one sorted once, not on every request.
   */
  const visitOrder = new WeakMap<readonly KubeObject[], Map<string | undefined, BindingObject[]>>();
  function sortedBindings(list: readonly KubeObject[], namespace?: string): BindingObject[] {
    let byNamespace = visitOrder.get(list);
    if (!byNamespace) visitOrder.set(list, (byNamespace = new Map()));
    let sorted = byNamespace.get(namespace);
    if (!sorted) {
      const mine = namespace === undefined ? [...list] : list.filter((b) => b.metadata.namespace === namespace);
      byNamespace.set(namespace, (sorted = mine.sort(byName) as BindingObject[]));
    }
    return sorted;
  }

  /** GetRoleReferenceRules: the rules a binding grants, or the lister's NotFound error. */
  function rulesFor(binding: BindingObject, namespace: string): { rules: PolicyRule[] } | { error: string } {
    const ref = binding.roleRef;
    if (ref.kind === 'ClusterRole') {
      const role = lookup.get('clusterroles', undefined, ref.name) as RoleObject | undefined;
      return role ? { rules: role.rules ?? [] } : { error: `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` };
    }
    if (ref.kind === 'Role') {
      const role = lookup.get('roles', namespace, ref.name) as RoleObject | undefined;
      return role ? { rules: role.rules ?? [] } : { error: `role.rbac.authorization.k8s.io "${ref.name}" not found` };
    }
    return { error: `unsupported role reference kind: "${String((ref as { kind: unknown }).kind)}"` };
  }

  /** Visits one binding; returns the allow reason when one of its rules matches. */
  function visit(attrs: Attributes, binding: BindingObject, namespaced: boolean, errors: string[]): string | undefined {
    const namespace = namespaced ? (binding.metadata.namespace ?? '') : '';
    const subject = (binding.subjects ?? []).find((s) => appliesTo(attrs.user, s, namespace));
    if (!subject) return undefined;
    const resolved = rulesFor(binding, namespace);
    if ('error' in resolved) {
      errors.push(resolved.error);
      return undefined;
    }
    if (!resolved.rules.some((rule) => ruleAllows(attrs, rule))) return undefined;
    const bindingName = namespaced ? `RoleBinding "${binding.metadata.name}/${namespace}"` : `ClusterRoleBinding "${binding.metadata.name}"`;
    return `RBAC: allowed by ${bindingName} of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, namespace)}`;
  }

  return {
    name: NAME,
    authorize(attrs: Attributes): AuthorizerDecision {
      const errors: string[] = [];
      const clusterBindings = sortedBindings(lookup.list('clusterrolebindings'));
      for (const binding of clusterBindings) {
        const reason = visit(attrs, binding, false, errors);
        if (reason) return { decision: 'allow', reason, authorizer: NAME };
      }
      if (attrs.namespace) {
        const bindings = sortedBindings(lookup.list('rolebindings', attrs.namespace), attrs.namespace);
        for (const binding of bindings) {
          const reason = visit(attrs, binding, true, errors);
          if (reason) return { decision: 'allow', reason, authorizer: NAME };
        }
      }
      const reason = errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '';
      return { decision: 'no-opinion', reason, authorizer: NAME, detail: denialLog(attrs) };
    },
  };
}
