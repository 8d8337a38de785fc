import type { KubeObject } from '../api/meta.js';
import type { Expectation } from '../scenario/index.js';
import { formatVirtualTime } from '../sim/clock.js';
import { Actor } from '../sim/simulation.js';
import { RESOURCES, storageKey } from '../controlplane/apiserver/resources.js';
import { compileSelector, matchesSelector } from '../controlplane/apiserver/selectors.js';
import type { Cluster } from './cluster.js';
import { parseTarget } from './kubectl.js';

/**
 * `wait:` / `for:` expectations, in `kubectl wait` vocabulary, checked against the cluster's
 * store as the run goes: `by:` holds if the condition is true at any moment up to that time,
 * `at:` if it is true at that moment. Request expectations are checked by the networking stage's
 * evaluator and handed in as `requestCheck`.
 */
type Obj = Record<string, any>;
type WaitExpectation = Extract<Expectation, { kind: 'wait' }>;

export interface ExpectationResult {
  readonly index: number;
  readonly expectation: Expectation;
  readonly pass: boolean;
  /** When it was first seen to hold (virtual ms), if it did. */
  readonly heldAtMs?: number;
  /** What was last seen, for a failure message ("Ready=True", "2 of 3 pods Running"). */
  readonly lastSeen: string;
  /** One line a person can read: what was expected and what happened. */
  readonly message: string;
}

export interface WaitTarget {
  readonly kind: string;
  readonly namespace: string;
  readonly name?: string;
  readonly labelSelector?: string;
}

/** `node/worker-1`, `pod/web`, `pods -l app=web`, `deployment/kube-system/coredns`. */
export function parseWaitTarget(text: string): WaitTarget {
  const selector = /^(\S+)\s+-l\s+(\S+)(?:\s+-n\s+(\S+))?$/.exec(text.trim());
  if (selector) {
    const { kind } = parseTarget(`${selector[1]}/x`);
    return { kind, namespace: selector[3] ?? 'default', labelSelector: selector[2] };
  }
  const { kind, namespace, name } = parseTarget(text.trim());
  return { kind, namespace, name };
}

/** Reads `{.status.phase}` / `{.status.conditions[0].type}` from an object. */
export function jsonPath(obj: unknown, path: string): unknown {
  const inner = path.replace(/^\{/, '').replace(/\}$/, '').replace(/^\./, '');
  let current: unknown = obj;
  for (const part of inner.split('.').filter(Boolean)) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    current = (current as Obj | undefined)?.[m[1]];
    for (const index of m[2].match(/\d+/g) ?? []) current = (current as unknown[] | undefined)?.[Number(index)];
  }
  return current;
}

/**
 * Where `wait:` expectations read objects, by etcd key: the live store during a run, or (in the
 * player) the objects as the recorded steps left them at one step.
 */
export interface ObjectReader {
  get(key: string): KubeObject | undefined;
  /** Every object whose key starts with `prefix`. */
  range(prefix: string): KubeObject[];
}

/** The live store of a running cluster. */
export function storeObjects(cluster: Cluster): ObjectReader {
  return {
    get: (key) => cluster.store.get(key)?.value,
    range: (prefix) => cluster.store.range(prefix).map((kv) => kv.value),
  };
}

/** The etcd key (a name) or key prefix (a selector) a wait target reads; undefined for a kind the API does not serve. */
export function targetKeyPrefix(target: WaitTarget): string | undefined {
  const info = RESOURCES.find((r) => r.kind === target.kind);
  if (!info) return undefined;
  const ns = info.namespaced ? target.namespace : undefined;
  if (target.name) return storageKey(info, ns, target.name);
  return ns ? `${info.etcdPrefix}${ns}/` : info.etcdPrefix;
}

function objectsFor(objects: ObjectReader, target: WaitTarget): KubeObject[] {
  const key = targetKeyPrefix(target);
  if (key === undefined) return [];
  if (target.name) {
    const found = objects.get(key);
    return found ? [found] : [];
  }
  const selector = compileSelector(target.labelSelector);
  return objects.range(key).filter((o) => matchesSelector(selector, o));
}

