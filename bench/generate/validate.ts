/**
 * Checks that a generated city's main files are valid uploads: headers (checkHeaders), every row
 * (validateRow with the file's batch period), a period made of whole delivery periods, no empty file. Used by
 * the tests; also runnable on a big output:
 *
 *   npx tsx bench/generate/validate.ts DIR
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import { checkPeriodForFrequency, parsePeriod } from '../../src/domain/catalog/period.ts';
import { checkHeaders, validateRow } from '../../src/domain/catalog/rows.ts';
import { todayInShanghai } from '../../src/domain/identity/id-number.ts';
import type { ManifestFile } from './output.ts';

export interface FileCheck {
  file: string;
  rows: number;
  errors: string[];
}

export interface Manifest {
  files: ManifestFile[];
  asOfDate: string;
  people: number;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** Streams the rows of a CSV file as arrays of strings, header first. */
export async function* csvRows(path: string): AsyncGenerator<string[]> {
  const parser = createReadStream(path).pipe(parse({ relax_column_count: false }));
  for await (const record of parser) yield record as string[];
}

const MAX_ERRORS = 20;

export async function checkMainFile(
  dir: string,
  entry: ManifestFile,
  today = todayInShanghai(),
): Promise<FileCheck> {
  const errors: string[] = [];
  const dataset = findDataset(entry.dataset);
  if (!dataset) return { file: entry.file, rows: 0, errors: [`unknown dataset ${entry.dataset}`] };
  const period = parsePeriod(entry.period);
  if (!period.ok) return { file: entry.file, rows: 0, errors: [period.message] };
  const frequencyError = checkPeriodForFrequency(dataset.frequency, period.value);
  if (frequencyError) errors.push(frequencyError.message);
  let columnIndex: (number | undefined)[] = [];
  let rows = 0;
  let line = 0;
  for await (const cells of csvRows(join(dir, entry.file))) {
    line += 1;
    if (line === 1) {
      const headers = checkHeaders(dataset, cells);
      columnIndex = headers.columnIndex;
      for (const error of headers.errors) errors.push(`header: ${error.code} ${error.message}`);
      continue;
    }
    rows += 1;
    const check = validateRow(dataset, columnIndex, line, cells, {
      today,
      period: dataset.kind === 'periodic' ? period.value : null,
    });
    for (const error of check.errors) {
      if (errors.length < MAX_ERRORS)
        errors.push(`row ${error.row} ${error.column}: ${error.code} ${error.message}`);
    }
  }
  if (rows === 0) errors.push('EMPTY_FILE');
  if (rows !== entry.rows) errors.push(`manifest says ${entry.rows} rows, file has ${rows}`);
  return { file: entry.file, rows, errors };
}

/** Every main file of the output directory. */
export async function checkOutput(dir: string): Promise<FileCheck[]> {
  const manifest = readManifest(dir);
  const checks: FileCheck[] = [];
  for (const entry of manifest.files) {
    if (entry.kind === 'main') checks.push(await checkMainFile(dir, entry));
  }
  return checks;
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]).endsWith('generate/validate.ts');
if (invokedDirectly) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: validate.ts DIR');
    process.exit(2);
  }
  const checks = await checkOutput(resolve(dir));
  let bad = 0;
  for (const check of checks) {
    if (check.errors.length > 0) bad += 1;
    console.log(`${check.errors.length === 0 ? 'ok  ' : 'FAIL'} ${check.file} ${check.rows} rows`);
    for (const error of check.errors) console.log(`     ${error}`);
  }
  process.exit(bad === 0 ? 0 : 1);
}
