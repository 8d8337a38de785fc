import { describe, expect, it } from 'vitest';
import { screenLayout } from './layout.js';
import { fit, truncate, wrap } from './text.js';

/** Rows the main screen uses: chrome, list title + rows, panel, explanation title + lines. */
function used(l: ReturnType<typeof screenLayout>): number {
  const bottom = l.wide ? Math.max(l.panelRows, l.explanationRows + 1) : l.panelRows + l.explanationRows + 1;
  return 4 + 1 + l.listRows + bottom;
}

describe('screenLayout', () => {
  it.each([
    [80, 24],
    [100, 30],
    [120, 40],
    [200, 60],
  ])('fills %i×%i exactly, leaving the last row free', (columns, rows) => {
    const layout = screenLayout(columns, rows, 2);
    expect(layout.tooSmall).toBe(false);
    expect(used(layout)).toBe(rows - 1);
    expect(layout.listRows).toBeGreaterThanOrEqual(5);
  });

  it('gives larger terminals more list rows and puts panel and explanation side by side', () => {
    expect(screenLayout(80, 24, 2).wide).toBe(false);
    expect(screenLayout(120, 40, 2).wide).toBe(true);
    expect(screenLayout(120, 40, 2).listRows).toBeGreaterThan(screenLayout(80, 24, 2).listRows);
  });

  it('calls anything under 80×24 too small', () => {
    expect(screenLayout(79, 24, 2).tooSmall).toBe(true);
    expect(screenLayout(80, 23, 2).tooSmall).toBe(true);
  });
});

describe('text', () => {
  it('truncates with an ellipsis and pads to width', () => {
    expect(truncate('kube-apiserver', 6)).toBe('kube-…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('abcdef', 4)).toBe('abc…');
  });

  it('wraps words and marks text cut at the line limit', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', 'three fo…']);
    expect(wrap('watches /a/very/long/path once', 12)).toEqual(['watches /a/v', 'ery/long/pat', 'h once']);
  });
});
