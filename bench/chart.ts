/**
 * Renders docs/benchmarks/ingest.svg from a bench JSON result: rows per second of each import path
 * beside the PostgreSQL COPY reference measured in the same run (log scale, so both are readable).
 *
 *   npx tsx bench/chart.ts docs/benchmarks/ingest-1m.json docs/benchmarks/ingest.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface IngestResult {
  measuredAt: string;
  file: { rows: number };
  sqlite: { rowsPerSecond: number; maxRssMb: number };
  postgres: { rowsPerSecond: number; maxRssMb: number };
  postgresCopy: { rowsPerSecond: number };
}

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: chart.ts RESULT.json OUT.svg');
const r = JSON.parse(readFileSync(input, 'utf8')) as IngestResult;
const bars = [
  { label: 'Hedui 导入 · SQLite', value: r.sqlite.rowsPerSecond, colour: '#1677ff' },
  { label: 'Hedui 导入 · PostgreSQL', value: r.postgres.rowsPerSecond, colour: '#13a8a8' },
  { label: 'PostgreSQL COPY（参照）', value: r.postgresCopy.rowsPerSecond, colour: '#8c8c8c' },
  { label: '目标 1 000 000 行/秒', value: 1_000_000, colour: '#fa8c16' },
];
const width = 720;
const left = 220;
const barHeight = 34;
const top = 56;
const maxLog = Math.log10(2_000_000);
const minLog = 3;
const x = (v: number) =>
  left + ((Math.log10(Math.max(v, 1000)) - minLog) / (maxLog - minLog)) * (width - left - 110);
const rows = bars
  .map((b, i) => {
    const y = top + i * (barHeight + 14);
    return `<text x="${left - 10}" y="${y + 22}" text-anchor="end" font-size="14">${b.label}</text>
<rect x="${left}" y="${y}" width="${(x(b.value) - left).toFixed(1)}" height="${barHeight}" fill="${b.colour}"/>
<text x="${(x(b.value) + 6).toFixed(1)}" y="${y + 22}" font-size="13">${Math.round(b.value).toLocaleString('en-US')}</text>`;
  })
  .join('\n');
const ticks = [1e3, 1e4, 1e5, 1e6]
  .map(
    (
      t,
    ) => `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${top + bars.length * (barHeight + 14)}" stroke="#ddd"/>
<text x="${x(t)}" y="${top + bars.length * (barHeight + 14) + 16}" text-anchor="middle" font-size="12">${t.toLocaleString('en-US')}</text>`,
  )
  .join('\n');
const height = top + bars.length * (barHeight + 14) + 40;
writeFileSync(
  output,
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Noto Sans CJK SC, sans-serif">
<title>导入速度对比：Hedui 导入与 PostgreSQL COPY</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="28" font-size="16" font-weight="bold">导入速度（行/秒，对数坐标）— ${r.file.rows.toLocaleString('en-US')} 行户籍 CSV，${r.measuredAt.slice(0, 10)}</text>
${ticks}
${rows}
</svg>
`,
);
