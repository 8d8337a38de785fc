import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Session } from '../cluster/session.js';
import { generatedScenario } from './generate.js';
import { createIndexes } from '../ui/hooks/use-indexes.js';
import { INITIAL_STATE, reduce, type PlayerAction, type PlayerContext, type PlayerState } from '../ui/player.js';
import { clusterPanel } from '../view/cluster-panel.js';
import { clusterPanelLines } from '../view/cluster-table.js';
import { screenLayout } from '../view/layout.js';
import { stageProgress } from '../view/stage-progress.js';

/**
 * The player's history at scale, run alone in a child process (its peak memory is its own): a
 * generated cluster (`nodes` workers, 30 pods each, 24 h) played to step `steps` as the terminal
 * player holds it (the Session's recorded steps plus the player's indexes), then stepped back
 * and forward there. Each timed step is the key's effect (`reduce`) plus the data the frame is
 * drawn from (message rows, stage bar, the cluster panel's rows at that step, laid out); Ink's drawing of the frame is
 * not included.
 */
export interface PlayerHistoryResult {
  readonly nodes: number;
  readonly steps: number;
  readonly virtualMs: number;
  readonly simulateCpuSeconds: number;
  /** Resident memory after the history is built (after a full GC when --expose-gc is given). */
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly peakRssMiB: number;
  /** The first frame at the last step (indexes built up to it). */
  readonly jumpMs: number;
  /** One step back or forward from there: median and worst of the timed keys. */
  readonly stepMedianMs: number;
  readonly stepMaxMs: number;
  /** Of the slowest key's time, how much V8 spent collecting garbage (gc performance entries). */
  readonly stepMaxGcMs: number;
  /** The slowest key with its garbage-collection time taken out. */
  readonly stepMaxWithoutGcMs: number;
  readonly keysTimed: number;
}

const MiB = 1 << 20;
const round = (n: number) => Math.round(n * 100) / 100;

export async function runPlayerHistory(nodes: number, steps: number): Promise<PlayerHistoryResult> {
  const scenario = generatedScenario(nodes, 30, '24h', 'pods');
  const cpuBefore = process.cpuUsage();
  const session = new Session({ ...scenario, spec: { ...scenario.spec, checkpoints: [] } });
  while (session.steps.length < steps && !session.finished) session.ensure(Math.min(steps, session.steps.length + 4096));
  const cpu = process.cpuUsage(cpuBefore);
  // A fixed history, as the player has it once the simulation got that far.
  const held = session.steps.slice(0, steps);
  const source = { scenario: session.scenario, steps: held, finished: true, ensure: () => {} };
  const indexes = createIndexes(source);
  const nodeNames = scenario.spec.nodes.map((n) => n.name);
  const layout = screenLayout(120, 40, nodeNames.length);
  const ctx: PlayerContext = {
    source,
    index: indexes.steps,
    messages: indexes.messages,
    nodes: nodeNames,
    listRows: layout.listRows,
    inspectorRows: layout.overlayRows,
    inspectorLength: (step) => indexes.inspector(step, layout.columns).length,
    helpLength: 40,
  };
  const frame = (s: PlayerState) => {
    indexes.messages(s.filter).rowsEndingAt(s.current, layout.listRows, s.expanded, s.expandAll);
    stageProgress(indexes.steps, nodeNames[s.focus], s.current, scenario.metadata.stages);
    const model = clusterPanel(indexes.clusterStates.at(s.current), nodeNames, indexes.clusterPanel, layout.podRows);
    clusterPanelLines(model, layout.panelWidth, layout.panelRows, layout.podRows);
  };
  const pressed: { start: number; end: number }[] = [];
  const press = (s: PlayerState, action: PlayerAction): PlayerState => {
    const start = performance.now();
    const next = reduce(s, action, ctx);
    frame(next);
    pressed.push({ start, end: performance.now() });
    return next;
  };
  let state = press({ ...INITIAL_STATE, screen: 'main', current: 1 }, { type: 'last' });
  const jumpMs = pressed[0].end - pressed[0].start;
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  // The full collection above is the benchmark's own (to read the heap), not the player's; its
  // sweeping goes on in the background for a while and would be charged to the first keys. A
  // learner looks at the frame after G for longer than this before pressing a key.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const gcs: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  pressed.length = 0;
  // As a learner would: back through the last 50 steps, then forward again.
  for (let i = 0; i < 100; i++) state = press(state, { type: i < 50 ? 'previous' : 'next' });
  // gc entries arrive asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  const gcWithin = ({ start, end }: { start: number; end: number }) =>
    gcs.reduce((sum, gc) => sum + Math.max(0, Math.min(end, gc.startTime + gc.duration) - Math.max(start, gc.startTime)), 0);
  const keys = pressed.map((p) => ({ ms: p.end - p.start, gcMs: gcWithin(p) }));
  const times = keys.map((k) => k.ms).sort((a, b) => a - b);
  const slowest = keys.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    nodes,
    steps: held.length,
    virtualMs: held.length ? held[held.length - 1].t : 0,
    simulateCpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
    rssMiB: Math.round(memory.rss / MiB),
    heapUsedMiB: Math.round(memory.heapUsed / MiB),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    jumpMs: round(jumpMs),
    stepMedianMs: round(times[times.length >> 1]),
    stepMaxMs: round(times[times.length - 1]),
    stepMaxGcMs: round(slowest.gcMs),
    stepMaxWithoutGcMs: round(Math.max(...keys.map((k) => k.ms - k.gcMs))),
    keysTimed: times.length,
  };
}

// Child-process entry: `node --expose-gc dist/bench/player-history.js <nodes> <steps>` prints one JSON line.
if (process.argv[1]?.endsWith('player-history.js') && process.argv.length >= 4) {
  process.stdout.write(`${JSON.stringify(await runPlayerHistory(Number(process.argv[2]), Number(process.argv[3])))}\n`);
}
