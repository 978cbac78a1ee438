/**
 * Seeded randomness for the synthetic city. Nothing here uses Math.random: every draw is a pure function of
 * the seed and the coordinates of what is drawn (a stream tag, a person index, a month …), so a dataset can
 * be generated person by person, in any order, and the same seed always gives the same city.
 */

/** murmur3's 32-bit finaliser: a bijective avalanche of one word. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One word from up to four coordinates; order matters. */
export function hash4(a: number, b: number, c = 0, d = 0): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b | 0, 0x85ebca6b) ^ 0x27d4eb2f);
  h = fmix32(h ^ Math.imul(c | 0, 0xc2b2ae35) ^ 0x165667b1);
  h = fmix32(h ^ Math.imul(d | 0, 0x27d4eb2f) ^ 0x61c88647);
  return h;
}

/** A stable number for a stream name, so streams are named in code rather than numbered by hand. */
export function tagOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

const TWO_POW_32 = 4_294_967_296;

/**
 * splitmix32 over a state derived from (seed, tag, a, b). `reset` re-seeds in place, so one instance serves a
 * whole dataset without allocating per person.
 */
export class Rng {
  private state = 0;

  constructor(
    private readonly seed: number,
    tag = 0,
    a = 0,
    b = 0,
  ) {
    this.reset(tag, a, b);
  }

  reset(tag: number, a = 0, b = 0): this {
    this.state = hash4(this.seed, tag, a, b);
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [low, high], both inclusive. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Standard normal (Box–Muller, one value per call). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** Uniform in [0, 1) from coordinates alone, for one-off draws that need no generator. */
export function unitOf(seed: number, tag: number, a: number, b = 0): number {
  return hash4(seed, tag, a, b) / TWO_POW_32;
}

/**
 * Cumulative weights for `pickWeighted`: `[0.2, 0.3]` → `[0.4, 1]`. The weights need not sum to 1.
 */
export function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const out = new Float64Array(weights.length);
  let running = 0;
  weights.forEach((weight, index) => {
    running += weight;
    out[index] = running / total;
  });
  out[out.length - 1] = 1;
  return out;
}

/** Index of the first cumulative weight above u (binary search). */
export function pickIndex(cdf: Float64Array, u: number): number {
  let low = 0;
  let high = cdf.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (u < (cdf[mid] ?? 1)) high = mid;
    else low = mid + 1;
  }
  return low;
}
