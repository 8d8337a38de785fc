import { Box, Text } from 'ink';
import type { HelpLine } from '../../view/help.js';
import { fit } from '../../view/text.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of HelpOverlay; every value is already derived, the component only draws it. */
export interface HelpOverlayProps {
  /** The lines of the help screen (see helpScreenLines). */
  readonly lines: readonly HelpLine[];
  /** Index of the first line shown. */
  readonly scroll: number;
  readonly width: number;
  /** Lines of content (the title line is extra). */
  readonly height: number;
}

/** Keys, what the marks mean, and a glossary with links to the Kubernetes documentation. */
export function HelpOverlay({ lines, scroll, width, height }: HelpOverlayProps) {
  const shown = lines.slice(scroll, scroll + height);
  const more = lines.length > height ? `lines ${scroll + 1}–${scroll + shown.length} of ${lines.length} · ↑↓ PgUp PgDn scroll · ` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title="Help" note={`${more}Esc or ? closes`} width={width} />
      {shown.map((line, i) => {
        if (line.tone === 'heading') return <Text key={scroll + i} bold wrap="truncate-end">{line.text}</Text>;
        if (line.key === undefined) return <Text key={scroll + i} color={line.tone === 'link' ? 'blue' : undefined} wrap="truncate-end">{`  ${line.text || ' '}`}</Text>;
        return (
          <Text key={scroll + i} wrap="truncate-end">
            <Text bold color="cyan">{`  ${fit(line.key, line.keyWidth ?? line.key.length + 2)}`}</Text>
            <Text color={line.tone === 'link' ? 'blue' : undefined} underline={line.tone === 'link'}>{line.text}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
