import { Box } from 'ink';
import type { Step } from '../../sim/trace.js';
import type { ClusterPanelModel } from '../../view/cluster-panel.js';
import type { InspectorLine } from '../../view/inspector.js';
import type { HelpLine } from '../../view/help.js';
import type { ScreenLayout } from '../../view/layout.js';
import type { MessageRow } from '../../view/message-list.js';
import type { StageCell } from '../../view/stage-progress.js';
import type { PlayerState } from '../player.js';
import type { Mode } from '../keymap.js';
import type { Checkpoint } from '../../scenario/index.js';
import type { Goal } from '../../view/goals.js';
import { goalSummary } from '../../view/goals-panel.js';
import { GoalsPanel } from './GoalsPanel.js';
import { Banner } from './Banner.js';
import { CheckpointPanel } from './CheckpointPanel.js';
import { ClusterPanel } from './ClusterPanel.js';
import { Explanation } from './Explanation.js';
import { FilterPicker } from './FilterPicker.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Inspector } from './Inspector.js';
import { KeyHints } from './KeyHints.js';
import { MessageList } from './MessageList.js';
import { StageBar } from './StageBar.js';

/** Everything the main screen draws, already derived from the steps (see app.tsx). */
export interface MainScreenProps {
  readonly layout: ScreenLayout;
  readonly state: PlayerState;
  readonly mode: Mode;
  readonly title: string;
  readonly current?: Step;
  readonly total: number;
  readonly finished: boolean;
  readonly rate: number;
  readonly nodes: readonly string[];
  readonly stages: readonly StageCell[];
  readonly rows: readonly MessageRow[];
  readonly selectedRow: number;
  /** The step the explanation is about (the selected one, else the current one). */
  readonly explained?: Step;
  readonly stepOf: (n: number) => Step;
  readonly cluster: ClusterPanelModel;
  readonly inspector: readonly InspectorLine[];
  readonly filterChoices: readonly (string | undefined)[];
  /** The help screen's lines (keys, legend, glossary). */
  readonly helpLines: readonly HelpLine[];
  readonly checkpoints: readonly Checkpoint[];
  /** Where each checkpoint sits, in words, as its panel's title says it. */
  readonly checkpointPlaces: readonly string[];
  /** "2/3 right" once the scenario has checkpoints; shown in the header. */
  readonly score?: string;
  /** The scenario's goals as they stand after the current step (empty: it has none). */
  readonly goals: readonly Goal[];
}

/**
 * The player: header, stage bar, failure banner, then the message list, the cluster panel and
 * the explanation (or an overlay in their place: inspector, help, filter), and key hints.
 */
export function MainScreen(props: MainScreenProps) {
  const { layout, state, current, explained } = props;
  const width = layout.columns;
  return (
    <Box flexDirection="column" width={width} height={layout.height}>
      <Header
        title={props.title}
        width={width}
        nowMs={current?.t ?? 0}
        current={state.current}
        total={props.total}
        finished={props.finished}
        playing={state.playing}
        rate={props.rate}
        score={props.score}
      />
      <StageBar node={props.nodes[state.focus]} nodeIndex={state.focus} nodeCount={props.nodes.length} cells={props.stages} width={width} />
      <Banner text={current?.kind === 'failure' ? (current.banner ?? current.summary) : undefined} recovery={isRecovery(current)} width={width} />
      {state.overlay === 'none' ? (
        <>
          <MessageList
            rows={props.rows}
            stepOf={props.stepOf}
            selected={props.selectedRow}
            current={state.current}
            width={width}
            height={layout.listRows}
            showTime={width >= 100}
            filter={state.filter}
            goals={props.goals.length ? goalSummary(props.goals) : undefined}
          />
          {layout.wide ? (
            <Box flexDirection="row" width={width}>
              <ClusterPanel model={props.cluster} atStep={state.current} width={layout.panelWidth} height={layout.panelRows} podRows={layout.podRows} />
              <Box width={2} />
              <Explanation step={explained} selected={explained !== current} width={layout.explanationWidth} height={layout.explanationRows} />
            </Box>
          ) : (
            <>
              <ClusterPanel model={props.cluster} atStep={state.current} width={width} height={layout.panelRows} podRows={layout.podRows} />
              <Explanation step={explained} selected={explained !== current} width={width} height={layout.explanationRows} />
            </>
          )}
        </>
      ) : (
        <Overlay {...props} height={layout.overlayRows} />
      )}
      <KeyHints mode={props.mode} width={width} notice={state.notice} multiNode={props.nodes.length > 1} goals={props.goals.length > 0} />
    </Box>
  );
}

function isRecovery(step: Step | undefined): boolean {
  const state = (step?.detail as { state?: string } | undefined)?.state;
  return step?.kind === 'failure' && (state === 'up' || state === 'healed');
}

function Overlay(props: MainScreenProps & { readonly height: number }) {
  const { state, layout, height } = props;
  if (state.overlay === 'help') return <HelpOverlay lines={props.helpLines} scroll={state.helpScroll} width={layout.columns} height={height} />;
  if (state.overlay === 'checkpoint' && state.asking !== undefined && props.checkpoints[state.asking]) {
    return <CheckpointPanel checkpoint={props.checkpoints[state.asking]} place={props.checkpointPlaces[state.asking] ?? ''} position={state.asking} total={props.checkpoints.length} chosen={state.chosen} width={layout.columns} height={height} />;
  }
  if (state.overlay === 'goals') return <GoalsPanel goals={props.goals} width={layout.columns} height={height} />;
  if (state.overlay === 'filter') {
    return <FilterPicker choices={props.filterChoices} cursor={state.filterCursor} active={state.filter} width={layout.columns} height={height} />;
  }
  return <Inspector step={state.inspected ?? 0} lines={props.inspector} scroll={state.inspectorScroll} width={layout.columns} height={height} />;
}
