import { Box, Text } from 'ink';
import type { StageCell } from '../../view/stage-progress.js';

/** Props of StageBar; every value is already derived, the component only draws it. */
export interface StageBarProps {
  /** The node the bar follows (undefined in a scenario without nodes). */
  readonly node?: string;
  /** Position of the node among the scenario's nodes (Tab moves to the next). */
  readonly nodeIndex: number;
  readonly nodeCount: number;
  readonly cells: readonly StageCell[];
  readonly width: number;
}

const MARK = { done: '✓', current: '●', upcoming: '○' } as const;
const COLOR = { done: 'green', current: 'cyan', upcoming: undefined } as const;

/** The four stages for the node in focus: done (✓), current (●) or still to come (○). */
export function StageBar({ node, nodeIndex, nodeCount, cells, width }: StageBarProps) {
  const name = node ?? 'cluster';
  const cellsWidth = cells.reduce((n, c) => n + c.label.length + 2, 0);
  // Roomy when it fits: " › " between stages and the node's position; tighter at 80 columns.
  const roomy = name.length + 8 + cellsWidth + 3 * (cells.length - 1) <= width;
  const who = roomy && nodeCount > 1 ? `${name} (${nodeIndex + 1}/${nodeCount})` : name;
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
        <Text bold>{who}</Text>
        {cells.map((cell, i) => (
          <Text key={cell.stage}>
            <Text dimColor>{i === 0 ? '  ' : roomy ? ' › ' : '  '}</Text>
            <Text color={cell.inScenario ? COLOR[cell.status] : undefined} dimColor={!cell.inScenario || cell.status === 'upcoming'} bold={cell.status === 'current'}>
              {MARK[cell.status]} {cell.label}
            </Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
