import { Box, Text } from 'ink';
import { KEY_HELP } from '../keymap.js';
import { fit } from '../../view/text.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of HelpOverlay; every value is already derived, the component only draws it. */
export interface HelpOverlayProps {
  readonly width: number;
  readonly height: number;
}

/** Every key the player knows, with what it does. */
export function HelpOverlay({ width, height }: HelpOverlayProps) {
  const keyWidth = Math.max(...KEY_HELP.map((k) => k.keys.length)) + 3;
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title="Keys" note="(Esc or ? closes)" width={width} />
      {KEY_HELP.slice(0, height).map((k) => (
        <Text key={k.keys} wrap="truncate-end">
          <Text bold color="cyan">{`  ${fit(k.keys, keyWidth)}`}</Text>
          <Text>{k.does}</Text>
        </Text>
      ))}
      {height > KEY_HELP.length + 2 ? (
        <Box marginTop={1}>
          <Text dimColor wrap="wrap">
            Heartbeats (lease renewals and unchanged status posts) fold into one ♥ row. The cluster panel shows the store right after the current step; stepping back shows that earlier moment exactly.
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
