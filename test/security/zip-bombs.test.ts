/**
 * Zip bombs, lying directories and zip-slip names against every reader of uploaded archives: the table reader
 * (XLSX uploads), the offline exchange binding (exceljs opens the whole workbook) and the batch-entrustment bundle.
 * The bomb is real: 1 GiB of zeros deflated to about a megabyte.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExchangeBinding } from '../../src/documents/offline-exchange.ts';
import { openCaseBundle } from '../../src/ingest/case-bundle.ts';
import { openTable, TableError } from '../../src/ingest/read-table.ts';
import { isUnsafeEntryName, TABLE_ZIP_LIMITS, zipProblem } from '../../src/ingest/zip-guard.ts';
import { xlsxBytes } from '../support/department-data.ts';
import { type CraftedMember, member, membersOf, peakRssGrowth, writeZip, zeroBomb } from './zip-craft.ts';

const GIB = 1024 * 1024 * 1024;
/** Far below the 1 GiB a reader would hold if it inflated the bomb. */
const MAX_GROWTH_MIB = 150;

let dir: string;
let workbook: CraftedMember[];
let bomb: CraftedMember;
/** Valid XML all the way: a parser would read the whole GiB of spaces. */
let spaces: CraftedMember;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hedui-zipbomb-'));
  const real = join(dir, 'real.xlsx');
  await writeFile(real, await xlsxBytes([{ 姓名: '张三', 金额: 1 }]));
  workbook = await membersOf(real);
  bomb = await zeroBomb('xl/worksheets/sheet1.xml', GIB);
  spaces = await zeroBomb('xl/worksheets/sheet1.xml', GIB, {
    fill: 0x20,
    prefix:
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  });
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The real workbook with its first sheet replaced (or members added). */
function withSheet(sheet: CraftedMember, extra: CraftedMember[] = []): CraftedMember[] {
  return [...workbook.filter((m) => m.name !== 'xl/worksheets/sheet1.xml'), sheet, ...extra];
}

async function readAll(path: string): Promise<number> {
  const table = await openTable(path);
  let n = 0;
  for await (const _ of table.rows) n++;
  return n;
}

