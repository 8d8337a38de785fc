import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput, useStdin } from 'ink';
import { clusterPanel } from '../view/cluster-panel.js';
import { screenLayout } from '../view/layout.js';
import type { MessageRow } from '../view/message-list.js';
import { stageProgress } from '../view/stage-progress.js';
import { checkpointPlace, checkpointScore, formatScore } from '../view/checkpoints.js';
import type { Checkpoint } from '../scenario/index.js';
import type { StepSource } from '../view/step-source.js';
import { keyToAction, type Mode } from './keymap.js';
import { filterChoices, INITIAL_STATE, reduceWithin, retryPending, STEP_RATES, type PlayerAction, type PlayerContext, type PlayerState } from './player.js';
import { simulatingNotice } from './simulating.js';
import { useIndexes } from './hooks/use-indexes.js';
import { usePlayback } from './hooks/use-playback.js';
import { usePrefetch } from './hooks/use-prefetch.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { helpScreenLines } from './help-lines.js';
import type { HelpLine } from '../view/help.js';
import { IntroScreen } from './components/IntroScreen.js';
import { KeyHints } from './components/KeyHints.js';
import { MainScreen } from './components/MainScreen.js';
import { TooSmall } from './components/TooSmall.js';

/** The player's inputs: what to play, and (for tests) the terminal size and whether to simulate ahead. */
export interface AppProps {
  /** The scenario being played (a `Session`, or any list of steps in tests). */
  readonly session: StepSource;
  /** Terminal size; read from stdout and its resize events when absent. */
  readonly size?: TerminalSize;
  /** Simulate ahead between keypresses so `step N/M` knows M (default on). */
  readonly prefetch?: boolean;
  /** Told the checkpoint score ("2 of 3 checkpoints right") whenever an answer changes it. */
  readonly onScore?: (score: string) => void;
  /** `s`: serve the cluster to real clients (kube-learn serve); resolves with what to tell the user. */
  readonly onServe?: () => Promise<string>;
  /**
   * Longest stretch of simulation (ms) a key or play tick may take before the UI gets the event
   * loop back; a key that needs more goes on in slices of this size, with progress on screen.
   */
  readonly sliceMs?: number;
}

/** Default `sliceMs`: short enough that keys, Ctrl-C and signals are answered at once. */
export const SLICE_MS = 15;
/** How often the progress line is redrawn while a key waits for the simulation. */
const PROGRESS_MS = 100;

/** Exit code after `q`. */
export const EXIT_QUIT = 0;
/** Exit code after Ctrl-C, as a shell reports an interrupt (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * The root of the player, and the only place that ends it: `exit(code)` on q or Ctrl-C, and
 * `exit(error)` when something breaks, so `playInteractive` can restore the terminal and report.
 */
export function App({ session, size, prefetch = true, onScore, onServe, sliceMs = SLICE_MS }: AppProps) {
  const { exit } = useApp();
  const fail = useCallback((error: unknown) => exit(error instanceof Error ? error : new Error(String(error))), [exit]);
  const terminal = useTerminalSize(size);
  const [state, setState] = useState<PlayerState>(INITIAL_STATE);
  usePrefetch(session, prefetch, fail, state.current);
  const indexes = useIndexes(session);
  /** Applies an action; if the core throws, the app ends with that error instead of crashing mid-render. */
  const update = (next: (s: PlayerState) => PlayerState) =>
    setState((s) => {
      try {
        return next(s);
      } catch (error) {
        queueMicrotask(() => fail(error));
        return s;
      }
    });
  const nodes = useMemo(() => session.scenario.spec.nodes.map((n) => n.name), [session]);
  const layout = screenLayout(terminal.columns, terminal.rows, nodes.length);
  const helpLines = useMemo(() => helpScreenLines(layout.columns), [layout.columns]);
  const ctx: PlayerContext = {
    source: session,
    index: indexes.steps,
    messages: indexes.messages,
    nodes,
    listRows: layout.listRows,
    inspectorRows: layout.overlayRows,
    inspectorLength: (step) => indexes.inspector(step, layout.columns).length,
    helpLength: helpLines.length,
  };
  const mode = modeOf(state, layout.tooSmall);
  const apply = (s: PlayerState, action: PlayerAction) => reduceWithin(s, action, ctx, sliceMs);
  const latest = useRef({ ctx, state, setState });
  latest.current = { ctx, state, setState };
  useSimulatingAhead(state.pending, sliceMs, latest, fail);

  // Raw mode (and so key input) needs a real terminal; on a pipe Ink reports undefined, not false.
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      // Keys typed faster than they are read arrive as one string ("nnn"): take them one by one.
      for (const one of input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input]) {
        // q and Ctrl-C mean the same on every screen; other keys are read against the latest
        // state, since several keys can arrive before the screen re-renders.
        const exitAction = keyToAction(one, key, 'small');
        if (exitAction?.type === 'quit') return exit(EXIT_QUIT);
        if (exitAction?.type === 'interrupt') return exit(EXIT_INTERRUPTED);
        if (keyToAction(one, key, modeOf(state, layout.tooSmall))?.type === 'serve') {
          const say = (notice: string) => update((s) => ({ ...s, notice }));
          if (!onServe) say('serving needs `kube-learn play` in a terminal');
          else onServe().then(say, (error: unknown) => say(`cannot serve: ${error instanceof Error ? error.message : String(error)}`));
          continue;
        }
        update((s) => {
          const action = keyToAction(one, key, modeOf(s, layout.tooSmall));
          return action ? apply(s, action) : s;
        });
      }
    },
    { isActive: isRawModeSupported === true },
  );
  useEffect(() => {
    if (state.answers.size > 0) onScore?.(formatScore(checkpointScore(session.scenario.spec.checkpoints, state.answers)));
  }, [state.answers, session, onScore]);
  const rate = STEP_RATES[state.speedIndex];
  usePlayback(state.playing && (mode === 'main' || mode === 'goals'), rate, (steps) => update((s) => apply(s, { type: 'tick', steps })), fail);

  if (layout.tooSmall) return <TooSmall columns={terminal.columns} rows={terminal.rows} />;
  if (state.screen === 'intro') {
    if (state.overlay === 'none') return <IntroScreen scenario={session.scenario} width={layout.columns} height={layout.height} />;
    return (
      <Box flexDirection="column" width={layout.columns} height={layout.height}>
        <HelpOverlay lines={helpLines} scroll={state.helpScroll} width={layout.columns} height={layout.height - 2} />
        <KeyHints mode="help" width={layout.columns} multiNode={false} />
      </Box>
    );
  }
  // While a key waits for the simulation, the hint line says how far it has got.
  const shown = state.pending || state.catchingUp ? { ...state, notice: simulatingNotice(session, state.pending) } : state;
  return <Box>{renderMain(session, shown, mode, layout, ctx, indexes, rate, helpLines)}</Box>;
}

