import { Box, Text } from 'ink';
import { formatVirtualTime } from '../../sim/clock.js';
import { truncate } from '../../view/text.js';

/** Props of Header; every value is already derived, the component only draws it. */
export interface HeaderProps {
  /** The scenario's title. */
  readonly title: string;
  readonly width: number;
  /** Virtual time of the step on screen. */
  readonly nowMs: number;
  readonly current: number;
  /** Steps recorded so far; with `finished`, all there will be. */
  readonly total: number;
  readonly finished: boolean;
  readonly playing: boolean;
  /** Steps per second while playing. */
  readonly rate: number;
  /** Checkpoint score so far ("1/3 right"), when the scenario has checkpoints. */
  readonly score?: string;
}

/** Top line: what is playing on the left; where we are in it and how it plays on the right. */
export function Header({ title, width, nowMs, current, total, finished, playing, rate, score }: HeaderProps) {
  const time = `t=${formatVirtualTime(nowMs)}`;
  const step = `step ${current}/${total}${finished ? '' : '+'}`;
  const state = playing ? '▶ playing' : '‖ paused';
  const speed = `${rate}/s`;
  const quiz = score ? `? ${score}  ` : '';
  const right = `${quiz}${time}  ${step}  ${state}  ${speed}`;
  const left = truncate(title, Math.max(0, width - right.length - 14));
  return (
    <Box width={width} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color="cyan">kube-learn</Text>
        <Text dimColor> · </Text>
        <Text bold>{left}</Text>
      </Text>
      <Text wrap="truncate-end">
        {quiz ? <Text color="magenta">{quiz}</Text> : null}
        <Text>{time}</Text>
        <Text>  </Text>
        <Text bold>{step}</Text>
        <Text>  </Text>
        <Text color={playing ? 'green' : 'yellow'}>{state}</Text>
        <Text dimColor>  {speed}</Text>
      </Text>
    </Box>
  );
}
