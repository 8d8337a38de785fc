import { Text } from 'ink';

/** Props of SectionTitle; every value is already derived, the component only draws it. */
export interface SectionTitleProps {
  readonly title: string;
  /** Dim text after the title (a filter, a hint). */
  readonly note?: string;
  readonly width: number;
}

/** `─ Messages ───────` : one line naming a panel, drawn as a rule to its full width. */
export function SectionTitle({ title, note, width }: SectionTitleProps) {
  const used = 2 + title.length + (note ? note.length + 1 : 0) + 1;
  return (
    <Text wrap="truncate-end">
      <Text dimColor>─ </Text>
      <Text bold>{title}</Text>
      {note ? <Text dimColor> {note}</Text> : null}
      <Text dimColor> {'─'.repeat(Math.max(0, width - used - 1))}</Text>
    </Text>
  );
}
