import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../scenario/index.js';
import { withCheckpoints, type PlacedStep } from './transcript.js';

const question: Checkpoint = { after: { stage: 'authentication' }, question: 'Who signs?', choices: ['csrsigning', 'the kubelet'], answer: 1 };

describe('where run prints a checkpoint', () => {
  it('after the last step of its stage that is not a heartbeat', () => {
    const steps: PlacedStep[] = [
      { step: 1, stage: 'authentication', text: 'one\n' },
      { step: 2, stage: 'authentication', text: 'two\n' },
      { step: 3, stage: 'registration', text: 'three\n' },
      // A routine watch renewal filed under authentication, long after the story of the stage.
      { step: 4, stage: 'authentication', heartbeat: true, text: 'four\n' },
    ];
    const lines = withCheckpoints(steps, [question]).split('\n');
    expect(lines[0]).toBe('one');
    expect(lines[1]).toBe('two');
    expect(lines[2]).toContain('? checkpoint (after authentication): Who signs?');
    expect(lines.indexOf('three')).toBeGreaterThan(2);
  });

  it('after step N when it names a step', () => {
    const steps: PlacedStep[] = [1, 2, 3].map((n) => ({ step: n, stage: 'registration', text: `s${n}\n` }));
    const lines = withCheckpoints(steps, [{ ...question, after: { step: 2 } }]).split('\n');
    expect(lines.slice(0, 2)).toEqual(['s1', 's2']);
    expect(lines[2]).toContain('? checkpoint (after step 2)');
  });
});
