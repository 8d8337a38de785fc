import { Box, Text } from 'ink';
import type { Goal } from '../../view/goals.js';
import { goalRows, goalSummary } from '../../view/goals-panel.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of GoalsPanel; every value is already derived, the component only draws it. */
export interface GoalsPanelProps {
  /** The goals as they stand right after the step on screen. */
  readonly goals: readonly Goal[];
  readonly width: number;
  /** Lines of text (the title line is extra). */
  readonly height: number;
}

const COLOR = { met: 'green', missed: 'red', waiting: undefined } as const;

/** The scenario's expect: entries in place of the message list: ✓ met, ✗ missed, ○ still open. */
export function GoalsPanel({ goals, width, height }: GoalsPanelProps) {
  const rows = goalRows(goals, width, height);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title="Goals" note={`(${goalSummary(goals).replace(/^goals /, '')} at this step; o or Esc closes)`} width={width} />
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row.mark ? <Text bold color={row.status ? COLOR[row.status] : undefined} dimColor={row.status === 'waiting'}>{`${row.mark} `}</Text> : <Text>  </Text>}
          <Text dimColor={row.status === 'waiting'}>{row.text}</Text>
          <Text dimColor color={row.status === 'missed' && !row.text ? 'red' : undefined}>{row.detail || (row.text ? '' : ' ')}</Text>
        </Text>
      ))}
    </Box>
  );
}
