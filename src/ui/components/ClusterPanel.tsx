import { Box, Text } from 'ink';
import type { ClusterPanelModel } from '../../view/cluster-panel.js';
import { clusterPanelLines, type Cell } from '../../view/cluster-table.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of ClusterPanel; every value is already derived, the component only draws it. */
export interface ClusterPanelProps {
  readonly model: ClusterPanelModel;
  /** The step whose aftermath this is. */
  readonly atStep: number;
  readonly width: number;
  /** Rows including the title line. */
  readonly height: number;
  /** Rows for pods; the rest are summed up in a "+N more" line. */
  readonly podRows: number;
}

const TONE: Record<NonNullable<Cell['tone']>, { color?: string; dimColor?: boolean }> = {
  good: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red' },
  dim: { dimColor: true },
};

/** One row of cells, each in its colour. */
function Row({ cells }: { readonly cells: readonly Cell[] }) {
  return (
    <Text wrap="truncate-end">
      {cells.map((cell, i) => (
        <Text key={i} {...(cell.tone ? TONE[cell.tone] : {})}>
          {cell.text}
        </Text>
      ))}
    </Text>
  );
}

/**
 * The cluster as the store held it right after the current step: the control plane's health,
 * each node as the API sees it (Ready, lease age, taints) beside what the scenario did to it
 * (FAULT: cut off, down, kubelet stopped), and the pods.
 */
export function ClusterPanel({ model, atStep, width, height, podRows }: ClusterPanelProps) {
  const lines = clusterPanelLines(model, width, height, podRows);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <SectionTitle title="Cluster" note={`after step ${atStep}`} width={width} />
      {lines.components.map((line, i) => (
        <Row key={i} cells={line} />
      ))}
      <Text dimColor wrap="truncate-end">
        {lines.nodeHeader}
      </Text>
      {lines.nodes.map((row) => (
        <Row key={row.key} cells={row.cells} />
      ))}
      <Text dimColor wrap="truncate-end">
        {lines.podHeader}
      </Text>
      {model.podCount === 0 ? <Text dimColor>(no pods yet)</Text> : null}
      {lines.pods.map((row) => (
        <Row key={row.key} cells={row.cells} />
      ))}
      {lines.hiddenPods > 0 ? <Text dimColor>{`+${lines.hiddenPods} more pods`}</Text> : null}
    </Box>
  );
}
