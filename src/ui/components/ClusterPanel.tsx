import { Box, Text } from 'ink';
import type { ClusterPanelModel } from '../../view/cluster-panel.js';
import { componentLines, nodeTable, podTable, type Cell } from '../../view/cluster-table.js';
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
  const components = componentLines(model.components, width);
  const pods = podRows - (components.length - 1);
  const nodeRows = Math.max(1, height - 3 - components.length - Math.max(1, pods));
  const nodes = nodeTable(model.nodes, width);
  const table = podTable(model.pods, width);
  const shownPods = model.pods.length > pods ? table.rows.slice(0, Math.max(0, pods - 1)) : table.rows;
  const hiddenPods = model.pods.length - shownPods.length;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <SectionTitle title="Cluster" note={`after step ${atStep}`} width={width} />
      {components.map((line, i) => (
        <Row key={i} cells={line} />
      ))}
      <Text dimColor wrap="truncate-end">
        {nodes.header}
      </Text>
      {nodes.rows.slice(0, nodeRows).map((cells, i) => (
        <Row key={model.nodes[i].name} cells={cells} />
      ))}
      <Text dimColor wrap="truncate-end">
        {table.header}
      </Text>
      {model.pods.length === 0 ? <Text dimColor>(no pods yet)</Text> : null}
      {shownPods.map((cells, i) => (
        <Row key={`${model.pods[i].namespace}/${model.pods[i].name}`} cells={cells} />
      ))}
      {hiddenPods > 0 ? <Text dimColor>{`+${hiddenPods} more pods`}</Text> : null}
    </Box>
  );
}
