/**
 * The parts of a scenario that happen in virtual time: timeline actions (one strict object per
 * `action`, with exactly the fields that action takes), expectations (`kubectl wait` vocabulary
 * plus packet-walk results) and checkpoint questions.
 */
import * as z from 'zod';
import { STAGES } from '../sim/trace.js';
import { dnsSubdomain, duration, manifest } from './schema-fields.js';

const node = dnsSubdomain.meta({ description: 'The name of a node in spec.nodes.' });
const undo = duration.optional().meta({ description: 'Undo the action after this long.' });
const objectRef = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]*\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
  error: 'expected kind/name, e.g. deployment/web',
});
const endpointRef = z.string().regex(/^(pod|node)\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
  error: 'expected pod/NAME or node/NAME',
});
const url = z.string().regex(/^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+\S*$/, {
  error: 'expected a URL such as http://web.default.svc.cluster.local:80',
});
const member = z.int().min(1).max(5).meta({ description: 'The etcd member, 1-based.' });

function event<A extends string, S extends z.ZodRawShape>(action: A, shape: S) {
  return z.strictObject({ at: duration, action: z.literal(action), ...shape });
}

/** Every timeline action, keyed by `action`; `for:` only where there is something to undo. */
export const timelineEvent = z.discriminatedUnion('action', [
  event('crash-node', { node, for: undo }),
  event('restart-node', { node }),
  event('stop-kubelet', { node, for: undo }),
  event('start-kubelet', { node }),
  event('stop-kube-proxy', { node, for: undo }),
  event('start-kube-proxy', { node }),
  event('partition', { node, for: undo }),
  event('heal', { node }),
  event('stop-apiserver', { for: undo }),
  event('start-apiserver', {}),
  event('stop-etcd-member', { member, for: undo }),
  event('start-etcd-member', { member }),
  event('expire-certificate', { node }),
  event('revoke-bootstrap-token', {
    node: node.optional().meta({ description: "Revoke this node's token; the cluster's shared token when absent." }),
  }),
  event('apply', { manifest }),
  event('delete', { target: objectRef }),
  event('scale', { target: objectRef, replicas: z.int().min(0) }),
  event('request', { from: endpointRef, to: url }),
]);

export const TIMELINE_ACTIONS = timelineEvent.options.map((option) => option.shape.action.value);

const waitTarget = z.string().regex(/^[a-z][a-z0-9.-]*(\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?| -l [^\s=]+=\S*)$/, {
  error: 'expected a kubectl wait target: node/NAME, pod/NAME, pods -l KEY=VALUE or kind/name',
});
const waitFor = z.string().regex(/^(delete|create|condition=[A-Za-z0-9][-A-Za-z0-9_./]*(=[^=\s]+)?|jsonpath=\{.+\}(=.+)?)$/, {
  error: 'expected what kubectl wait --for takes: condition=NAME, condition=NAME=VALUE, jsonpath={...}=VALUE, delete or create',
});

/** One goal: `wait` + `for` (kubectl wait) or `request` + `result` (a packet walk), `by:` or `at:` a time. */
export const expectation = z
  .strictObject({
    by: duration.optional().meta({ description: 'Must hold at some moment up to this time.' }),
    at: duration.optional().meta({ description: 'Must hold at this moment.' }),
    wait: waitTarget.optional(),
    for: waitFor.optional(),
    request: z.strictObject({ from: endpointRef, to: url }).optional(),
    result: z.enum(['success', 'refused', 'timeout', 'nxdomain']).optional(),
  })
  .superRefine((goal, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (goal.by === undefined && goal.at === undefined) issue([], 'needs by: (holds some time up to then) or at: (holds at that moment)');
    if (goal.by !== undefined && goal.at !== undefined) issue(['at'], 'give either by: or at:, not both');
    if (goal.wait !== undefined && goal.request !== undefined) issue(['request'], 'give either wait: or request:, not both');
    else if (goal.wait !== undefined) {
      if (goal.for === undefined) issue([], 'missing required field "for" (what wait: should wait for)');
      if (goal.result !== undefined) issue(['result'], 'result: belongs to request: expectations');
    } else if (goal.request !== undefined) {
      if (goal.result === undefined) issue([], 'missing required field "result" (success, refused, timeout or nxdomain)');
      if (goal.for !== undefined) issue(['for'], 'for: belongs to wait: expectations');
    } else issue([], 'needs wait: with for:, or request: with result:');
  });

const stageList = STAGES.join(', ');

/**
 * Where a checkpoint goes: after the last step of a stage, after step N, at the first step at or
 * after a virtual time, or right after the step of one of the timeline's actions (0-based).
 */
const checkpointAnchor = z.union(
  [
    z.enum(STAGES),
    z.strictObject({ step: z.int().min(1).meta({ description: 'After this step (1-based, as `run` numbers them).' }) }),
    z.strictObject({ at: duration.meta({ description: 'At the first step at or after this virtual time.' }) }),
    z.strictObject({
      action: z.int().min(0).meta({ description: "Right after this timeline action's step: a 0-based index into spec.timeline." }),
    }),
  ],
  {
    error: (iss) =>
      iss.input === undefined ? undefined : `expected a stage (${stageList}), { step: N }, { at: DURATION } or { action: N }`,
  },
);

/** A multiple-choice question shown after a stage, a step, a moment or a timeline action. */
export const checkpoint = z.strictObject({
  after: checkpointAnchor,
  question: z.string().min(1, { error: 'must not be empty' }),
  choices: z.array(z.string().min(1, { error: 'must not be empty' })).min(2, { error: 'needs at least two choices' }),
  answer: z.int().min(1).meta({ description: 'The right choice, 1-based.' }),
  explanation: z.string().optional(),
});
