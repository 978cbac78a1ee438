import { describe, expect, it } from 'vitest';
import { figuresTable, formatRatio, int, ms, percentile, summarise } from './stats.ts';

describe('percentile (nearest rank)', () => {
  it('picks the sample at the rank ceil(p/100 × n)', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted input
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('works on small and empty sets and refuses a percentile outside 0–100', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarises count, percentiles, max and mean without changing the input', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(summarise(samples)).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5, mean: 3 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(summarise([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null, mean: null });
  });
});

describe('figures table', () => {
  it('writes one row per figure with its reference, ratio, goal and whether it is met', () => {
    const table = figuresTable([
      {
        figure: 'ingest',
        measured: '20 000 rows/s',
        reference: 'COPY 1 000 000 rows/s',
        ratio: 0.02,
        goal: '≥ 0.5× COPY',
        met: false,
      },
      { figure: 'a|b', measured: '1', reference: '—', ratio: null, goal: 'x', met: true },
      { figure: 'full city', measured: '—', reference: '—', ratio: null, goal: '≤ 60 s', met: null },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| figure | Hedui | in-run reference | ratio | goal | met |');
    expect(lines[2]).toBe(
      '| ingest | 20 000 rows/s | COPY 1 000 000 rows/s | 0.02× | ≥ 0.5× COPY | **not met** |',
    );
    expect(lines[3]).toBe('| a\\|b | 1 | — | — | x | met |');
    expect(lines[4]).toContain('| not measured |');
  });

  it('formats ratios, integers and milliseconds', () => {
    expect(formatRatio(123.4)).toBe('123×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(0.0012)).toBe('0.0012×');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('—');
    expect(int(1234567.4)).toBe('1 234 567');
    expect(int(999)).toBe('999');
    expect(ms(3.456)).toBe('3.46 ms');
    expect(ms(34.56)).toBe('34.6 ms');
    expect(ms(345.6)).toBe('346 ms');
    expect(ms(null)).toBe('—');
  });
});
