/**
 * `for:` in a wait expectation, beyond its syntax (checked by the schema): a condition the kind
 * actually reports, a status of True, False or Unknown, and a JSONPath in the subset `kube-learn
 * test` evaluates (src/cluster/expectations.ts: dotted fields and [N] indexes, with a value).
 * Each mistake here is an expectation that could never hold, so it is caught before the run.
 */
import { CONDITION_STATUSES, CONDITION_TYPES, kindOfWord } from './kinds.js';
import type { PathIssue } from './problems.js';
import { suggest } from './problems.js';
import type { Expectation, Scenario } from './types.js';

const JSONPATH_PART = /^[^[\]{}=\s]+(\[\d+\])*$/;

function checkCondition(kind: string | undefined, name: string, status: string | undefined): string[] {
  const messages: string[] = [];
  const known = kind === undefined ? undefined : CONDITION_TYPES[kind];
  if (known && !known.includes(name)) messages.push(`${kind}s have no condition "${name}"; they report ${known.join(', ')}`);
  if (status !== undefined && !(CONDITION_STATUSES as readonly string[]).includes(status)) {
    messages.push(`a condition's status is True, False or Unknown, not "${status}"`);
  }
  return messages;
}

function checkJsonPath(expression: string, value: string | undefined): string | undefined {
  if (value === undefined) return `give the value to wait for, e.g. jsonpath=${expression}=Running`;
  const inner = expression.slice(1, -1).replace(/^\./, '');
  if (inner === '' || !inner.split('.').every((part) => JSONPATH_PART.test(part))) {
    return `kube-learn evaluates plain paths such as {.status.phase} or {.status.conditions[0].status}; ${expression} uses more than that`;
  }
  return undefined;
}

function check(goal: Extract<Expectation, { kind: 'wait' }>): { message: string; suggestion?: string }[] {
  const spec = goal.for.trim();
  const word = goal.wait.split(/[/ ]/)[0];
  const kind = kindOfWord(word);
  const condition = /^condition=([^=]+)(?:=(.*))?$/.exec(spec);
  if (condition) {
    return checkCondition(kind, condition[1], condition[2]).map((message) => ({
      message,
      suggestion: message.includes('status')
        ? suggest(condition[2], CONDITION_STATUSES)
        : suggest(condition[1], kind === undefined ? [] : (CONDITION_TYPES[kind] ?? [])),
    }));
  }
  const jsonpath = /^jsonpath=(\{[^}]*\})(?:=(.*))?$/.exec(spec);
  if (spec.startsWith('jsonpath=') && !jsonpath) {
    return [{ message: 'kube-learn evaluates plain paths such as {.status.phase}; this JSONPath uses more than that' }];
  }
  const message = jsonpath ? checkJsonPath(jsonpath[1], jsonpath[2]) : undefined;
  return message === undefined ? [] : [{ message }];
}

/** Problems with the `for:` of each wait expectation. */
export function checkWaitFor(scenario: Scenario): PathIssue[] {
  return scenario.spec.expect.flatMap((goal, index) =>
    goal.kind !== 'wait'
      ? []
      : check(goal).map(({ message, suggestion }) => ({ path: ['spec', 'expect', index, 'for'], message, suggestion })),
  );
}