describe('zip bombs', () => {
  it('builds a real bomb: 1 GiB declared, about a megabyte on disk', () => {
    expect(bomb.declaredSize).toBe(GIB);
    expect(bomb.deflated.length).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses an XLSX whose sheet inflates to 1 GiB before parsing, with memory bounded', async () => {
    const path = await writeZip(join(dir, 'bomb.xlsx'), withSheet(bomb));
    const { result, growthMiB } = await peakRssGrowth(() => readAll(path).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(TableError);
    expect((result as TableError).code).toBe('FILE_TOO_LARGE');
    expect((result as TableError).message).toMatch(/压缩炸弹/);
    expect(growthMiB).toBeLessThan(MAX_GROWTH_MIB);
  });

  it('stops a sheet that inflates beyond what the directory declared (a lying bomb), with memory bounded', async () => {
    const liar = { ...spaces, declaredSize: 900 * 1024 };
    const path = await writeZip(join(dir, 'liar.xlsx'), withSheet(liar));
    const started = Date.now();
    const { result, growthMiB } = await peakRssGrowth(() => readAll(path).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(TableError);
    expect(growthMiB).toBeLessThan(MAX_GROWTH_MIB);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('never lets exceljs open a returned exchange that is a bomb or lies about its sizes', async () => {
    const honest = await writeZip(join(dir, 'reply-bomb.xlsx'), withSheet(bomb));
    const lying = await writeZip(
      join(dir, 'reply-liar.xlsx'),
      withSheet({ ...bomb, declaredSize: 900 * 1024 }),
    );
    for (const path of [honest, lying]) {
      const { result, growthMiB } = await peakRssGrowth(() => readExchangeBinding(path));
      expect(result).toBeNull();
      expect(growthMiB).toBeLessThan(MAX_GROWTH_MIB);
    }
  });

  it('refuses a batch-entrustment bundle carrying a bomb before inflating anything', async () => {
    const workbookPath = join(dir, 'batch.xlsx');
    await writeFile(workbookPath, await xlsxBytes([{ 序号: 1 }]));
    const bundle = await writeZip(join(dir, 'bundle.zip'), [
      member('批量委托.xlsx', await readFile(workbookPath)),
      { ...bomb, name: 'scans/授权书.pdf' },
    ]);
    const work = join(dir, 'work');
    await mkdir(work);
    const { result, growthMiB } = await peakRssGrowth(() => openCaseBundle(bundle, work));
    expect(result.upload).toMatchObject({ ok: false, code: 'ZIP_UNREADABLE' });
    expect(growthMiB).toBeLessThan(MAX_GROWTH_MIB);
    expect(await readdir(work)).toEqual([]);
  });

  it('judges entry count, total and ratio from the directory alone', () => {
    const entry = (name: string, compressedSize: number, uncompressedSize: number) => ({
      name,
      method: 8,
      flags: 0,
      compressedSize,
      uncompressedSize,
      localHeaderOffset: 0,
    });
    expect(zipProblem([entry('a', 10, 100)], TABLE_ZIP_LIMITS)).toBeNull();
    const many = Array.from({ length: TABLE_ZIP_LIMITS.maxEntries + 1 }, (_, i) => entry(`m${i}`, 1, 1));
    expect(zipProblem(many, TABLE_ZIP_LIMITS)?.kind).toBe('TOO_MANY_ENTRIES');
    expect(zipProblem([entry('s', 1_000_000, 2_000_000_000)], TABLE_ZIP_LIMITS)?.kind).toBe('TOO_LARGE');
    const big = Array.from({ length: 5 }, (_, i) => entry(`b${i}`, 1_000_000_000, 1_000_000_000));
    expect(zipProblem(big, TABLE_ZIP_LIMITS)?.kind).toBe('TOO_LARGE');
  });
});

describe('zip-slip', () => {
  it.each([
    '../evil.txt',
    'xl/../../evil.txt',
    '/etc/passwd',
    'C:/Windows/evil.txt',
    'xl\\worksheets\\sheet1.xml',
    '..',
    'a/\u0000b',
  ])('treats %j as unsafe', (name) => {
    expect(isUnsafeEntryName(name)).toBe(true);
  });

  it.each(['xl/worksheets/sheet1.xml', 'scans/张三 授权书.pdf', 'a..b/c..d.pdf', '[Content_Types].xml'])(
    'accepts %j',
    (name) => {
      expect(isUnsafeEntryName(name)).toBe(false);
    },
  );

  it('refuses an XLSX carrying a member named with ..', async () => {
    const path = await writeZip(
      join(dir, 'slip.xlsx'),
      withSheet(workbook.find((m) => m.name === 'xl/worksheets/sheet1.xml') as CraftedMember, [
        member('../../evil.sh', 'echo owned'),
      ]),
    );
    const error = await readAll(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TableError);
    expect((error as TableError).code).toBe('NOT_A_SPREADSHEET');
    expect((error as TableError).message).toMatch(/不安全的文件名/);
  });

  it.each(['../授权书.pdf', '/tmp/授权书.pdf', 'scans\\授权书.pdf'])(
    'refuses a batch bundle with a paper named %j',
    async (name) => {
      const workbookPath = join(dir, `wb-${Math.random()}.xlsx`);
      await writeFile(workbookPath, await xlsxBytes([{ 序号: 1 }]));
      const bundle = await writeZip(join(dir, `slip-${Math.random()}.zip`), [
        member('批量委托.xlsx', await readFile(workbookPath)),
        member(name, '%PDF-1.4 scan'),
      ]);
      const work = await mkdtemp(join(dir, 'w-'));
      const opened = await openCaseBundle(bundle, work);
      expect(opened.upload).toMatchObject({ ok: false, code: 'ZIP_UNREADABLE' });
      expect(opened.upload.ok ? '' : opened.upload.message).toMatch(/不安全的文件名/);
      expect(await readdir(work)).toEqual([]);
    },
  );
});
