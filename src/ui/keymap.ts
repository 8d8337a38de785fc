import type { Key } from 'ink';
import { STAGES, type Stage } from '../sim/trace.js';

/**
 * Keys to actions, as a pure function: what a key means depends only on the key and on which
 * screen is showing. `app.tsx` turns actions into state changes; only it may end the program.
 */
export type Action =
  | { readonly type: 'start' }
  | { readonly type: 'quit' }
  | { readonly type: 'interrupt' }
  | { readonly type: 'next' }
  | { readonly type: 'previous' }
  | { readonly type: 'togglePlay' }
  | { readonly type: 'faster' }
  | { readonly type: 'slower' }
  | { readonly type: 'nextNonHeartbeat' }
  | { readonly type: 'stage'; readonly stage: Stage }
  | { readonly type: 'first' }
  | { readonly type: 'last' }
  | { readonly type: 'up' }
  | { readonly type: 'down' }
  | { readonly type: 'pageUp' }
  | { readonly type: 'pageDown' }
  | { readonly type: 'open' }
  | { readonly type: 'close' }
  | { readonly type: 'filter' }
  | { readonly type: 'help' }
  | { readonly type: 'focusNode' }
  | { readonly type: 'toggleHeartbeats' }
  | { readonly type: 'goals' }
  | { readonly type: 'serve' }
  | { readonly type: 'answer'; readonly choice: number };

/** Which screen has the keyboard. */
export type Mode = 'intro' | 'main' | 'help' | 'inspector' | 'filter' | 'checkpoint' | 'goals' | 'small';

/** The action a key asks for on the given screen, or undefined when the key means nothing there. */
export function keyToAction(input: string, key: Partial<Key>, mode: Mode): Action | undefined {
  if (key.ctrl && input === 'c') return { type: 'interrupt' };
  if (input === 'q' && !key.ctrl) return { type: 'quit' };
  switch (mode) {
    case 'small':
      return undefined;
    case 'intro':
      if (key.return) return { type: 'start' };
      if (input === '?') return { type: 'help' };
      return undefined;
    case 'help':
      return input === '?' ? { type: 'close' } : overlayKey(input, key, { type: 'close' });
    case 'inspector':
    case 'filter':
      return overlayKey(input, key);
    case 'checkpoint':
      return checkpointKey(input, key);
    case 'goals':
      return goalsKey(input, key);
    case 'main':
      return mainKey(input, key);
  }
}

function overlayKey(input: string, key: Partial<Key>, onReturn: Action = { type: 'open' }): Action | undefined {
  if (key.escape) return { type: 'close' };
  if (key.return) return onReturn;
  if (key.upArrow || input === 'k') return { type: 'up' };
  if (key.downArrow || input === 'j') return { type: 'down' };
  if (key.pageUp || input === 'b') return { type: 'pageUp' };
  if (key.pageDown || input === ' ') return { type: 'pageDown' };
  if (input === 'g' || key.home) return { type: 'first' };
  if (input === 'G' || key.end) return { type: 'last' };
  return undefined;
}

/** A checkpoint question: 1-9 picks a choice, Enter goes on, Esc skips. */
function checkpointKey(input: string, key: Partial<Key>): Action | undefined {
  if (key.escape) return { type: 'close' };
  if (key.return) return { type: 'open' };
  if (/^[1-9]$/.test(input)) return { type: 'answer', choice: Number(input) };
  return undefined;
}

/** The goals list: o or Esc closes it; the step and play keys still move through the scenario. */
function goalsKey(input: string, key: Partial<Key>): Action | undefined {
  if (key.escape || input === 'o' || key.return) return { type: 'close' };
  if (input === '?') return { type: 'help' };
  const step = mainKey(input, key);
  const moves: readonly Action['type'][] = ['next', 'previous', 'nextNonHeartbeat', 'stage', 'first', 'last', 'togglePlay', 'faster', 'slower'];
  return step && moves.includes(step.type) ? step : undefined;
}

function mainKey(input: string, key: Partial<Key>): Action | undefined {
  if (key.rightArrow || input === 'l') return { type: 'next' };
  if (key.leftArrow || input === 'h') return { type: 'previous' };
  if (key.upArrow || input === 'k') return { type: 'up' };
  if (key.downArrow || input === 'j') return { type: 'down' };
  if (key.return) return { type: 'open' };
  if (key.escape) return { type: 'close' };
  if (key.tab) return { type: 'focusNode' };
  if (key.pageUp) return { type: 'pageUp' };
  if (key.pageDown) return { type: 'pageDown' };
  if (key.home) return { type: 'first' };
  if (key.end) return { type: 'last' };
  const simple: Record<string, Action> = {
    ' ': { type: 'togglePlay' },
    '+': { type: 'faster' },
    '=': { type: 'faster' },
    '-': { type: 'slower' },
    '_': { type: 'slower' },
    n: { type: 'nextNonHeartbeat' },
    g: { type: 'first' },
    G: { type: 'last' },
    f: { type: 'filter' },
    '?': { type: 'help' },
    e: { type: 'toggleHeartbeats' },
    o: { type: 'goals' },
    s: { type: 'serve' },
  };
  if (input in simple) return simple[input];
  const digit = Number(input);
  if (input.length === 1 && digit >= 1 && digit <= STAGES.length) return { type: 'stage', stage: STAGES[digit - 1] };
  return undefined;
}

/** Every key, as the help overlay and the README list them. */
export const KEY_HELP: readonly { readonly keys: string; readonly does: string }[] = [
  { keys: '→  l', does: 'next step' },
  { keys: '←  h', does: 'previous step (the cluster exactly as it was then)' },
  { keys: 'space', does: 'play / pause' },
  { keys: '+  -', does: 'play faster / slower' },
  { keys: 'n', does: 'next step that is not a heartbeat (stops at every failure)' },
  { keys: '1 2 3 4', does: 'first step of each stage for the followed node (Tab switches)' },
  { keys: 'g  G', does: 'first / last step' },
  { keys: '↑ ↓  k j', does: 'move the selection in the message list' },
  { keys: 'Enter', does: 'inspect the selected step (on a folded row: unfold it)' },
  { keys: 'Esc', does: 'close the inspector, help or filter' },
  { keys: 'e', does: 'fold / unfold all heartbeat runs' },
  { keys: 'f', does: 'filter the steps by component' },
  { keys: 'Tab', does: 'switch the node the stage bar follows' },
  { keys: 'o', does: "goals: the scenario's expect: entries, ticked as they hold (←→ still step)" },
  { keys: 's', does: 'serve this cluster to kubectl on 127.0.0.1 (writes kube-learn.kubeconfig)' },
  { keys: '1-9', does: 'at a checkpoint question: answer it (Enter goes on, Esc skips it)' },
  { keys: '?', does: 'this help: keys, marks, glossary (↑↓ PgUp PgDn scroll)' },
  { keys: 'q  Ctrl-C', does: 'quit' },
];
