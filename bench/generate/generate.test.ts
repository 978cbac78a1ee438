import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCell } from '../../src/domain/catalog/cells.ts';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import { checkHeaders, validateRow } from '../../src/domain/catalog/rows.ts';
import type { CellValue, DatasetDef } from '../../src/domain/catalog/types.ts';
import { parseIdNumber, todayInShanghai } from '../../src/domain/identity/id-number.ts';
import type { GenerateOptions } from './city.ts';
import {
  type AssetType,
  type FigureWindow,
  familyFigures,
  figureCells,
  MemberAccumulator,
  type SourceRecord,
  type TaxItem,
} from './expected.ts';
import { generateCity } from './generate.ts';
import { NOISE_TYPES, type NoiseType } from './noise.ts';
import type { ManifestFile } from './output.ts';
import { FAMILY_SIZE_WEIGHTS } from './population.ts';
import { checkOutput } from './validate.ts';

const TODAY = todayInShanghai();
const work = mkdtempSync(join(tmpdir(), 'hedui-city-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function generate(name: string, options: Partial<GenerateOptions> = {}): Promise<string> {
  const out = join(work, name);
  await generateCity({
    size: 'XS',
    seed: 7,
    harsh: false,
    month: '2025-06',
    variant: 'base',
    ...options,
    out,
  });
  return out;
}

/** Relative path → contents of every file under dir. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

function readCsv(path: string): string[][] {
  return parse(readFileSync(path), { relax_column_count: false }) as string[][];
}

/** Rows of a CSV with a header, as records keyed by header. */
function readTable(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true }) as Record<string, string>[];
}

interface Manifest {
  files: ManifestFile[];
  window: FigureWindow;
  people: number;
  families: number;
}

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function dataset(code: string): DatasetDef {
  const def = findDataset(code);
  if (!def) throw new Error(code);
  return def;
}

