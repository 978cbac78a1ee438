import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import { computeCheckChar } from '../../src/domain/identity/id-number.ts';
import { countRows, currentPgSchema, listTables } from '../../src/store/backup/database-dump.ts';
import { type TestApp, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { CHINESE, fuzzAsync, LONG_RUN, runsOf, timeoutFor } from './support.ts';

/**
 * The JSON APIs against generated bodies: arbitrary JSON, broken JSON and bodies shaped like the real ones
 * with arbitrary values. Every answer is a 2xx or a 4xx with the one error shape and a Chinese message —
 * never a 500 — and a refused request leaves every table as it was (audit and session bookkeeping apart).
 * The long run (`npm run fuzz`) takes 100 000 bodies per API on SQLite and 10 000 on PostgreSQL.
 */
const RUNS = runsOf(100);
const PG_LONG_RUNS = 10_000;
/** Tables a refused request may write: the audit of the refusal, the session's last use, the login log. */
const BOOKKEEPING = /^(audit|session|login|kysely)/;

const ID = fc
  .tuple(
    fc.constantFrom('621002', '621021', '110105'),
    fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([region, birth, seq]) => {
    const first17 = `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
    return `${first17}${computeCheckChar(first17)}`;
  });
const anything = fc.jsonValue({ maxDepth: 3 });
/** Mostly a plausible value, sometimes anything: enough bodies get past the schema to reach the rules. */
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: anything, weight: 1 });

const member = fc.record(
  {
    idNumber: maybe(fc.oneof(ID, fc.string())),
    name: maybe(fc.constantFrom('张三', '李四', '王五', '', 'A'.repeat(70))),
    relation: maybe(fc.constantFrom('本人', '配偶', '子女', '')),
    coResiding: maybe(fc.boolean()),
    exclusion: maybe(fc.constantFrom(null, null, 'prison', 'missing', 'x')),
    declaredIncome: maybe(
      fc.dictionary(fc.constantFrom('wages', 'business', 'other', 'x'), maybe(fc.nat()), { maxKeys: 2 }),
    ),
  },
  { requiredKeys: ['idNumber', 'name', 'relation'] },
);
const householdFields = {
  caseRef: maybe(fc.constantFrom('HD-621002-2025-000001', 'HD-621002-2025-000002', '')),
  regionCode: maybe(fc.constantFrom('621002', '62', '621002001')),
  assistanceType: maybe(
    fc.constantFrom('subsistence_allowance', 'extreme_poverty', 'temporary_assistance', ''),
  ),
  asOfDate: maybe(fc.constantFrom('2025-09-01', '2025-08-15', '2025-02-30')),
  windowEndMonth: maybe(fc.constantFrom('2025-08', '2025-07', '2025-13')),
  members: maybe(fc.array(member, { minLength: 1, maxLength: 3 })),
  declaredAssets: maybe(fc.constant({})),
};
const entrustment = fc.record(householdFields, { requiredKeys: ['assistanceType', 'members'] });
const household = fc.record(householdFields, {
  requiredKeys: ['caseRef', 'regionCode', 'assistanceType', 'members'],
});

const payrollRow = fc.dictionary(
  fc.constantFrom('employer', 'month', 'grossPay', 'netPay', 'idNumber', 'name', '工作单位', '应发工资', 'x'),
  maybe(fc.oneof(ID, fc.constantFrom('2025-07', '6820.00', '-1', '1e400', '张三'), fc.double())),
);

/** A body as sent: JSON text (valid or not) of arbitrary or shaped values. */
function bodyOf(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: shaped.map((v) => JSON.stringify(v)), weight: 3 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 2 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    {
      arbitrary: fc.constantFrom('', '{', '[', 'null', '{"__proto__":{"x":1}}', '[{"constructor":{}}]'),
      weight: 1,
    },
  );
}

interface Api {
  name: string;
  user: string;
  url: (extra: string) => string;
  body: fc.Arbitrary<string>;
  extra: fc.Arbitrary<string>;
  contentType: fc.Arbitrary<string>;
}

const payroll = findDataset('payroll');
const APIS: Api[] = [
  {
    name: 'POST /api/cases',
    user: 'xifeng_requester',
    url: () => '/api/cases',
    body: bodyOf(entrustment),
    extra: fc.constant(''),
    contentType: fc.constant('application/json'),
  },
  {
    name: 'POST /api/v1/datasets/:code/batches',
    user: `dept_${payroll?.departmentCode}`,
    url: (period) => `/api/v1/datasets/payroll/batches?period=${encodeURIComponent(period)}`,
    body: bodyOf(fc.array(payrollRow, { maxLength: 5 })),
    extra: fc.constantFrom('2025H1', '2025-06', '2025', 'x', ''),
    contentType: fc.constantFrom('application/json', 'application/x-ndjson'),
  },
  {
    name: 'POST /api/assessments',
    user: 'xifeng_staff',
    url: () => '/api/assessments',
    body: bodyOf(household),
    extra: fc.constant(''),
    contentType: fc.constant('application/json'),
  },
];

async function counts(t: TestApp): Promise<Record<string, number>> {
  const schema = t.database.dialect === 'postgres' ? await currentPgSchema(t.database) : null;
  const tables = (await listTables(t.database, schema)).filter((n) => !BOOKKEEPING.test(n));
  return countRows(t.database, tables, schema);
}

describeEachDatabase('fuzzing the JSON APIs', (dialect) => {
  const t = useTestApp(dialect, {
    env: { HEDUI_RATE_LIMIT_PER_MINUTE: '0', HEDUI_RATE_LIMIT_ACCOUNT_PER_MINUTE: '0' },
  });
  const runs = dialect === 'postgres' && LONG_RUN ? Math.min(RUNS, PG_LONG_RUNS) : RUNS;
  const cookies = new Map<string, string>();
  beforeAll(async () => {
    for (const api of APIS) cookies.set(api.user, await t.login(api.user));
  });

  for (const api of APIS) {
    it(
      `${api.name} answers any body with a 2xx or a Chinese 4xx, never a 500, and stores nothing when it refuses`,
      async () => {
        let before = await counts(t);
        const statuses = new Map<number, number>();
        await fuzzAsync(
          `${api.name} [${dialect}]`,
          fc.asyncProperty(api.body, api.extra, api.contentType, async (body, extra, contentType) => {
            const res = await t.app.inject({
              method: 'POST',
              url: api.url(extra),
              headers: {
                cookie: cookies.get(api.user) ?? '',
                'x-hedui-csrf': '1',
                'content-type': contentType,
              },
              payload: body,
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            expect(res.statusCode, res.body).toBeLessThan(500);
            const after = await counts(t);
            if (res.statusCode >= 400) {
              const error = res.json<{ error: { code: string; message: string } }>().error;
              expect(error.message).toMatch(CHINESE);
              expect(after).toEqual(before);
            } else if (api.name.includes('batches')) {
              // A rejected or duplicate push keeps its outcome only; a committed one all its rows.
              const result = res.json<{ status: string; stored: number }>();
              expect((after.record ?? 0) - (before.record ?? 0)).toBe(
                result.status === 'committed' ? result.stored : 0,
              );
            }
            before = after;
          }),
          runs,
        );
        console.info(
          `[fuzz] ${api.name} [${dialect}] statuses: ${JSON.stringify(Object.fromEntries(statuses))}`,
        );
      },
      timeoutFor(runs, 20),
    );
  }
});
