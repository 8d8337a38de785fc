import { Box, Text } from 'ink';
import type { Step } from '../../sim/trace.js';
import { stageLabel } from '../../view/stage-progress.js';
import { wrap } from '../../view/text.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of Explanation; every value is already derived, the component only draws it. */
export interface ExplanationProps {
  readonly step?: Step;
  /** True when the step shown is the selected one rather than the current one. */
  readonly selected: boolean;
  readonly width: number;
  /** Lines of text (the title line is extra). */
  readonly height: number;
}

/** Why the step happened, in the words of the component that took it. */
export function Explanation({ step, selected, width, height }: ExplanationProps) {
  const title = step ? `${selected ? 'Selected step' : 'Step'} ${step.step}` : 'Step';
  const note = step ? `${stageLabel(step.stage)} · ${step.from === step.to ? step.from : `${step.from} → ${step.to}`}` : undefined;
  const lines = step ? wrap(step.explanation, width, height) : [];
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title={title} note={note} width={width} />
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
