/**
 * A seeded pseudo-random generator (sfc32) with integer-only draws, so every run with the same
 * seed makes the same choices. Each component takes its own stream with `fork(label)`: adding a
 * component, or a draw in one, never shifts the numbers another one sees.
 */
export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
}

export function ratio(numerator: number, denominator: number): Ratio {
  if (!(denominator > 0) || numerator < 0 || numerator > denominator) {
    throw new RangeError(`invalid ratio ${numerator}/${denominator}`);
  }
  return { numerator, denominator };
}

/** FNV-1a over a string, for deriving stream seeds from labels. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The seed this stream was made from, kept so forks are derived from it and not from draws. */
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = this.seed;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  /** A new independent stream named by `label`; the same label always gives the same stream. */
  fork(label: string): Prng {
    return new Prng(hashString(label, hashString(String(this.seed))));
  }

  nextU32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) >>> 0;
    const result = (t + this.d) >>> 0;
    this.c = (this.c + result) >>> 0;
    return result;
  }

  /** A uniform integer in [min, max], both inclusive. */
  intInclusive(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range [${min}, ${max}]`);
    const span = max - min + 1;
    if (span > 0x100000000) throw new RangeError('range too wide');
    // Rejection sampling keeps the draw uniform.
    const limit = Math.floor(0x100000000 / span) * span;
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return min + (x % span);
  }

  chance(r: Ratio): boolean {
    return this.intInclusive(0, r.denominator - 1) < r.numerator;
  }

  /**
   * client-go's wait.Jitter: `durationMs + random(0, factor) * durationMs`, with the factor given
   * as a ratio and the result rounded down to a whole millisecond.
   */
  jitterMs(durationMs: number, maxFactor: Ratio): number {
    const extraMax = Math.floor((durationMs * maxFactor.numerator) / maxFactor.denominator);
    return durationMs + this.intInclusive(0, extraMax);
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const word = this.nextU32();
      for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** `length` characters from `alphabet`, as Kubernetes' generateName and token ids use. */
  string(length: number, alphabet = 'bcdfghjklmnpqrstvwxz2456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.intInclusive(0, alphabet.length - 1)];
    return out;
  }
}