/** Whether the `for:` condition holds for the target now, and what was seen. */
export function checkWait(objects: ObjectReader, expectation: WaitExpectation): { holds: boolean; seen: string } {
  const target = parseWaitTarget(expectation.wait);
  const found = objectsFor(objects, target);
  const spec = expectation.for.trim();
  if (spec === 'delete') return { holds: found.length === 0, seen: found.length ? `${found.length} still present` : 'gone' };
  if (spec === 'create') return { holds: found.length > 0, seen: found.length ? 'present' : 'not found' };
  if (found.length === 0) return { holds: false, seen: 'not found' };
  const values: string[] = [];
  let holds = true;
  for (const obj of found) {
    const condition = /^condition=([^=]+)(?:=(.*))?$/.exec(spec);
    if (condition) {
      const want = condition[2] ?? 'True';
      const match = ((obj as Obj).status?.conditions ?? []).find((c: Obj) => c.type === condition[1]);
      values.push(`${condition[1]}=${match?.status ?? '<none>'}`);
      if (match?.status !== want) holds = false;
      continue;
    }
    const path = /^jsonpath=(\{[^}]*\})=(.*)$/.exec(spec);
    if (path) {
      const value = jsonPath(obj, path[1]);
      const text = value === undefined ? '<none>' : typeof value === 'string' ? value : JSON.stringify(value);
      values.push(text);
      if (text !== path[2]) holds = false;
      continue;
    }
    return { holds: false, seen: `unsupported for: ${spec}` };
  }
  const distinct = [...new Set(values)];
  return { holds, seen: found.length > 1 ? `${found.length} objects: ${distinct.join(', ')}` : distinct[0] };
}

/** An expectation as one line: `node/worker-2 condition=Ready=Unknown`, `request pod/client -> http://web is success`. */
export function describeExpectation(expectation: Expectation): string {
  return expectation.kind === 'wait' ? `${expectation.wait} ${expectation.for}` : `request ${expectation.request.from} -> ${expectation.request.to} is ${expectation.result}`;
}

/**
 * Follows every expectation during a run. Create it before the run starts; read `results()` after
 * the run has passed every expectation's time.
 */
export class ExpectationTracker {
  private readonly state: { heldAtMs?: number; lastSeen: string; decided?: boolean; pass?: boolean }[];

  constructor(
    private readonly cluster: Cluster,
    private readonly expectations: readonly Expectation[],
    requestCheck?: (expectation: Extract<Expectation, { kind: 'request' }>) => { pass: boolean; seen: string },
  ) {
    this.state = expectations.map(() => ({ lastSeen: 'not checked yet' }));
    const actor = new Actor('expectations');
    const objects = storeObjects(cluster);
    const evaluate = (): void => this.evaluateBy();
    cluster.store.watch('/registry/', cluster.store.revision, evaluate);
    cluster.sim.schedule(actor, 0, evaluate);
    expectations.forEach((e, i) => {
      cluster.sim.schedule(actor, e.timeMs, () => {
        const s = this.state[i];
        if (e.kind === 'request') {
          const outcome = requestCheck ? requestCheck(e) : { pass: false, seen: 'no request evaluator' };
          Object.assign(s, { decided: true, pass: outcome.pass, lastSeen: outcome.seen, heldAtMs: outcome.pass ? cluster.sim.nowMs : undefined });
          return;
        }
        const now = checkWait(objects, e);
        s.lastSeen = now.seen;
        if (e.when === 'at') Object.assign(s, { decided: true, pass: now.holds, heldAtMs: now.holds ? cluster.sim.nowMs : undefined });
        else {
          if (now.holds && s.heldAtMs === undefined) s.heldAtMs = cluster.sim.nowMs;
          Object.assign(s, { decided: true, pass: s.heldAtMs !== undefined });
        }
      });
    });
  }

  private evaluateBy(): void {
    const now = this.cluster.sim.nowMs;
    this.expectations.forEach((e, i) => {
      const s = this.state[i];
      if (e.kind !== 'wait' || e.when !== 'by' || s.heldAtMs !== undefined || now > e.timeMs) return;
      const result = checkWait(storeObjects(this.cluster), e);
      s.lastSeen = result.seen;
      if (result.holds) s.heldAtMs = now;
    });
  }

  results(): ExpectationResult[] {
    return this.expectations.map((expectation, index) => {
      const s = this.state[index];
      const pass = s.decided ? s.pass === true : false;
      const what = describeExpectation(expectation);
      const when = `${expectation.when} ${formatVirtualTime(expectation.timeMs)}`;
      const message = !s.decided
        ? `${what} ${when}: not reached (the run ended before ${formatVirtualTime(expectation.timeMs)})`
        : pass
          ? `${what} ${when}: held at ${formatVirtualTime(s.heldAtMs ?? expectation.timeMs)}`
          : `${what} ${when}: did not hold; last seen ${s.lastSeen}`;
      return { index, expectation, pass, heldAtMs: s.heldAtMs, lastSeen: s.lastSeen, message };
    });
  }
}
