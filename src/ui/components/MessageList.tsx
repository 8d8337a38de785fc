import { Box, Text } from 'ink';
import type { Step } from '../../sim/trace.js';
import { foldLabel, messageLine, type MessageRow } from '../../view/message-list.js';
import { fit, truncate } from '../../view/text.js';
import { SectionTitle } from './SectionTitle.js';

/** Props of MessageList; every value is already derived, the component only draws it. */
export interface MessageListProps {
  /** The rows to draw, oldest first; the last one holds the current step. */
  readonly rows: readonly MessageRow[];
  readonly stepOf: (n: number) => Step;
  /** Index into `rows` of the selected row. */
  readonly selected: number;
  readonly current: number;
  readonly width: number;
  /** Body rows (the title line is extra). */
  readonly height: number;
  /** Show virtual time on each row (when there is room). */
  readonly showTime: boolean;
  readonly filter?: string;
  /** The goals' summary for the title line ("goals 2/5 met"), when the scenario has goals. */
  readonly goals?: string;
}

const TONE_COLOR = { ok: 'green', error: 'red', failure: 'red', heartbeat: undefined, plain: undefined } as const;

/** The conversation so far, one row per step, the current one marked ▶ and the selection inverted. */
export function MessageList({ rows, stepOf, selected, current, width, height, showTime, filter, goals }: MessageListProps) {
  const notes = [filter ? `filter: ${filter}  (f to change)` : '', goals ? `${goals} (o)` : ''].filter(Boolean);
  const numberWidth = Math.max(4, String(current).length);
  const routeWidth = Math.min(44, Math.max(24, Math.floor(width * 0.42)));
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <SectionTitle title="Messages" note={notes.length ? `· ${notes.join(' · ')}` : undefined} width={width} />
      {rows.map((row, i) => {
        const isSelected = i === selected;
        const isCurrent = (row.kind === 'step' ? row.step : row.last) === current;
        const marker = isCurrent ? '▶ ' : isSelected ? '› ' : '  ';
        const key = row.kind === 'step' ? row.step : `fold-${row.first}`;
        if (row.kind === 'fold') {
          const time = showTime ? `${messageLine(stepOf(row.last)).time} ` : '';
          const text = `${marker}${'♥'.padStart(numberWidth)} ${time}${foldLabel(row)}${isSelected ? '  (Enter unfolds)' : ''}`;
          return (
            <Text key={key} inverse={isSelected} bold={isCurrent} color="magenta" wrap="truncate-end">
              {fit(text, width)}
            </Text>
          );
        }
        const line = messageLine(stepOf(row.step));
        const prefix = `${marker}${line.number.padStart(numberWidth)} ${showTime ? `${line.time} ` : ''}`;
        const route = fit(line.route, routeWidth);
        const room = Math.max(0, width - prefix.length - routeWidth - 2 - (line.status ? line.status.length + 2 : 0));
        const text = fit(truncate(line.text, room), room);
        const heartbeat = line.tone === 'heartbeat';
        return (
          <Text key={key} inverse={isSelected} bold={isCurrent} dimColor={heartbeat && !isCurrent && !isSelected} wrap="truncate-end">
            <Text color={isCurrent ? 'cyan' : undefined}>{prefix}</Text>
            <Text>{route}  </Text>
            <Text color={line.tone === 'failure' ? 'red' : undefined}>{text}</Text>
            {line.status ? <Text color={TONE_COLOR[line.tone]}>{`  ${line.status}`}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
