import { Box, Text } from 'ink';
import type { Mode } from '../keymap.js';

/** Props of KeyHints; every value is already derived, the component only draws it. */
export interface KeyHintsProps {
  readonly mode: Mode;
  readonly width: number;
  /** A remark that takes the line's place for one keypress ("this is the last step"). */
  readonly notice?: string;
  /** Offer Tab when there is more than one node to follow. */
  readonly multiNode: boolean;
  /** Offer o when the scenario has goals. */
  readonly goals?: boolean;
}

type Hint = readonly [keys: string, does: string];

function hintsFor(mode: Mode, multiNode: boolean, goals: boolean): Hint[] {
  switch (mode) {
    case 'intro':
      return [['Enter', 'start'], ['?', 'help'], ['q', 'quit']];
    case 'help':
      return [['↑↓', 'scroll'], ['PgUp/PgDn', 'page'], ['Esc', 'close'], ['q', 'quit']];
    case 'inspector':
      return [['↑↓', 'scroll'], ['PgUp/PgDn', 'page'], ['g/G', 'top/end'], ['Esc', 'close'], ['q', 'quit']];
    case 'filter':
      return [['↑↓', 'choose'], ['Enter', 'apply'], ['Esc', 'cancel'], ['q', 'quit']];
    case 'checkpoint':
      return [['1-9', 'answer'], ['Enter', 'continue'], ['Esc', 'skip'], ['q', 'quit']];
    case 'goals':
      return [['←→', 'step'], ['space', 'play'], ['n', 'skip ♥'], ['o/Esc', 'close'], ['q', 'quit']];
    case 'small':
      return [['q', 'quit']];
    case 'main':
      return [
        ['←→', 'step'],
        ['space', 'play'],
        ['Enter', 'inspect'],
        ['1-4', 'stage'],
        ['n', 'skip ♥'],
        ['↑↓', 'select'],
        ['f', 'filter'],
        ...(multiNode ? [['Tab', 'node'] as Hint] : []),
        ['+/-', 'speed'],
        // The first to give way: the message list's title already says "(o)".
        ...(goals ? [['o', 'goals'] as Hint] : []),
        ['?', 'help'],
        ['q', 'quit'],
      ];
  }
}

/**
 * The keys that matter on this screen. When the line is too narrow, hints are dropped from the
 * middle, keeping "? help" and "q quit" so every other key is one keypress away.
 */
export function KeyHints({ mode, width, notice, multiNode, goals = false }: KeyHintsProps) {
  if (notice) {
    return (
      <Box width={width}>
        <Text color="yellow" wrap="truncate-end">
          {notice}
        </Text>
      </Box>
    );
  }
  const hints = hintsFor(mode, multiNode, goals);
  const size = (list: readonly Hint[]) => list.reduce((n, [k, d]) => n + k.length + d.length + 3, 0);
  const tail = hints.slice(-2);
  let head = hints.slice(0, -2);
  while (head.length && size([...head, ...tail]) > width) head = head.slice(0, -1);
  return (
    <Box width={width}>
      <Text wrap="truncate-end">
        {[...head, ...tail].map(([keys, does]) => (
          <Text key={keys}>
            <Text bold color="cyan">{keys}</Text>
            <Text dimColor>{` ${does}  `}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
