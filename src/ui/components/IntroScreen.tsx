import { Box, Text } from 'ink';
import type { Scenario } from '../../scenario/index.js';
import { formatDuration } from '../../scenario/duration.js';
import { STAGES, type Stage } from '../../sim/trace.js';
import { STAGE_BLURB, stageLabel } from '../../view/stage-progress.js';
import { fit, truncate, wrap } from '../../view/text.js';
import { goalText } from '../../view/goals.js';

/** Props of IntroScreen; every value is already derived, the component only draws it. */
export interface IntroScreenProps {
  readonly scenario: Scenario;
  readonly width: number;
  readonly height: number;
}

/** What the scenario is about before the first step: title, description, stages and nodes. */
export function IntroScreen({ scenario, width, height }: IntroScreenProps) {
  const { metadata, spec } = scenario;
  const inner = Math.max(20, width - 4);
  const nodes = spec.nodes.slice(0, Math.max(1, height - 18));
  const description = wrap(metadata.description.trim(), inner, Math.max(1, height - 17 - nodes.length));
  // Goals get the rows left over: a list, or one line saying where to find them.
  const goalRoom = height - 16 - description.length - nodes.length - 2;
  const goals = spec.expect.length <= goalRoom ? spec.expect.map((e) => `  ○ ${goalText(e)}`) : [];
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={2}>
      <Text>
        <Text bold color="cyan">kube-learn</Text>
        <Text dimColor>{`  ·  ${metadata.name}  ·  ${metadata.difficulty}`}</Text>
      </Text>
      <Box marginTop={1}>
        <Text bold wrap="truncate-end">{metadata.title}</Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {description.map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text>
          <Text bold>The four stages</Text>
          <Text dimColor>{coverage(metadata.stages)}</Text>
        </Text>
        {STAGES.map((stage, i) => {
          const covered = metadata.stages.length === 0 || metadata.stages.includes(stage);
          return (
            <Text key={stage} dimColor={!covered} wrap="truncate-end">
              <Text color={covered ? 'cyan' : undefined}>{`  ${i + 1}  ${fit(stageLabel(stage), 17)}`}</Text>
              {STAGE_BLURB[stage]}
            </Text>
          );
        })}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Nodes</Text>
        {nodes.map((node) => (
          <Text key={node.name} wrap="truncate-end">
            {`  ${fit(node.name, 14)}${fit(`${node.capacity.cpuMillis / 1000} CPU, ${formatBytes(node.capacity.memoryBytes)}`, 18)}${node.address.padEnd(16)}joins at ${formatDuration(node.joinAtMs)}`}
          </Text>
        ))}
        {spec.nodes.length > nodes.length ? <Text dimColor>{`  +${spec.nodes.length - nodes.length} more`}</Text> : null}
      </Box>
      {goals.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text bold>Goals</Text>
            <Text dimColor>  (o while playing ticks them off)</Text>
          </Text>
          {goals.map((goal, i) => (
            <Text key={i} wrap="truncate-end">
              {truncate(goal, inner)}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor>{`seed ${spec.seed}  ·  ${formatDuration(spec.durationMs)} of virtual time${spec.expect.length && !goals.length ? `  ·  ${spec.expect.length} goal${spec.expect.length === 1 ? '' : 's'} (o while playing)` : ''}`}</Text>
      </Box>
      <Box marginTop={1}>
        <Text>
          <Text bold color="cyan">Enter</Text>
          <Text> start   </Text>
          <Text bold color="cyan">?</Text>
          <Text> help   </Text>
          <Text bold color="cyan">q</Text>
          <Text> quit</Text>
        </Text>
      </Box>
    </Box>
  );
}

/** `  (this scenario covers 1–3)` when it does not cover all four. */
function coverage(stages: readonly Stage[]): string {
  if (stages.length === 0 || stages.length === STAGES.length) return '';
  const numbers = STAGES.flatMap((stage, i) => (stages.includes(stage) ? [i + 1] : []));
  const contiguous = numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
  const list = contiguous && numbers.length > 2 ? `${numbers[0]}–${numbers[numbers.length - 1]}` : numbers.join(', ');
  return `  (this scenario covers ${list})`;
}

function formatBytes(bytes: number): string {
  const gi = bytes / 2 ** 30;
  if (Number.isInteger(gi)) return `${gi}Gi`;
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
