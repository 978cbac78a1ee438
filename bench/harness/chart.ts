/**
 * The chart of a `npm run bench` result (bench/run.ts JSON): one panel per timed figure, Hedui on each database
 * beside the in-run reference and the goal, each panel on its own linear scale.
 *
 *   npx tsx bench/harness/chart.ts bench-results/bench-S-both.json docs/benchmarks/bench-S.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ChartBar {
  label: string;
  value: number | null;
  kind: 'hedui' | 'reference' | 'goal';
}
export interface ChartPanel {
  title: string;
  unit: string;
  bars: ChartBar[];
}

const COLOURS = { hedui: '#1677ff', reference: '#8c8c8c', goal: '#fa8c16' } as const;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (v: number) =>
  v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 1 ? v.toFixed(2) : v.toPrecision(2);

export function renderChart(title: string, panels: readonly ChartPanel[]): string {
  const width = 760;
  const left = 250;
  const barHeight = 22;
  const gap = 6;
  let y = 48;
  const parts: string[] = [];
  for (const panel of panels) {
    parts.push(
      `<text x="16" y="${y + 14}" font-size="14" font-weight="bold">${esc(panel.title)}（${esc(panel.unit)}）</text>`,
    );
    y += 24;
    const max = Math.max(...panel.bars.map((b) => b.value ?? 0), 1e-9);
    for (const bar of panel.bars) {
      const w = bar.value === null ? 0 : (bar.value / max) * (width - left - 120);
      parts.push(
        `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="13">${esc(bar.label)}</text>`,
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLOURS[bar.kind]}"/>`,
        `<text x="${(left + w + 6).toFixed(1)}" y="${y + 16}" font-size="12">${bar.value === null ? '未测' : num(bar.value)}</text>`,
      );
      y += barHeight + gap;
    }
    y += 14;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="Noto Sans CJK SC, sans-serif">
<title>${esc(title)}</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="28" font-size="16" font-weight="bold">${esc(title)}</text>
${parts.join('\n')}
</svg>
`;
}

interface DbResult {
  ingest: { rowsPerSecond: number; maxRssMb: number };
  single: { latency: { p50: number | null; p99: number | null } };
  recheck: { seconds: number };
  load: { all: { p95: number | null } } | null;
}
export interface RunResultForChart {
  size: string;
  measuredAt: string;
  databases: Record<string, DbResult>;
  references: {
    postgresCopy: { rowsPerSecond: number };
    duckdbReadCsv: { rowsPerSecond: number };
    duckdbSingle: { p50: number | null; p99: number | null };
    duckdbRecheck: { totalSeconds: number };
  };
}

const DB_LABEL: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** The panels of a bench/run.ts result. */
export function runPanels(r: RunResultForChart): ChartPanel[] {
  const dbs = Object.entries(r.databases);
  const hedui = (label: string, value: (d: DbResult) => number | null): ChartBar[] =>
    dbs.map(([db, d]) => ({
      label: `Hedui · ${DB_LABEL[db] ?? db}${label}`,
      value: value(d),
      kind: 'hedui',
    }));
  return [
    {
      title: '导入速度',
      unit: '行/秒',
      bars: [
        ...hedui('', (d) => d.ingest.rowsPerSecond),
        {
          label: 'PostgreSQL COPY（参照）',
          value: r.references.postgresCopy.rowsPerSecond,
          kind: 'reference',
        },
        {
          label: 'DuckDB read_csv（参照）',
          value: r.references.duckdbReadCsv.rowsPerSecond,
          kind: 'reference',
        },
        { label: '目标', value: 1_000_000, kind: 'goal' },
      ],
    },
    {
      title: '单户核对延迟 p99',
      unit: '毫秒',
      bars: [
        ...hedui('', (d) => d.single.latency.p99),
        { label: 'DuckDB 单户查询（参照）', value: r.references.duckdbSingle.p99, kind: 'reference' },
        { label: '目标', value: 20, kind: 'goal' },
      ],
    },
    {
      title: '月度复核（名册）',
      unit: '秒',
      bars: [
        ...hedui('', (d) => d.recheck.seconds),
        {
          label: 'DuckDB 读入+连接（参照）',
          value: r.references.duckdbRecheck.totalSeconds,
          kind: 'reference',
        },
      ],
    },
    {
      title: '200 名工作人员并发 p95',
      unit: '毫秒',
      bars: [...hedui('', (d) => d.load?.all.p95 ?? null), { label: '目标', value: 200, kind: 'goal' }],
    },
  ];
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]).endsWith('bench/harness/chart.ts');
if (invokedDirectly) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: chart.ts RESULT.json OUT.svg');
  const r = JSON.parse(readFileSync(input, 'utf8')) as RunResultForChart;
  writeFileSync(
    output,
    renderChart(
      `Hedui 基准测试 · 规模 ${r.size} · ${r.measuredAt.slice(0, 10)}（同次运行的参照）`,
      runPanels(r),
    ),
  );
}
