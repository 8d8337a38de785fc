import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { fileURLToPath } from 'node:url';
import { App } from './app.js';
import { Session } from '../cluster/session.js';
import { loadScenarioFile, type Scenario } from '../scenario/index.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

/** The player over the real first-node scenario, as `kube-learn play first-node` runs it. */
let scenario: Scenario;
beforeAll(() => {
  const loaded = loadScenarioFile(fileURLToPath(new URL('../../scenarios/first-node.yaml', import.meta.url)));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  scenario = loaded.scenario;
});
afterEach(() => during(cleanup));

async function play(session: Session, size = { columns: 100, rows: 30 }) {
  return mount(() => render(<App session={session} size={size} prefetch={false} sliceMs={Infinity} />));
}

describe('playing first-node', () => {
  it('starts on the intro, then shows the four stages and a step counter', async () => {
    const { stdin, lastFrame } = await play(new Session(scenario));
    expect(lastFrame()).toContain(scenario.metadata.title);
    await press(stdin, KEY.ENTER);
    for (const stage of ['Authentication', 'Registration', 'Synchronization', 'Networking']) expect(lastFrame()).toContain(stage);
    expect(stepOnScreen(lastFrame())).toBe(1);
  });

  it('asks the simulation only for the steps it shows', async () => {
    const session = new Session(scenario);
    const { stdin } = await play(session);
    await press(stdin, KEY.ENTER, KEY.RIGHT, KEY.RIGHT);
    expect(session.steps.length).toBeLessThan(20);
    expect(session.finished).toBe(false);
  });

  it('→ three times moves by 3; ← moves back by 1 to exactly the screen of that step', async () => {
    // Without its checkpoints, which would stop the stepping to ask their questions.
    const session = new Session({ ...scenario, spec: { ...scenario.spec, checkpoints: [] } });
    session.runToEnd();
    const { stdin, lastFrame } = await play(session);
    await press(stdin, KEY.ENTER, '2');
    const start = stepOnScreen(lastFrame());
    await press(stdin, KEY.RIGHT, KEY.RIGHT);
    const before = lastFrame();
    await press(stdin, KEY.RIGHT);
    expect(stepOnScreen(lastFrame())).toBe(start + 3);
    await press(stdin, KEY.LEFT);
    expect(lastFrame()).toBe(before);
  });

  it('3 jumps to the first Synchronization step of the followed node; G reaches the end with the store’s pods on show', async () => {
    const session = new Session(scenario);
    const { stdin, lastFrame } = await play(session, { columns: 80, rows: 24 });
    await press(stdin, KEY.ENTER, '3');
    // A checkpoint on the way asks its question first; Esc skips it and the jump goes on.
    let asked = 0;
    while (lastFrame()!.includes('Checkpoint ') && asked < scenario.spec.checkpoints.length) {
      asked++;
      await press(stdin, KEY.ESC);
    }
    const first = session.steps.find((s) => s.stage === 'synchronization' && s.node === 'worker-1' && !s.heartbeat)!;
    expect(first.step).toBeGreaterThan(session.steps.find((s) => s.stage === 'synchronization')!.step);
    expect(stepOnScreen(lastFrame())).toBe(first.step);
    expect(lastFrame()).toContain(`Step ${first.step} Synchronization`);
    await press(stdin, 'G');
    expect(session.finished).toBe(true);
    expect(stepOnScreen(lastFrame())).toBe(session.steps.length);
    // Passing the end passes every checkpoint: each asks its question first; Esc skips them.
    const checkpoints = scenario.spec.checkpoints.length;
    expect(checkpoints).toBeGreaterThan(0);
    for (let i = asked + 1; i <= checkpoints; i++) {
      expect(lastFrame()).toContain(`Checkpoint ${i} of ${checkpoints}`);
      await press(stdin, KEY.ESC);
    }
    // The pods the store holds at the end, replayed here the obvious way.
    const pods = new Map<string, { metadata: { name: string }; status?: { phase?: string } }>();
    for (const step of session.steps) {
      if (step.kind !== 'request' || !step.key?.startsWith('/registry/pods/') || step.after === undefined) continue;
      if (step.after === null) pods.delete(step.key);
      else pods.set(step.key, step.after as { metadata: { name: string }; status?: { phase?: string } });
    }
    // The panel lists pods by namespace/name; the first one is on screen even at 80×24.
    const [key] = [...pods.keys()].sort();
    const pod = pods.get(key)!;
    expect(pod).toBeDefined();
    expect(lastFrame()).toMatch(new RegExp(`${pod.metadata.name} +\\d+/\\d+ +${pod.status?.phase ?? 'Pending'} `));
  });
});
