import { describe, expect, it } from 'vitest';
import { StepIndex } from './step-index.js';
import { stageProgress } from './stage-progress.js';
import { fixtureSteps } from '../../test/tui/fixtures.js';

const steps = fixtureSteps();
const stages = ['authentication', 'registration', 'synchronization'] as const;
const statuses = (node: string, at: number) => stageProgress(new StepIndex(() => steps), node, at, stages).map((c) => c.status);

describe('stageProgress', () => {
  it('shows every stage upcoming before the node does anything', () => {
    expect(statuses('worker-1', 1)).toEqual(['upcoming', 'upcoming', 'upcoming', 'upcoming']);
  });

  it('moves the current stage along as the node goes through them', () => {
    expect(statuses('worker-1', 2)).toEqual(['current', 'upcoming', 'upcoming', 'upcoming']);
    expect(statuses('worker-1', 4)).toEqual(['done', 'current', 'upcoming', 'upcoming']);
    expect(statuses('worker-1', 12)).toEqual(['done', 'done', 'current', 'upcoming']);
  });

  it('ignores heartbeats, so lease renewals do not pull the bar back', () => {
    expect(statuses('worker-1', 10)).toEqual(['done', 'current', 'upcoming', 'upcoming']);
  });

  it('follows each node separately', () => {
    expect(statuses('worker-2', 12)).toEqual(['upcoming', 'upcoming', 'upcoming', 'upcoming']);
    expect(statuses('worker-2', 18)).toEqual(['done', 'current', 'upcoming', 'upcoming']);
  });

  it('marks the stages the scenario does not cover', () => {
    const cells = stageProgress(new StepIndex(() => steps), 'worker-1', 1, stages);
    expect(cells.map((c) => [c.label, c.inScenario])).toEqual([
      ['Authentication', true],
      ['Registration', true],
      ['Synchronization', true],
      ['Networking', false],
    ]);
  });
});