describe('determinism', () => {
  it('writes byte-identical output for the same seed', async () => {
    const a = snapshot(await generate('xs-a'));
    const b = snapshot(await generate('xs-b'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [path, content] of a) expect(content.equals(b.get(path) ?? Buffer.alloc(0)), path).toBe(true);
    expect(a.size).toBeGreaterThan(30);
  });

  it('writes byte-identical harsh month-two output for the same seed, and another city for another seed', async () => {
    const a = snapshot(await generate('xs-m2-a', { harsh: true, variant: 'month2' }));
    const b = snapshot(await generate('xs-m2-b', { harsh: true, variant: 'month2' }));
    for (const [path, content] of a) expect(content.equals(b.get(path) ?? Buffer.alloc(0)), path).toBe(true);
    const other = snapshot(await generate('xs-seed-8', { seed: 8 }));
    const first = snapshot(join(work, 'xs-a'));
    expect(other.get('hukou.2025-Q2.csv')?.equals(first.get('hukou.2025-Q2.csv') ?? Buffer.alloc(0))).toBe(
      false,
    );
  });
});

describe('a city of size S', () => {
  let dir = '';
  let manifest: Manifest;
  let people: Record<string, string>[] = [];
  let families: Record<string, string>[] = [];
  const truthRows = new Map<string, Record<string, string>[]>();

  beforeAll(async () => {
    dir = join(work, 's');
    await generateCity({
      size: 'S',
      seed: 20_250_601,
      harsh: false,
      month: '2025-06',
      variant: 'base',
      out: dir,
    });
    manifest = manifestOf(dir);
    people = readTable(join(dir, 'truth', 'people.csv'));
    families = readTable(join(dir, 'truth', 'families.csv'));
    for (const entry of readdirSync(join(dir, 'truth', 'rows'))) {
      truthRows.set(entry.replace(/\.csv$/, ''), readTable(join(dir, 'truth', 'rows', entry)));
    }
  }, 120_000);

  it('has the people and families of the size, with the family sizes of BENCHMARK.md', () => {
    expect(people).toHaveLength(20_000);
    expect(manifest.families).toBe(families.length);
    const counts = [0, 0, 0, 0, 0];
    for (const family of families)
      counts[Math.min(5, Number(family.members)) - 1] =
        (counts[Math.min(5, Number(family.members)) - 1] ?? 0) + 1;
    const expected = [
      ...FAMILY_SIZE_WEIGHTS.slice(0, 4),
      FAMILY_SIZE_WEIGHTS.slice(4).reduce((a, b) => a + b, 0),
    ];
    counts.forEach((count, index) => {
      expect(Math.abs(count / families.length - (expected[index] ?? 0)), `size ${index + 1}`).toBeLessThan(
        0.015,
      );
    });
    const recipients = families.filter((family) => family.recipient === '1').length / families.length;
    expect(recipients).toBeGreaterThan(0.04);
    expect(recipients).toBeLessThan(0.06);
  });

  it('gives everyone a unique valid ID with the right birth date and sex, 10 % from outside 庆阳', () => {
    const ids = new Set<string>();
    let outside = 0;
    for (const person of people) {
      const id = person.id_number ?? '';
      const parsed = parseIdNumber(id, { today: TODAY });
      expect(parsed.ok, id).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.birthDate).toBe(person.birth_date);
      expect(parsed.sex === 'M' ? '男' : '女').toBe(person.sex);
      expect(parsed.regionKnown).toBe(true);
      if (!id.startsWith('6210')) outside += 1;
      ids.add(id);
    }
    expect(ids.size).toBe(people.length);
    expect(Math.abs(outside / people.length - 0.1)).toBeLessThan(0.01);
  });

  it('has the common surnames in their real order', () => {
    const counts = new Map<string, number>();
    for (const person of people)
      counts.set(person.name?.charAt(0) ?? '', (counts.get(person.name?.charAt(0) ?? '') ?? 0) + 1);
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([surname]) => surname);
    expect(new Set(top)).toEqual(new Set(['王', '李', '张']));
  });

  it('writes main files that are valid uploads: headers, every row, the batch period', async () => {
    const checks = await checkOutput(dir);
    const datasets = new Set(checks.map((check) => check.file.split('.')[0]));
    expect([...datasets].sort()).toEqual(
      [
        'benefit',
        'contribution',
        'death',
        'deposit',
        'disability',
        'hukou',
        'market_entity',
        'marriage',
        'payroll',
        'provident_fund',
        'real_estate',
        'subsidy',
        'tax_income',
        'transport',
        'vehicle',
      ].sort(),
    );
    for (const check of checks) expect(check.errors, check.file).toEqual([]);
  }, 120_000);

  it('puts only rows with an invalid ID into .badid files, and name + birth date into .noid files', () => {
    const birthOf = new Map(people.map((person) => [person.person_id, person.birth_date]));
    for (const entry of manifest.files) {
      if (entry.kind === 'main') continue;
      const def = dataset(entry.dataset);
      const rows = readCsv(join(dir, entry.file));
      const header = rows[0] ?? [];
      const truth = (truthRows.get(entry.dataset) ?? []).filter((row) => row.file === entry.file);
      if (entry.kind === 'badid') {
        expect(header).toEqual([
          '身份证号',
          '姓名',
          '出生日期',
          ...def.columns.slice(2).map((c) => c.header),
        ]);
        const { columnIndex } = checkHeaders(def, header);
        rows.slice(1).forEach((cells, index) => {
          const errors = validateRow(def, columnIndex, index + 2, cells, {
            today: TODAY,
            period: null,
          }).errors;
          expect(errors.map((error) => error.code)).toEqual(['INVALID_ID_NUMBER']);
          expect(cells[2]).toBe(birthOf.get(truth[index]?.person_id ?? ''));
        });
      } else {
        expect(header).toEqual(['姓名', '出生日期', ...def.columns.slice(2).map((column) => column.header)]);
        rows.slice(1).forEach((cells, index) => {
          expect(cells[1]).toBe(birthOf.get(truth[index]?.person_id ?? ''));
        });
      }
    }
  });

  it('has one ground-truth line per written row, in row order', () => {
    for (const entry of manifest.files) {
      const truth = (truthRows.get(entry.dataset) ?? []).filter((row) => row.file === entry.file);
      expect(truth.length, entry.file).toBe(entry.rows);
      expect(truth.map((row) => Number(row.row))).toEqual(
        Array.from({ length: entry.rows }, (_, k) => k + 2),
      );
      const lines = readFileSync(join(dir, entry.file), 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      expect(lines.length - 1, entry.file).toBe(entry.rows);
    }
    const total = [...truthRows.values()].reduce((sum, rows) => sum + rows.length, 0);
    expect(total).toBe(manifest.files.reduce((sum, file) => sum + file.rows, 0));
  });

  it('applies each kind of noise at its rate (tolerance ±25 %)', () => {
    const personOf = new Map(people.map((person) => [person.person_id, person]));
    const count = new Map<NoiseType, number>(NOISE_TYPES.map((type) => [type, 0]));
    let rows = 0;
    let withId = 0;
    let xEnding = 0;
    let legacyEligible = 0;
    const missing = new Map<string, [number, number]>();
    const legacyDatasets = new Set(['real_estate', 'deposit', 'market_entity', 'vehicle']);
    for (const [code, lines] of truthRows) {
      if (code === 'hukou') {
        expect(lines.every((line) => line.noise === '')).toBe(true);
        continue;
      }
      for (const line of lines) {
        rows += 1;
        const noise = (line.noise ?? '').split('|').filter((type) => type !== '') as NoiseType[];
        for (const type of noise) count.set(type, (count.get(type) ?? 0) + 1);
        const tally = missing.get(code) ?? [0, 0];
        tally[1] += 1;
        if (noise.includes('missing_id')) tally[0] += 1;
        missing.set(code, tally);
        if (noise.includes('missing_id')) continue;
        withId += 1;
        const person = personOf.get(line.person_id ?? '');
        if (person?.id_number?.endsWith('X')) xEnding += 1;
        if (legacyDatasets.has(code) && (person?.birth_date ?? '') < '2000') legacyEligible += 1;
      }
    }
    const near = (actual: number, rate: number) => {
      expect(actual / rate).toBeGreaterThan(0.75);
      expect(actual / rate).toBeLessThan(1.25);
    };
    near((count.get('fullwidth') ?? 0) / withId, 0.01);
    near(((count.get('stray_space') ?? 0) + (count.get('apostrophe') ?? 0)) / withId, 0.02);
    near((count.get('substituted_digit') ?? 0) / withId, 0.003);
    near((count.get('swapped_digits') ?? 0) / withId, 0.001);
    near((count.get('lowercase_x') ?? 0) / xEnding, 0.3);
    near((count.get('legacy_15') ?? 0) / legacyEligible, 0.02);
    near((count.get('homophone') ?? 0) / rows, 0.01);
    near((count.get('traditional') ?? 0) / rows, 0.005);
    near((count.get('name_space') ?? 0) / rows, 0.01);
    const missingRate = (code: string) => {
      const [noId, all] = missing.get(code) ?? [0, 1];
      return noId / all;
    };
    near(missingRate('real_estate'), 0.01);
    near(missingRate('deposit'), 0.02);
    near(missingRate('market_entity'), 0.05);
    expect(missingRate('tax_income')).toBe(0);
  });

  it('computes the expected figures that the written rows give, for all rows and for main files only', () => {
    const recomputed = recomputeFigures(dir, manifest, people, families, truthRows);
    for (const [file, figures] of recomputed) {
      const lines = readFileSync(join(dir, 'truth', file), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      expect(lines.length).toBe(figures.size);
      for (const line of lines) {
        const familyId = line.slice(0, line.indexOf(','));
        expect(line, `family ${familyId} in ${file}`).toBe(`${familyId},${figures.get(familyId)}`);
      }
    }
  }, 60_000);
});

describe('month two', () => {
  let base = '';
  let month2 = '';

  beforeAll(async () => {
    base = join(work, 's-base');
    month2 = join(work, 's-month2');
    await generateCity({ size: 'S', seed: 3, harsh: false, month: '2025-06', variant: 'base', out: base });
    await generateCity({
      size: 'S',
      seed: 3,
      harsh: false,
      month: '2025-06',
      variant: 'month2',
      out: month2,
    });
  }, 120_000);

  it('leaves the files of earlier periods byte-identical', () => {
    const before = snapshot(base);
    let same = 0;
    for (const [path, content] of snapshot(month2)) {
      if (path.startsWith('truth') || path === 'manifest.json' || path.startsWith('provident_fund.2025'))
        continue;
      const old = before.get(path);
      if (old === undefined) continue;
      expect(content.equals(old), path).toBe(true);
      same += 1;
    }
    expect(same).toBeGreaterThan(20);
  });

  it('computes the month-two figures from the month-two rows, without the members who died or moved out', () => {
    const manifest = manifestOf(month2);
    const people = readTable(join(month2, 'truth', 'people.csv'));
    const families = readTable(join(month2, 'truth', 'families.csv'));
    const truthRows = new Map<string, Record<string, string>[]>();
    for (const entry of readdirSync(join(month2, 'truth', 'rows'))) {
      truthRows.set(entry.replace(/\.csv$/, ''), readTable(join(month2, 'truth', 'rows', entry)));
    }
    expect(manifest.window).toEqual({ firstMonth: '2024-08', lastMonth: '2025-07', asOfDate: '2025-07-31' });
    const recomputed = recomputeFigures(month2, manifest, people, families, truthRows).get(
      'expected-figures.csv',
    );
    const lines = readFileSync(join(month2, 'truth', 'expected-figures.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    for (const line of lines) {
      const familyId = line.slice(0, line.indexOf(','));
      expect(line).toBe(`${familyId},${recomputed?.get(familyId)}`);
    }
    const gone = readTable(join(month2, 'truth', 'planted-changes.csv')).filter(
      (change) => change.change === 'member_deceased' || change.change === 'member_moved_out',
    );
    const members = new Map(families.map((family) => [family.family_id, family]));
    for (const change of gone) {
      const family = members.get(change.family_id ?? '');
      expect(Number(family?.co_residing_members)).toBeLessThan(Number(family?.members));
    }
  }, 60_000);

  it('writes valid main files for the month after', async () => {
    for (const check of await checkOutput(month2)) expect(check.errors, check.file).toEqual([]);
  }, 120_000);

  it('plants every kind of change, and each shows in the data of the month after', () => {
    const planted = readTable(join(month2, 'truth', 'planted-changes.csv'));
    const people = new Map(
      readTable(join(month2, 'truth', 'people.csv')).map((person) => [person.person_id, person]),
    );
    const kinds = new Set(planted.map((change) => change.change));
    expect(kinds.size).toBe(8);
    const rowsOf = (file: string) => readTable(join(month2, file));
    const hukou = new Map(rowsOf('hukou.2025-Q3.csv').map((row) => [row.身份证号, row]));
    // Each truth file is read once and indexed by person: the test looks up every planted change in them.
    const truthByPerson = new Map<string, Map<string, Record<string, string>[]>>();
    const truthOf = (code: string) => {
      let index = truthByPerson.get(code);
      if (index === undefined) {
        index = new Map();
        for (const line of readTable(join(month2, 'truth', 'rows', `${code}.csv`))) {
          const list = index.get(line.person_id ?? '') ?? [];
          list.push(line as Record<string, string>);
          index.set(line.person_id ?? '', list);
        }
        truthByPerson.set(code, index);
      }
      return index;
    };
    const csvs = new Map<string, string[][]>();
    const csvOf = (file: string) => {
      const cached = csvs.get(file) ?? readCsv(join(month2, file));
      csvs.set(file, cached);
      return cached;
    };
    const texts = new Map<string, string>();
    const textOf = (code: string) => {
      const cached =
        texts.get(code) ??
        manifestOf(month2)
          .files.filter((file) => file.dataset === code)
          .map((file) => readFileSync(join(month2, file.file), 'utf8'))
          .join('\n');
      texts.set(code, cached);
      return cached;
    };
    const personRows = (code: string, personId: string) =>
      (truthOf(code).get(personId) ?? []).filter((line) => (line.file ?? '').includes('2025-'));
    for (const change of planted) {
      const person = people.get(change.person_id ?? '');
      const id = person?.id_number ?? '';
      const date = change.date ?? '';
      switch (change.change) {
        case 'member_deceased':
          expect(hukou.get(id)?.户籍状态).toBe('死亡');
          expect(
            personRows('death', change.person_id ?? '').some((line) => line.file === 'death.2025-H2.csv'),
          ).toBe(true);
          expect(person?.co_residing).toBe('0');
          break;
        case 'member_moved_out':
          expect(hukou.get(id)?.户籍状态).toBe('迁出');
          expect(hukou.get(id)?.状态变更日期).toBe(date);
          break;
        case 'new_marriage':
          expect(
            personRows('marriage', change.person_id ?? '').some((line) =>
              line.file?.startsWith('marriage.2025-H2'),
            ),
          ).toBe(true);
          break;
        case 'member_on_payroll':
          expect(
            personRows('payroll', change.person_id ?? '').some((line) =>
              line.file?.startsWith('payroll.2025-H2'),
            ),
          ).toBe(true);
          expect(
            personRows('payroll', change.person_id ?? '').every((line) =>
              line.file?.startsWith('payroll.2025-H2'),
            ),
          ).toBe(true);
          break;
        case 'income_rise': {
          // 工资薪金 of July against June: the rise is ×1.5, monthly variation is far smaller.
          const wageOf = (month: string) =>
            personRows('tax_income', change.person_id ?? '')
              .map((line) => csvOf(line.file ?? '')[Number(line.row) - 1] ?? [])
              .filter((cells) => cells[2] === '工资薪金' && cells[3] === month)
              .reduce((max, cells) => Math.max(max, Number(cells[5])), 0);
          expect(wageOf('2025-07') / wageOf('2025-06')).toBeGreaterThan(1.25);
          break;
        }
        case 'new_vehicle':
        case 'new_property':
        case 'new_company': {
          const code =
            change.change === 'new_vehicle'
              ? 'vehicle'
              : change.change === 'new_property'
                ? 'real_estate'
                : 'market_entity';
          const detail = (change.detail ?? '').split(' ')[1]?.split('，')[0] ?? '';
          const text = textOf(code);
          expect(text, change.detail).toContain(`${detail},`);
          expect(text).toContain(date);
          break;
        }
        default:
          throw new Error(`unexpected change ${change.change}`);
      }
    }
  });
});

// ---------------------------------------------------------------- recomputation of the expected figures

/** Reads the written files back through the catalog's cell parser and recomputes every recipient family. */
function recomputeFigures(
  dir: string,
  manifest: Manifest,
  people: Record<string, string>[],
  families: Record<string, string>[],
  truthRows: Map<string, Record<string, string>[]>,
): Map<string, Map<string, string>> {
  const recipientFamilies = new Set(
    families.filter((family) => family.recipient === '1').map((family) => family.family_id ?? ''),
  );
  const counted = new Map<string, string>();
  for (const person of people) {
    if (recipientFamilies.has(person.family_id ?? '') && person.co_residing === '1') {
      counted.set(person.person_id ?? '', person.family_id ?? '');
    }
  }
  const all = new Map<string, MemberAccumulator>();
  const main = new Map<string, MemberAccumulator>();
  for (const personId of counted.keys()) {
    all.set(personId, new MemberAccumulator(manifest.window));
    main.set(personId, new MemberAccumulator(manifest.window));
  }
  for (const entry of manifest.files) {
    const def = dataset(entry.dataset);
    const rows = readCsv(join(dir, entry.file)).slice(1);
    const truth = (truthRows.get(entry.dataset) ?? []).filter((line) => line.file === entry.file);
    const columns = entry.kind === 'main' ? def.columns : def.columns.slice(2);
    const offset = entry.kind === 'main' ? 0 : entry.kind === 'noid' ? 2 : 3;
    rows.forEach((cells, index) => {
      const personId = truth[index]?.person_id ?? '';
      if (!counted.has(personId)) return;
      const values: Record<string, CellValue> = {};
      columns.forEach((column, k) => {
        if (column.type === 'id_number' || column.type === 'name') return;
        const result = parseCell(column, cells[k + offset] ?? null, { today: TODAY });
        if (!result.ok) throw new Error(`${entry.file} row ${index + 2} ${column.header}: ${result.message}`);
        values[column.key] = result.value;
      });
      const record = recordOf(entry.dataset, values);
      if (!record) return;
      all.get(personId)?.add(record);
      if (entry.kind === 'main') main.get(personId)?.add(record);
    });
  }
  const result = new Map<string, Map<string, string>>();
  for (const [file, members] of [
    ['expected-figures.csv', all],
    ['expected-figures-main.csv', main],
  ] as const) {
    const byFamily = new Map<string, MemberAccumulator[]>();
    for (const familyId of recipientFamilies) byFamily.set(familyId, []);
    for (const [personId, accumulator] of members)
      byFamily.get(counted.get(personId) ?? '')?.push(accumulator);
    const lines = new Map<string, string>();
    for (const [familyId, accumulators] of byFamily) {
      lines.set(
        familyId,
        figureCells(manifest.window, familyFigures(manifest.window, accumulators)).join(','),
      );
    }
    result.set(file, lines);
  }
  return result;
}

function text(values: Record<string, CellValue>, key: string): string {
  const value = values[key];
  return typeof value === 'string' ? value : '';
}

function number(values: Record<string, CellValue>, key: string): number {
  const value = values[key];
  return typeof value === 'number' ? value : 0;
}

function recordOf(code: string, v: Record<string, CellValue>): SourceRecord | undefined {
  switch (code) {
    case 'payroll':
      return { kind: 'payroll', month: text(v, 'month'), grossPay: number(v, 'grossPay') };
    case 'tax_income':
      return {
        kind: 'tax_income',
        item: text(v, 'incomeItem') as TaxItem,
        periodStart: text(v, 'periodStart'),
        periodEnd: text(v, 'periodEnd'),
        income: number(v, 'income'),
        taxPaid: number(v, 'taxPaid'),
      };
    case 'benefit':
      return { kind: 'benefit', month: text(v, 'month'), amount: number(v, 'amount') };
    case 'provident_fund':
      return { kind: 'provident_fund', month: text(v, 'month'), withdrawal: number(v, 'withdrawal') };
    case 'subsidy':
      return { kind: 'subsidy', paymentDate: text(v, 'paymentDate'), amount: number(v, 'amount') };
    case 'contribution':
      return {
        kind: 'contribution',
        month: text(v, 'month'),
        personalContribution: number(v, 'personalContribution'),
      };
    case 'deposit':
      return {
        kind: 'deposit',
        institution: text(v, 'institution'),
        accountNumber: text(v, 'accountNumber'),
        assetType: text(v, 'assetType') as AssetType,
        balance: number(v, 'balance'),
        asOfDate: text(v, 'asOfDate'),
      };
    case 'vehicle':
      return {
        kind: 'vehicle',
        vehicleStatus: text(v, 'vehicleStatus'),
        disabilityVehicle: v.disabilityVehicle === true,
      };
    case 'transport':
      return { kind: 'transport', permitStatus: text(v, 'permitStatus') };
    case 'real_estate':
      return {
        kind: 'real_estate',
        unitNumber: text(v, 'unitNumber'),
        rightStatus: text(v, 'rightStatus'),
        floorArea: number(v, 'floorArea'),
        share: number(v, 'share'),
      };
    case 'market_entity':
      return {
        kind: 'market_entity',
        creditCode: text(v, 'creditCode'),
        registrationStatus: text(v, 'registrationStatus'),
        subscribedCapital: typeof v.subscribedCapital === 'number' ? v.subscribedCapital : null,
      };
    default:
      return undefined;
  }
}
