import { describe, expect, it } from 'vitest';
import { parseBytes, parseCount, parseCpuMillis, parseQuantity } from './quantity.js';

describe('CPU quantities become millicores', () => {
  it.each([
    ['500m', 500],
    ['2', 2_000],
    [2, 2_000],
    [0.5, 500],
    ['0.1', 100],
    ['1.5', 1_500],
    ['1e3', 1_000_000],
    ['1k', 1_000_000],
    ['100u', 1],
    ['0', 0],
  ] as [string | number, number][])('%j => %d', (input, millis) => {
    expect(parseCpuMillis(input)).toEqual({ ok: true, value: millis });
  });
});

describe('memory quantities become bytes', () => {
  it.each([
    ['4Gi', 4 * 1024 ** 3],
    ['512Mi', 512 * 1024 ** 2],
    ['1Ki', 1_024],
    ['1k', 1_000],
    ['1M', 1_000_000],
    ['1e3', 1_000],
    ['1E3', 1_000],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['128974848', 128_974_848],
    [1e9, 1_000_000_000],
  ] as [string | number, number][])('%j => %d', (input, bytes) => {
    expect(parseBytes(input)).toEqual({ ok: true, value: bytes });
  });
});

describe('bad quantities say what is wrong', () => {
  it.each([
    [parseCpuMillis, '2x', '"2x" has an unknown suffix; use m, k, M, G, T, Ki, Mi, Gi or Ti'],
    [parseCpuMillis, 'two', 'expected a quantity such as 500m, 2 or 4Gi, got "two"'],
    [parseCpuMillis, '', 'expected a quantity such as 500m, 2 or 4Gi, got ""'],
    [parseCpuMillis, ' 2', 'expected a quantity such as 500m, 2 or 4Gi, got " 2"'],
    [parseCpuMillis, '-1', '"-1" must not be negative'],
    [parseBytes, '4GB', '"4GB" has an unknown suffix; use m, k, M, G, T, Ki, Mi, Gi or Ti'],
    [parseBytes, '512m', '"512m" is a fraction of a byte (m means milli; did you mean 512Mi?)'],
    [parseBytes, '1e400', '"1e400" is too large; the simulation counts at most 9007199254740991 bytes (8Pi minus one byte)'],
    [parseCpuMillis, '1e40', '"1e40" is too large; the simulation counts at most 9007199254740991m (about 9 trillion cores)'],
    [parseBytes, '1e1001', '"1e1001" is out of range'],
    [parseCount, '1.5', '"1.5" is not a whole number'],
    [parseCount, Number.NaN, 'expected a quantity, got NaN'],
    [parseCount, true, 'expected a quantity such as 500m, 2 or 4Gi'],
  ] as const)('%o(%j)', (parse, input, message) => {
    expect(parse(input)).toEqual({ ok: false, message });
  });
});

describe('parseQuantity', () => {
  it('keeps the exact value in base units, sign included', () => {
    expect(parseQuantity('500m')).toEqual({ ok: true, value: 0.5 });
    expect(parseQuantity('-2Ki')).toEqual({ ok: true, value: -2048 });
  });

  it('rounds fractions up, as Quantity.Value() does', () => {
    expect(parseCpuMillis('0.0001')).toEqual({ ok: true, value: 1 });
    expect(parseCount('1.0')).toEqual({ ok: true, value: 1 });
  });
});
