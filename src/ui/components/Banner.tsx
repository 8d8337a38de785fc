import { Box, Text } from 'ink';
import { fit } from '../../view/text.js';

/** Props of Banner; every value is already derived, the component only draws it. */
export interface BannerProps {
  /** The failure's one-line banner, or undefined for a quiet blank line. */
  readonly text?: string;
  /** A repair (a component back up, a partition healed) reads green rather than red. */
  readonly recovery?: boolean;
  readonly width: number;
}

/** A failure from the scenario's timeline, shown across the screen at the step it happens. */
export function Banner({ text, recovery = false, width }: BannerProps) {
  if (!text) return <Box height={1} width={width} />;
  return (
    <Box width={width}>
      <Text color="white" backgroundColor={recovery ? 'green' : 'red'} bold wrap="truncate-end">
        {fit(` ${recovery ? '✔' : '✖'} ${text}`, width)}
      </Text>
    </Box>
  );
}
