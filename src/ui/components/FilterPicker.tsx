import { Box, Text } from 'ink';
import { fit } from '../../view/text.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of FilterPicker; every value is already derived, the component only draws it. */
export interface FilterPickerProps {
  /** undefined stands for "all components". */
  readonly choices: readonly (string | undefined)[];
  readonly cursor: number;
  readonly active?: string;
  readonly width: number;
  readonly height: number;
}

/** Pick the component whose steps the list shows and the arrows visit. */
export function FilterPicker({ choices, cursor, active, width, height }: FilterPickerProps) {
  const top = Math.max(0, Math.min(cursor - Math.floor(height / 2), choices.length - height));
  const shown = choices.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title="Filter by component" note="(Enter applies, Esc cancels)" width={width} />
      {shown.map((choice, i) => {
        const selected = top + i === cursor;
        const label = choice ?? 'all components';
        return (
          <Text key={label} inverse={selected} wrap="truncate-end">
            {fit(`${selected ? '› ' : '  '}${label}${choice === active ? '  (active)' : ''}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
