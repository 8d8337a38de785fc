import type { Attributes } from '../../../api/meta.js';
import type { Authorizer, AuthorizerDecision } from './types.js';

/**
 * k8s.io/apiserver/pkg/authorization/union: asks each authorizer in order (`Node,RBAC`); the
 * first allow or deny wins. When all have no opinion the request is denied, and the reason is
 * the non-empty reasons joined by newlines, exactly what the real union hands to the 403 writer
 * (often empty, so `kubectl` shows just "... cannot list resource ...").
 */
export function unionAuthorizer(list: Authorizer[]): Authorizer {
  const authorizers = [...list];
  return {
    name: authorizers.map((a) => a.name).join(','),
    authorize(attrs: Attributes): AuthorizerDecision {
      const reasons: string[] = [];
      const details: string[] = [];
      for (const authorizer of authorizers) {
        const result = authorizer.authorize(attrs) as AuthorizerDecision;
        if (result.decision === 'allow' || result.decision === 'deny') {
          return { ...result, authorizer: result.authorizer ?? authorizer.name };
        }
        if (result.reason) reasons.push(result.reason);
        details.push(`${authorizer.name}: no opinion${result.detail ? ` (${result.detail})` : result.reason ? ` (${result.reason})` : ''}`);
      }
      return {
        decision: 'deny',
        reason: reasons.join('\n'),
        detail: details.length > 0 ? details.join('; ') : 'no authorizer configured',
      };
    },
  };
}
