import { stringify } from 'yaml';
import type { Step } from '../sim/trace.js';
import { formatVirtualTime } from '../sim/clock.js';
import { diffLines, withContext } from './diff.js';
import { statusLabel } from '../api/request.js';
import { isHeartbeat } from './heartbeat.js';

/**
 * Everything recorded about one step, as the lines of the inspector: the request and response
 * bodies as YAML, the stored object's change as a diff, who made the request (user and
 * groups) and where it landed in the store (key and revision).
 */
export interface InspectorLine {
  readonly text: string;
  readonly tone: 'title' | 'heading' | 'plain' | 'dim' | 'add' | 'remove' | 'error';
}

/** YAML as kubectl prints it: no line folding, and shared objects written out, not as aliases. */
export function toYaml(value: unknown): string[] {
  if (value === undefined) return [];
  const text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
  return text.split('\n');
}

/** The inspector's lines for one step, in reading order: what it was, why it happened, then the records. */
export function inspectStep(step: Step): InspectorLine[] {
  const lines: InspectorLine[] = [];
  const add = (text: string, tone: InspectorLine['tone'] = 'plain') => lines.push({ text, tone });
  const section = (title: string) => {
    add('');
    add(title, 'heading');
  };
  add(`Step ${step.step}  t=${formatVirtualTime(step.t)}  ${step.stage}  ${step.kind}${isHeartbeat(step) ? ' (heartbeat)' : ''}`, 'title');
  add(step.from === step.to ? step.from : `${step.from} → ${step.to}`);
  if (step.method) add(`${step.method} ${step.path ?? ''}  →  ${statusLabel(step)}`, step.status === 0 || (step.status ?? 0) >= 400 ? 'error' : 'plain');
  else add(step.summary);
  if (step.banner) add(`✖ ${step.banner}`, 'error');
  // Why it happened comes first: the reason is what a learner opens a step for; the bodies follow.
  section('Why');
  add(step.explanation);
  if (step.recipients) {
    // One delivery per receiver happened; the step stands for all of them.
    section(`Delivered to ${step.recipients.length} watchers`);
    for (const line of receiverLines(step.recipients)) add(`  ${line}`);
  }
  if (step.user || step.groups) {
    section('Identity');
    add(`  user    ${step.user ?? '(anonymous)'}`);
    add(`  groups  ${step.groups?.length ? step.groups.join(', ') : '(none)'}`);
  }
  if (step.key || step.revision !== undefined) {
    section('Store');
    if (step.key) add(`  key       ${step.key}`);
    if (step.revision !== undefined) add(`  revision  ${step.revision}`);
  }
  if (step.request !== undefined) {
    section('Request body');
    for (const line of toYaml(step.request)) add(`  ${line}`);
  }
  if (step.response !== undefined) {
    section('Response body');
    for (const line of toYaml(step.response)) add(`  ${line}`);
  }
  objectSection(step, section, add);
  if (step.detail !== undefined) {
    section('Detail');
    for (const line of toYaml(step.detail)) add(`  ${line}`);
  }
  return lines;
}

/**
 * A fanned-out watch event's receivers, every one named, grouped so that a thousand nodes stay
 * readable: a process with several watches once with a count (`kube-controller-manager ×2`), a
 * node agent on one node as itself (`kubelet/worker-1`), and the same agent on several nodes as
 * one line naming the nodes in delivery order (`kube-proxy on 3 nodes: worker-1, worker-2,
 * worker-3`), which the inspector wraps. Groups keep the order of their first delivery.
 */
export function receiverLines(recipients: readonly string[]): string[] {
  // component (or "agent/") → node (or "") → how many watches
  const groups = new Map<string, Map<string, number>>();
  for (const r of recipients) {
    const slash = r.indexOf('/');
    const key = slash < 0 ? r : r.slice(0, slash + 1);
    const member = slash < 0 ? '' : r.slice(slash + 1);
    let members = groups.get(key);
    if (!members) groups.set(key, (members = new Map()));
    members.set(member, (members.get(member) ?? 0) + 1);
  }
  const counted = (name: string, n: number) => (n > 1 ? `${name} ×${n}` : name);
  return [...groups].map(([key, members]) => {
    if (!key.endsWith('/')) return counted(key, members.get('')!);
    if (members.size === 1) {
      const [[node, n]] = members;
      return counted(`${key}${node}`, n);
    }
    return `${key.slice(0, -1)} on ${members.size} nodes: ${[...members].map(([node, n]) => counted(node, n)).join(', ')}`;
  });
}

function objectSection(step: Step, section: (title: string) => void, add: (text: string, tone?: InspectorLine['tone']) => void): void {
  if (step.kind === 'request' && step.key && step.after !== undefined) {
    const verb = step.before === undefined ? 'created' : step.after === null ? 'deleted' : 'updated';
    section(`Stored object (${verb}: - before, + after)`);
    if (verb === 'created' && sameJson(step.after, step.response)) {
      add('  (exactly the response body above: what kube-apiserver wrote to etcd, it sent back)', 'dim');
      return;
    }
    const diff = diffLines(toYaml(step.before ?? undefined), toYaml(step.after ?? undefined));
    const shown = verb === 'updated' ? withContext(diff) : diff;
    if (verb === 'updated' && !diff.some((line) => line.op !== ' ')) add('  (no change)', 'dim');
    for (const line of shown) add(`${line.op} ${line.text}`, line.op === '+' ? 'add' : line.op === '-' ? 'remove' : 'dim');
  } else if (step.kind === 'watch' && step.after !== undefined) {
    section('Object in the event');
    for (const line of toYaml(step.after)) add(`  ${line}`);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The inspector's lines wrapped to `width`: a long line continues on the next ones (indented
 * under its key when it is YAML), broken between words where it has spaces (prose, YAML values) and cut only inside a
 * word longer than a whole line (a base64 CSR), so nothing is cut off and no word is split.
 */
export function wrapInspector(lines: readonly InspectorLine[], width: number): InspectorLine[] {
  const out: InspectorLine[] = [];
  for (const line of lines) {
    let chars = [...line.text];
    if (chars.length <= width) {
      out.push(line);
      continue;
    }
    // Prose (the explanation) wraps flush like a paragraph; YAML and diff lines hang under their key.
    const leading = /^[-+ ]?\s*/.exec(line.text)![0].length;
    const indent = leading === 0 ? 0 : Math.min(leading + 2, Math.floor(width / 2));
    let room = width;
    let first = true;
    while (chars.length > room) {
      const cut = breakAt(chars, room);
      out.push({ text: (first ? '' : ' '.repeat(indent)) + chars.slice(0, cut).join('').trimEnd(), tone: line.tone });
      chars = chars.slice(cut);
      while (chars[0] === ' ') chars = chars.slice(1);
      first = false;
      room = width - indent;
    }
    if (chars.length) out.push({ text: (first ? '' : ' '.repeat(indent)) + chars.join(''), tone: line.tone });
  }
  return out;
}

/** Where to end a line of at most `room` characters: after the last space in it, else at `room`. */
function breakAt(chars: readonly string[], room: number): number {
  for (let i = room; i > room / 3; i--) if (chars[i] === ' ') return i;
  return room;
}
