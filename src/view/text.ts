/**
 * Fitting text into terminal cells. The UI lays out fixed-width columns itself (rather than
 * letting long lines wrap), so every row stays on one line and the screen never jumps.
 */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * `text` in at most `width` cells, cut in the middle: `coredns-86c58dbc8c-jbknl` becomes
 * `coredns-8…c-jbknl`, keeping the start that says what it is and the end that tells replicas apart.
 */
export function elideMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  const head = Math.floor((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** `text` cut or padded to exactly `width` cells. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - [...cut].length));
}

/** Word-wraps `text` into at most `maxLines` lines of `width`; an ellipsis marks what was cut. */
export function wrap(text: string, width: number, maxLines = Number.MAX_SAFE_INTEGER): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else if (word.length > width) line += ` ${word}`; // too long for any line: fill this one, cut below
      else {
        lines.push(line);
        line = word;
      }
      while (line.length > width) {
        lines.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
    lines.push(line);
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1]} ${lines[maxLines]}`, width);
  if (!kept[maxLines - 1].endsWith('…')) kept[maxLines - 1] = `${truncate(kept[maxLines - 1], width - 1)}…`;
  return kept;
}
