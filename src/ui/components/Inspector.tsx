import { Box, Text } from 'ink';
import type { InspectorLine } from '../../view/inspector.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of Inspector; every value is already derived, the component only draws it. */
export interface InspectorProps {
  readonly step: number;
  readonly lines: readonly InspectorLine[];
  /** Index of the first line shown. */
  readonly scroll: number;
  readonly width: number;
  /** Lines of content (the title line is extra). */
  readonly height: number;
}

const TONES: Record<InspectorLine['tone'], { color?: string; bold?: boolean; dimColor?: boolean }> = {
  title: { bold: true, color: 'cyan' },
  heading: { bold: true },
  plain: {},
  dim: { dimColor: true },
  add: { color: 'green' },
  remove: { color: 'red' },
  error: { color: 'red', bold: true },
};

/** One step in full: bodies as YAML, the stored object as a diff, identity and store position. */
export function Inspector({ step, lines, scroll, width, height }: InspectorProps) {
  const shown = lines.slice(scroll, scroll + height);
  const position = lines.length > height ? `lines ${scroll + 1}–${scroll + shown.length} of ${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title={`Inspector · step ${step}`} note={position} width={width} />
      {shown.map((line, i) => (
        <Text key={scroll + i} wrap="truncate-end" {...TONES[line.tone]}>
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
