import { KEY_HELP } from './keymap.js';
import { glossaryLines, keyedLines, legendLines, type HelpLine } from '../view/help.js';

/**
 * Everything the help screen shows, as lines of `width`: the keys, what the marks on screen
 * mean, and the glossary with its links. The overlay scrolls through them (↑↓, PgUp/PgDn).
 */
export function helpScreenLines(width: number): HelpLine[] {
  const keyWidth = Math.max(...KEY_HELP.map((k) => k.keys.length)) + 2;
  const lines: HelpLine[] = [{ text: 'Keys', tone: 'heading' }];
  for (const k of KEY_HELP) lines.push(...keyedLines(k.keys, k.does, keyWidth, width));
  return [...lines, { text: '', tone: 'plain' }, ...legendLines(width), { text: '', tone: 'plain' }, ...glossaryLines(width)];
}
