import { Box, Text } from 'ink';
import { formatAge, type ClusterPanelModel, type NodeRow } from '../../view/cluster-panel.js';
import { fit } from '../../view/text.js';
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

/** The cluster as the store held it right after the current step. */
export function ClusterPanel({ model, atStep, width, height, podRows }: ClusterPanelProps) {
  const nodeRows = Math.max(1, height - 4 - podRows);
  const nodes = model.nodes.slice(0, nodeRows);
  const podWidth = Math.max(12, width - 34);
  const pods = model.pods.length > podRows ? model.pods.slice(0, podRows - 1) : model.pods;
  const hiddenPods = model.pods.length - pods.length;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <SectionTitle title="Cluster" note={`after step ${atStep}`} width={width} />
      <Text wrap="truncate-end">
        {model.components.map((c, i) => (
          <Text key={c.name}>
            <Text color={c.up ? 'green' : 'red'}>{`${i ? ' ' : ''}${c.up ? '●' : '○'}`}</Text>
            <Text dimColor={c.up}>{` ${c.name}${c.up ? '' : ' DOWN'}`}</Text>
          </Text>
        ))}
      </Text>
      <Text dimColor wrap="truncate-end">
        {fit('NODE', 11)}{fit('READY', 8)}{fit('LEASE', 7)}{fit('POD CIDR', 16)}TAINTS
      </Text>
      {nodes.map((node) => (
        <NodeLine key={node.name} node={node} />
      ))}
      <Text dimColor wrap="truncate-end">
        {fit('POD', podWidth)}{fit('PHASE', 11)}{fit('NODE', 11)}IP
      </Text>
      {model.pods.length === 0 ? <Text dimColor>(no pods yet)</Text> : null}
      {pods.map((pod) => (
        <Text key={`${pod.namespace}/${pod.name}`} wrap="truncate-end">
          {fit(pod.namespace === 'default' ? pod.name : `${pod.namespace}/${pod.name}`, podWidth)}
          <Text color={pod.phase === 'Running' ? 'green' : pod.phase === 'Failed' ? 'red' : 'yellow'}>{fit(pod.phase, 11)}</Text>
          {fit(pod.node ?? '—', 11)}
          {pod.ip ?? '—'}
        </Text>
      ))}
      {hiddenPods > 0 ? <Text dimColor>{`+${hiddenPods} more pods`}</Text> : null}
    </Box>
  );
}

function NodeLine({ node }: { readonly node: NodeRow }) {
  if (!node.registered && !node.fault) {
    return (
      <Text wrap="truncate-end">
        {fit(node.name, 11)}
        <Text dimColor>not registered yet</Text>
      </Text>
    );
  }
  const ready = node.fault === 'down' ? 'down' : node.fault === 'partitioned' ? 'cut off' : node.ready;
  const readyColor = ready === 'True' ? 'green' : ready === '—' ? undefined : 'red';
  return (
    <Text wrap="truncate-end">
      {fit(node.name, 11)}
      <Text color={readyColor}>{fit(ready, 8)}</Text>
      {fit(node.leaseAgeMs === undefined ? '—' : formatAge(node.leaseAgeMs), 7)}
      {fit(node.podCIDR ?? '—', 16)}
      {node.stopped.length ? <Text color="red">{`${node.stopped.join(', ')} stopped  `}</Text> : null}
      <Text color={node.taints.length ? 'yellow' : undefined}>{node.taints.length ? node.taints.join(', ') : '—'}</Text>
    </Text>
  );
}
