import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHouseholdRequest } from '../../domain/assessment/household-request.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { checkPeriodForFrequency, parsePeriod, periodsOverlap } from '../../domain/catalog/period.ts';
import { checkHeaders, validateRow } from '../../domain/catalog/rows.ts';
import { parseIdNumber } from '../../domain/identity/id-number.ts';
import { linkById } from '../../domain/matching/by-id.ts';
import { buildDemoDepartmentData, EXAMPLE_FAMILY, exampleHouseholdRequest } from './demo-department-data.ts';

/** Days around the turns of quarters, half-years and years: the periods are computed from the start day. */
const DAYS = ['2025-09-26', '2026-01-01', '2026-06-30', '2026-07-01', '2026-11-23', '2027-03-31'];
const CORE = [
  'hukou',
  'payroll',
  'benefit',
  'contribution',
  'tax_income',
  'deposit',
  'vehicle',
  'real_estate',
  'market_entity',
  'provident_fund',
  'marriage',
  'death',
  'disability',
  'subsidy',
];

describe('demo department data', () => {
  it('has about 40 families of about 100 people in 西峰区 and 庆城县 with valid, distinct ID numbers', () => {
    const { families } = buildDemoDepartmentData('2025-09-26');
    const people = families.flatMap((f) => f.members);
    expect(families).toHaveLength(40);
    expect(people.length).toBeGreaterThanOrEqual(90);
    expect(people.length).toBeLessThanOrEqual(130);
    expect(new Set(families.map((f) => f.county))).toEqual(new Set(['621002', '621021']));
    expect(new Set(people.map((p) => p.idNumber)).size).toBe(people.length);
    expect(new Set(people.map((p) => p.name)).size).toBe(people.length);
    for (const f of families)
      for (const p of f.members) {
        const id = parseIdNumber(p.idNumber, { today: '2025-09-26' });
        expect(id.ok, `${p.name} ${p.idNumber}`).toBe(true);
        if (!id.ok) continue;
        expect(id.regionCode).toBe(f.county);
        expect(id.birthDate).toBe(p.birthDate);
        expect(id.sex).toBe(p.sex === '男' ? 'M' : 'F');
        expect(p.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      }
    for (const f of families) expect(f.members.filter((p) => p.relationToHead === '户主')).toHaveLength(1);
  });

  it('is deterministic: the same data for the same day, the same people on any day', () => {
    expect(buildDemoDepartmentData('2026-02-14')).toEqual(buildDemoDepartmentData('2026-02-14'));
    expect(buildDemoDepartmentData('2025-09-26').families).toEqual(
      buildDemoDepartmentData('2027-03-31').families,
    );
  });

  for (const today of DAYS)
    it(`delivers every core dataset in valid batches when started on ${today}`, () => {
      const data = buildDemoDepartmentData(today);
      expect(new Set(data.batches.map((b) => b.dataset))).toEqual(new Set(CORE));
      expect(data.window.months).toHaveLength(12);
      expect(data.window.lastMonth < today.slice(0, 7)).toBe(true);
      for (const batch of data.batches) {
        const dataset = findDataset(batch.dataset);
        if (!dataset) throw new Error(`unknown dataset ${batch.dataset}`);
        const period = parsePeriod(batch.period);
        if (!period.ok) throw new Error(period.message);
        expect(checkPeriodForFrequency(dataset.frequency, period.value), batch.period).toBeNull();
        const headers = checkHeaders(dataset, batch.headers);
        expect(headers.errors).toEqual([]);
        expect(batch.rows.length).toBeGreaterThan(0);
        batch.rows.forEach((cells, i) => {
          const row = validateRow(dataset, headers.columnIndex, i + 2, cells, {
            today,
            period: period.value,
          });
          expect(row.errors, `${batch.dataset} ${batch.period} row ${i + 2}`).toEqual([]);
          const month = row.values.month ?? row.values.periodStart;
          if (dataset.kind === 'periodic' && typeof month === 'string') {
            expect(month >= data.window.firstMonth && month <= data.window.lastMonth).toBe(true);
          }
        });
      }
      // Periodic batches of one dataset never overlap (PERIOD_OVERLAP); snapshots come once.
      for (const a of data.batches)
        for (const b of data.batches) {
          if (a === b || a.dataset !== b.dataset) continue;
          const pa = parsePeriod(a.period);
          const pb = parsePeriod(b.period);
          if (pa.ok && pb.ok)
            expect(periodsOverlap(pa.value, pb.value), `${a.dataset} ${a.period}`).toBe(false);
        }
    });

  it('writes the XF02 pension under a homophone of the registered name (NAME_MISMATCH)', () => {
    const data = buildDemoDepartmentData('2025-09-26');
    const head = data.families.find((f) => f.code === 'XF02')?.members[0];
    const benefit = data.batches.filter((b) => b.dataset === 'benefit').flatMap((b) => b.rows);
    const names = new Set(benefit.filter((r) => r[0] === head?.idNumber).map((r) => r[1]));
    expect([...names]).toEqual(['王淑贞']);
    expect(head?.name).toBe('王淑珍');
    expect(linkById('王淑贞', '王淑珍').flag?.code).toBe('NAME_MISMATCH');
  });

  it('matches docs/examples/household.json, a valid request for the example family', () => {
    const data = buildDemoDepartmentData('2025-09-26');
    const file = JSON.parse(readFileSync('docs/examples/household.json', 'utf8')) as unknown;
    expect(file).toEqual(exampleHouseholdRequest(data));
    const parsed = parseHouseholdRequest(file, '2025-09-26');
    expect(parsed.ok).toBe(true);
    const family = data.families.find((f) => f.code === EXAMPLE_FAMILY);
    expect(family?.county).toBe('621002');
  });
});
