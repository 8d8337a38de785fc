import { describe, expect, it } from 'vitest';
import { firstOfStage, firstStep, lastStep, nextNonHeartbeat, nextStep, previousStep, type Cursor } from './navigation.js';
import { StepIndex } from './step-index.js';
import { FixtureSource } from '../../test/tui/fixtures.js';

function cursor(filter?: string): Cursor & { source: FixtureSource } {
  const source = new FixtureSource();
  return { source, index: new StepIndex(() => source.steps), filter };
}

describe('navigation', () => {
  it('steps forward and back one at a time, simulating only as far as needed', () => {
    const c = cursor();
    expect(firstStep(c)).toBe(1);
    expect(c.source.steps.length).toBe(1);
    expect(nextStep(c, 1)).toBe(2);
    expect(c.source.steps.length).toBe(2);
    expect(previousStep(c, 2)).toBe(1);
    expect(previousStep(c, 1)).toBeUndefined();
  });

  it('stops at the last step', () => {
    const c = cursor();
    expect(lastStep(c)).toBe(19);
    expect(nextStep(c, 19)).toBeUndefined();
  });

  it('skips heartbeats with n', () => {
    const c = cursor();
    expect(nextNonHeartbeat(c, 6)).toBe(11);
    expect(nextNonHeartbeat(c, 19)).toBeUndefined();
  });

  it('jumps to the first step of a stage, and says when there is none', () => {
    const c = cursor();
    expect(firstOfStage(c, 'registration')).toBe(4);
    expect(firstOfStage(c, 'synchronization')).toBe(11);
    expect(firstOfStage(c, 'networking')).toBeUndefined();
  });

  it('visits only the filtered component’s steps', () => {
    const c = cursor('kube-scheduler');
    expect(firstStep(c)).toBe(12);
    expect(nextStep(c, 12)).toBe(13);
    expect(nextStep(c, 13)).toBeUndefined();
    expect(previousStep(c, 13)).toBe(12);
    expect(lastStep(c)).toBe(13);
    expect(firstOfStage(c, 'synchronization')).toBe(12);
    expect(firstOfStage(c, 'authentication')).toBeUndefined();
  });
});
