import { Box, Text } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from '../../view/layout.js';

/** Props of TooSmall; every value is already derived, the component only draws it. */
export interface TooSmallProps {
  readonly columns: number;
  readonly rows: number;
}

/** Shown instead of the screen while the terminal is under 80×24; enlarging it brings the UI back. */
export function TooSmall({ columns, rows }: TooSmallProps) {
  return (
    <Box flexDirection="column" width={Math.max(1, columns)}>
      <Text bold color="yellow" wrap="wrap">
        kube-learn needs a terminal of at least {MIN_COLUMNS}×{MIN_ROWS}.
      </Text>
      <Text wrap="wrap">
        This one is {columns}×{rows}. Make the window larger and the player comes back where you left it.
      </Text>
      <Text dimColor wrap="wrap">
        q quits.
      </Text>
    </Box>
  );
}
