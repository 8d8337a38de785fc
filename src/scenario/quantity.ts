/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): `500m`, `2`, `4Gi`,
 * `512Mi`, `1e3`, `1k`. Parsed exactly (BigInt), then turned into the canonical integer a
 * scheduler compares: CPU in millicores, memory in bytes, pods as a count. Like the real
 * Quantity.MilliValue()/Value(), fractions round up.
 */

/** A parsed quantity: sign * mantissa * 10^exp10 * 2^exp2, exact. */
interface Exact {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exp10: number;
  readonly exp2: number;
}

export type QuantityResult = { ok: true; value: number } | { ok: false; message: string };

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const GRAMMAR = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

function describe(input: unknown): string {
  return typeof input === 'string' ? `"${input}"` : String(input);
}

/** Reads a quantity written as a YAML string or number; never throws. */
function parseExact(input: unknown): Exact | string {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return `expected a quantity, got ${input}`;
    input = String(input);
  }
  if (typeof input !== 'string') return `expected a quantity such as 500m, 2 or 4Gi`;
  const match = GRAMMAR.exec(input.trim() === input ? input : '');
  if (!match) {
    if (/^\s*[+-]?[\d.]+\s*[A-Za-z]+\s*$/.test(input)) {
      return `${describe(input)} has an unknown suffix; use m, k, M, G, T, Ki, Mi, Gi or Ti`;
    }
    return `expected a quantity such as 500m, 2 or 4Gi, got ${describe(input)}`;
  }
  const [, sign, number, exponent, suffix = ''] = match;
  const [intPart, fracPart = ''] = number.split('.');
  const expValue = exponent ? Number(exponent.slice(1)) : 0;
  if (Math.abs(expValue) > 1000) return `${describe(input)} is out of range`;
  return {
    negative: sign === '-',
    mantissa: BigInt((intPart || '0') + fracPart),
    exp10: expValue + (DECIMAL[suffix] ?? 0) - fracPart.length,
    exp2: BINARY[suffix] ?? 0,
  };
}

/** ceil(q * 10^scale) as a bigint; the rounding the real Quantity.ScaledValue uses. */
function scaledCeil(q: Exact, scale: number): bigint {
  let numerator = q.mantissa * (1n << BigInt(q.exp2));
  let denominator = 1n;
  const exp = q.exp10 + scale;
  if (exp >= 0) numerator *= 10n ** BigInt(exp);
  else denominator = 10n ** BigInt(-exp);
  const quotient = numerator / denominator;
  return numerator % denominator === 0n ? quotient : quotient + 1n;
}

function isFractional(q: Exact, scale: number): boolean {
  if (q.exp10 + scale >= 0) return false;
  const numerator = q.mantissa * (1n << BigInt(q.exp2));
  return numerator % 10n ** BigInt(-(q.exp10 + scale)) !== 0n;
}

/** The largest value each parser gives, as the user would write it. */
const LARGEST = { cpu: '9007199254740991m (about 9 trillion cores)', bytes: '9007199254740991 bytes (8Pi minus one byte)', count: '9007199254740991' } as const;

function toNumber(value: bigint, input: unknown, unit: keyof typeof LARGEST): QuantityResult {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: `${describe(input)} is too large; the simulation counts at most ${LARGEST[unit]}` };
  return { ok: true, value: Number(value) };
}

function nonNegative(input: unknown): Exact | string {
  const q = parseExact(input);
  if (typeof q === 'string') return q;
  if (q.negative && q.mantissa !== 0n) return `${describe(input)} must not be negative`;
  return q;
}

/**
 * Results by input for each parser. Quantities are immutable strings repeated across every pod and
 * node (`10m`, `16Mi`, `110`), so each distinct one is parsed once; a parse is pure, so a cached
 * result is exactly what parsing again would give. Bounded so odd inputs cannot grow it forever.
 */
const MEMO_LIMIT = 4096;

function memoized(parse: (input: unknown) => QuantityResult): (input: unknown) => QuantityResult {
  const memo = new Map<unknown, QuantityResult>();
  return (input) => {
    if (typeof input !== 'string' && typeof input !== 'number') return parse(input);
    let result = memo.get(input);
    if (result === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(input, (result = Object.freeze(parse(input))));
    }
    return result;
  };
}

/** CPU in millicores: "500m" => 500, "2" => 2000, "0.1" => 100. */
export const parseCpuMillis = memoized(function parseCpuMillis(input: unknown): QuantityResult {
  const q = nonNegative(input);
  if (typeof q === 'string') return { ok: false, message: q };
  return toNumber(scaledCeil(q, 3), input, 'cpu');
});

/**
 * Memory in bytes: "4Gi" => 4294967296, "1k" => 1000. A fraction of a byte is refused rather
 * than rounded: `512m` is 0.512 bytes, almost always a typo for `512Mi`.
 */
export const parseBytes = memoized(function parseBytes(input: unknown): QuantityResult {
  const q = nonNegative(input);
  if (typeof q === 'string') return { ok: false, message: q };
  if (isFractional(q, 0)) {
    const hint = typeof input === 'string' && input.endsWith('m') ? ` (m means milli; did you mean ${input.slice(0, -1)}Mi?)` : '';
    return { ok: false, message: `${describe(input)} is a fraction of a byte${hint}` };
  }
  return toNumber(scaledCeil(q, 0), input, 'bytes');
});

/** A whole count such as `pods: "110"`; quantities with suffixes (`1k`) are allowed, fractions are not. */
export const parseCount = memoized(function parseCount(input: unknown): QuantityResult {
  const q = nonNegative(input);
  if (typeof q === 'string') return { ok: false, message: q };
  if (isFractional(q, 0)) return { ok: false, message: `${describe(input)} is not a whole number` };
  return toNumber(scaledCeil(q, 0), input, 'count');
});

/** The exact value in base units (cores, bytes) as a float, for display and tests. */
export function parseQuantity(input: unknown): QuantityResult {
  const q = parseExact(input);
  if (typeof q === 'string') return { ok: false, message: q };
  const sign = q.negative ? -1 : 1;
  return { ok: true, value: sign * Number(q.mantissa) * 10 ** q.exp10 * 2 ** q.exp2 };
}
