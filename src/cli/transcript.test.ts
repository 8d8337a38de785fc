import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../scenario/index.js';
import { placedRun, withCheckpoints, type PlacedStep } from './transcript.js';

const question: Checkpoint = { after: { stage: 'authentication' }, question: 'Who signs?', choices: ['csrsigning', 'the kubelet'], answer: 1 };

describe('where run prints a checkpoint', () => {
  it('after the last step of its stage that is not a heartbeat', () => {
    const steps: PlacedStep[] = [
      { step: 1, t: 0, stage: 'authentication', text: 'one\n' },
      { step: 2, t: 1, stage: 'authentication', text: 'two\n' },
      { step: 3, t: 2, stage: 'registration', text: 'three\n' },
      // A routine watch renewal filed under authentication, long after the story of the stage.
      { step: 4, t: 3, stage: 'authentication', heartbeat: true, text: 'four\n' },
    ];
    const lines = withCheckpoints(steps, [question]).split('\n');
    expect(lines[0]).toBe('one');
    expect(lines[1]).toBe('two');
    expect(lines[2]).toContain('? checkpoint (after authentication): Who signs?');
    expect(lines.indexOf('three')).toBeGreaterThan(2);
  });

  it('after step N when it names a step', () => {
    const steps: PlacedStep[] = [1, 2, 3].map((n) => ({ step: n, t: n * 1000, stage: 'registration', text: `s${n}\n` }));
    const lines = withCheckpoints(steps, [{ ...question, after: { step: 2 } }]).split('\n');
    expect(lines.slice(0, 2)).toEqual(['s1', 's2']);
    expect(lines[2]).toContain('? checkpoint (after step 2)');
  });

  it('at the first step at or after its time, whether or not a step falls on it exactly', () => {
    const steps: PlacedStep[] = [1, 2, 3, 4].map((n) => ({ step: n, t: n * 1000, stage: 'synchronization', text: `s${n}\n` }));
    const text = withCheckpoints(steps, [{ ...question, question: 'Q2500?', after: { atMs: 2500 } }, { ...question, question: 'Q2000?', after: { atMs: 2000 } }]);
    const lines = text.split('\n');
    expect(lines[2]).toContain('? checkpoint (at 2s): Q2000?');
    const s3 = lines.indexOf('s3');
    expect(s3).toBeGreaterThan(2);
    expect(lines[s3 + 1]).toContain('? checkpoint (at 2.5s): Q2500?');
  });

  it('right after its timeline action’s step, named by what the action does', () => {
    const steps: PlacedStep[] = [1, 2, 3].map((n) => ({ step: n, t: n * 1000, stage: 'synchronization', text: `s${n}\n` }));
    const timeline = [{ atMs: 2000, action: 'partition', node: 'worker-2', forMs: 60_000 }] as const;
    const text = withCheckpoints(steps, [{ ...question, after: { action: 0 } }], placedRun(steps, (i) => (i === 0 ? 2 : undefined)), timeline);
    const lines = text.split('\n');
    expect(lines[1]).toBe('s2');
    expect(lines[2]).toContain('? checkpoint (after partition worker-2 at 2s): Who signs?');
  });
});
