import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['500ms', 500],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1_500],
    ['.5s', 500],
    ['1.s', 1_000],
    ['2.5h', 9_000_000],
    ['2000us', 2],
    ['3000000ns', 3],
    ['-1m', -60_000],
    ['+10s', 10_000],
  ] as [string, number][])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['', 'expected a duration such as 90s, 5m, 1m30s or 500ms, got ""'],
    ['30', '"30" has no unit; write 30s, 30m or 30ms'],
    ['5 minutes', 'expected a duration such as 90s, 5m, 1m30s or 500ms, got "5 minutes"'],
    ['1d', 'unknown unit "d" in "1d"; use ns, us, ms, s, m or h'],
    ['1h30', 'expected a duration such as 90s, 5m, 1m30s or 500ms, got "1h30"'],
    ['.s', 'expected a duration such as 90s, 5m, 1m30s or 500ms, got ".s"'],
    ['1500us', '"1500us" is not a whole number of milliseconds; the simulator counts time in ms'],
    ['9999999999h', 'duration "9999999999h" is too long'],
  ])('%j is refused: %s', (text, message) => {
    expect(parseDuration(text)).toEqual({ ok: false, message });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [3_723_004, '1h2m3.004s'],
    [-60_000, '-1m'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration for any whole number of ms Go can hold', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9_223_372_036_854, max: 9_223_372_036_854 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
      }),
    );
  });
});
