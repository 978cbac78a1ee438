import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapRosterHeaders } from '../domain/roster/roster.ts';
import { openTable } from '../ingest/read-table.ts';
import { ROSTER_SHEET, rosterTemplateBytes } from './roster-template.ts';

describe(rosterTemplateBytes.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedui-roster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a workbook whose first sheet the importer reads with every roster column and no rows', async () => {
    const path = join(dir, 'template.xlsx');
    writeFileSync(path, await rosterTemplateBytes());
    const table = await openTable(path);
    expect(table.format).toBe('xlsx');
    expect(mapRosterHeaders(table.headers).missing).toEqual([]);
    expect(table.headers).toContain('身份证号');
    const rows = [];
    for await (const row of table.rows) rows.push(row);
    expect(rows).toEqual([]);
    expect(ROSTER_SHEET).toBe('名册');
  });
});