/**
 * While a key is pending, tries it again on every turn of the event loop, one slice of
 * simulation each time; between the slices Ink reads keys (another G, q, Ctrl-C) and Node
 * delivers signals. The work is done here, not in a state updater (React may hold those back),
 * and the screen is redrawn every PROGRESS_MS to show the simulated time.
 */
function useSimulatingAhead(
  pending: PlayerAction | undefined,
  sliceMs: number,
  latest: { readonly current: { ctx: PlayerContext; state: PlayerState; setState: (next: (s: PlayerState) => PlayerState) => void } },
  onError: (error: unknown) => void,
): void {
  const [, redraw] = useState(0);
  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    let handle: NodeJS.Immediate | undefined;
    let drawn = performance.now();
    const slice = () => {
      if (stopped) return;
      try {
        const { state, ctx, setState } = latest.current;
        if (state.pending !== pending) return;
        const next = retryPending(state, ctx, sliceMs);
        if (next.pending !== pending) {
          // Answered: shown unless another key has changed the state meanwhile.
          stopped = true;
          setState((s) => (s === state ? next : s));
          return;
        }
        if (performance.now() - drawn >= PROGRESS_MS) {
          drawn = performance.now();
          redraw((n) => n + 1);
        }
        handle = setImmediate(slice);
      } catch (error) {
        onError(error);
      }
    };
    handle = setImmediate(slice);
    return () => {
      stopped = true;
      if (handle) clearImmediate(handle);
    };
  }, [pending, sliceMs, latest, onError]);
}

function modeOf(state: PlayerState, tooSmall: boolean): Mode {
  if (tooSmall) return 'small';
  if (state.overlay !== 'none') return state.overlay;
  return state.screen === 'intro' ? 'intro' : 'main';
}

function renderMain(
  session: StepSource,
  state: PlayerState,
  mode: Mode,
  layout: ReturnType<typeof screenLayout>,
  ctx: PlayerContext,
  indexes: ReturnType<typeof useIndexes>,
  rate: number,
  helpLines: readonly HelpLine[],
) {
  const stepOf = (n: number) => session.steps[n - 1];
  const current = state.current ? stepOf(state.current) : undefined;
  const { rows, selectedRow } = listWindow(state, ctx, layout.listRows);
  const selected = rows[selectedRow];
  const explained = selected?.kind === 'step' ? stepOf(selected.step) : current;
  const focusNode = ctx.nodes[state.focus];
  return (
    <MainScreen
      layout={layout}
      state={state}
      mode={mode}
      title={session.scenario.metadata.title}
      current={current}
      total={session.steps.length}
      finished={session.finished}
      rate={rate}
      nodes={ctx.nodes}
      stages={stageProgress(indexes.steps, focusNode, state.current, session.scenario.metadata.stages)}
      rows={rows}
      selectedRow={selectedRow}
      explained={explained}
      stepOf={stepOf}
      cluster={clusterPanel(indexes.clusterStates.at(state.current), ctx.nodes, indexes.clusterPanel, layout.podRows)}
      inspector={state.overlay === 'inspector' && state.inspected ? indexes.inspector(state.inspected, layout.columns) : []}
      filterChoices={state.overlay === 'filter' ? filterChoices(ctx) : []}
      helpLines={helpLines}
      checkpoints={session.scenario.spec.checkpoints}
      checkpointPlaces={session.scenario.spec.checkpoints.map((c) => checkpointPlace(c, session.scenario.spec.timeline))}
      score={scoreText(session.scenario.spec.checkpoints, state.answers)}
      goals={session.scenario.spec.expect.length ? indexes.goals.at(state.current) : []}
    />
  );
}

function scoreText(checkpoints: readonly Checkpoint[], answers: PlayerState['answers']): string | undefined {
  if (checkpoints.length === 0) return undefined;
  const score = checkpointScore(checkpoints, answers);
  return `${score.right}/${score.total} right`;
}

/** The rows on screen: they end at the current step, unless the selection has scrolled above them. */
function listWindow(state: PlayerState, ctx: PlayerContext, height: number): { rows: MessageRow[]; selectedRow: number } {
  const all = ctx.messages(state.filter).rowsEndingAt(state.current, Math.max(height, state.selection + 1), state.expanded, state.expandAll);
  if (state.selection < height) {
    const rows = all.slice(-height);
    return { rows, selectedRow: rows.length - 1 - state.selection };
  }
  return { rows: all.slice(0, height), selectedRow: 0 };
}
