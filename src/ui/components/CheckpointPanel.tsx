import { Box, Text } from 'ink';
import type { Checkpoint } from '../../scenario/index.js';
import { checkpointLines } from '../../view/checkpoints.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of CheckpointPanel; every value is already derived, the component only draws it. */
export interface CheckpointPanelProps {
  readonly checkpoint: Checkpoint;
  /** Where it sits, in words ("after Authentication", "at 2m55s"). */
  readonly place: string;
  /** Its position among the scenario's checkpoints (0-based) and how many there are. */
  readonly position: number;
  readonly total: number;
  /** The choice made (1-based), once answered. */
  readonly chosen?: number;
  readonly width: number;
  /** Lines of text (the title line is extra). */
  readonly height: number;
}

const COLORS = { right: 'green', wrong: 'red' } as const;

/** A checkpoint question in place of the message list: choose 1-9, then read why. */
export function CheckpointPanel({ checkpoint, place, position, total, chosen, width, height }: CheckpointPanelProps) {
  const lines = checkpointLines(checkpoint, chosen, width, height);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title={`Checkpoint ${position + 1} of ${total}`} note={`(${place})`} width={width} />
      {lines.map((line, i) => (
        <Text
          key={i}
          wrap="truncate-end"
          bold={line.tone === 'question'}
          dimColor={line.tone === 'dim'}
          color={line.tone === 'right' || line.tone === 'wrong' ? COLORS[line.tone] : undefined}
        >
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
