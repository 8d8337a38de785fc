/**
 * How the main screen divides the terminal. 80×24 is the smallest size that works: below it the
 * UI shows a message instead. The message list always spans the full width (paths are long);
 * from 110 columns the cluster panel and the explanation sit side by side under it, and taller
 * terminals give the extra rows to the list, the pods and the explanation.
 */
/** The smallest terminal the player draws in. */
export const MIN_COLUMNS = 80;
/** See MIN_COLUMNS. */
export const MIN_ROWS = 24;

/** Rows and columns of each part of the main screen. */
export interface ScreenLayout {
  readonly columns: number;
  /** Rows drawn: one less than the terminal, so the last line never scrolls the screen. */
  readonly height: number;
  readonly tooSmall: boolean;
  /** Cluster panel and explanation side by side. */
  readonly wide: boolean;
  /** Rows of the message list's body (its title line not counted). */
  readonly listRows: number;
  readonly panelWidth: number;
  /** Rows of the cluster panel including its title line. */
  readonly panelRows: number;
  /** Rows for pods inside the panel (more pods collapse into a "+N more" line). */
  readonly podRows: number;
  readonly explanationWidth: number;
  /** Lines of explanation text (its title line not counted). */
  readonly explanationRows: number;
  /** Content rows of an overlay (inspector, help, filter), which takes the whole body. */
  readonly overlayRows: number;
}

/** Header, stage bar, banner line and key hints. */
const CHROME_ROWS = 4;

/** Divides a terminal of `columns`×`rows` for a scenario with `nodeCount` nodes. */
export function screenLayout(columns: number, rows: number, nodeCount: number): ScreenLayout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const height = Math.max(1, rows - 1);
  const body = Math.max(0, height - CHROME_ROWS);
  const wide = columns >= 110;
  const nodeRows = Math.min(Math.max(nodeCount, 1), wide ? 8 : 4);
  // Panel: title, components, node header + rows, pod header (+ pod rows).
  const fixedPanel = 1 + 1 + 1 + nodeRows + 1;
  if (wide) {
    const bottom = Math.max(fixedPanel + 2, Math.min(body - 8, Math.floor(body * 0.4)));
    const panelWidth = Math.max(62, Math.floor(columns * 0.6));
    return {
      columns, height, tooSmall, wide,
      listRows: Math.max(1, body - bottom - 1),
      panelWidth,
      panelRows: bottom,
      podRows: Math.max(1, bottom - fixedPanel),
      explanationWidth: columns - panelWidth - 2,
      explanationRows: bottom - 1,
      overlayRows: Math.max(1, body - 1),
    };
  }
  const explanationRows = rows >= 40 ? 5 : rows >= 30 ? 4 : 3;
  const stacked = body - (explanationRows + 1);
  const podRows = Math.min(10, Math.max(2, Math.floor((stacked - fixedPanel) * 0.3)));
  const panelRows = fixedPanel + podRows;
  return {
    columns, height, tooSmall, wide,
    listRows: Math.max(1, stacked - panelRows - 1),
    panelWidth: columns,
    panelRows,
    podRows,
    explanationWidth: columns,
    explanationRows,
    overlayRows: Math.max(1, body - 1),
  };
}
