/** Pure helpers of the benchmark harness: percentiles of latency samples and the Markdown table of figures. */

/** The `p`-th percentile (0–100) of `samples` by the nearest-rank method; null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} outside 0–100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function summarise(samples: readonly number[]): LatencySummary {
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples.length === 0 ? null : samples.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
    mean: samples.length === 0 ? null : samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

/** One figure of BENCHMARK.md beside its in-run reference. */
export interface FigureRow {
  figure: string;
  measured: string;
  reference: string;
  /** measured ÷ reference as the figure reads (e.g. rows/s ÷ COPY's rows/s); null when there is none. */
  ratio: number | null;
  goal: string;
  /** null: not measured in this run (e.g. the full-city recheck without --full-city). */
  met: boolean | null;
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  if (ratio >= 100) return `${Math.round(ratio)}×`;
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  if (ratio >= 0.01) return `${ratio.toFixed(2)}×`;
  return `${ratio.toPrecision(2)}×`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function figuresTable(rows: readonly FigureRow[]): string {
  const lines = [
    '| figure | Hedui | in-run reference | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.figure)} | ${cell(r.measured)} | ${cell(r.reference)} | ${formatRatio(r.ratio)} | ${cell(r.goal)} | ${r.met === null ? 'not measured' : r.met ? 'met' : '**not met**'} |`,
    ),
  ];
  return lines.join('\n');
}

/** An integer with thin thousands groups as the docs write them (1 234 567). */
export function int(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function ms(n: number | null): string {
  if (n === null) return '—';
  return n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(n >= 10 ? 1 : 2)} ms`;
}
