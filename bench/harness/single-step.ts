/**
 * Single-family verification latency (BENCHMARK.md) in a fresh process against the loaded bench database:
 *
 *   single --clock ISO --samples N DIR
 *
 * Every recipient family of DIR/truth (the roster) is assessed through `assessRosterFamily` — the recheck
 * purpose: the same compute as staff's `runAssessment` (parse the request, resolve the policy, gather and match
 * every record by blind index, assess, compare, encrypt and store the assessment, audit) without the case look-up
 * of `requireOpenCase`, which a bench cannot satisfy without opening thousands of cases. The purpose's `record`
 * hook is a no-op (no recheck run row is written). Families are cycled until N calls are timed. The first
 * assessment of each family is compared with the ground truth (truth/expected-figures.csv and
 * expected-figures-main.csv, the figures from the main files only). Prints one JSON line.
 */
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { assessRosterFamily, recheckCaseRef } from '../../src/app/assessment/run-assessment.ts';
import { openRuntime, prepareDatabase } from '../../src/cli/runtime.ts';
import { loadConfig } from '../../src/config.ts';
import type { HouseholdAssessment } from '../../src/domain/assessment/types.ts';
import { ASSISTANCE_TYPE_LABELS, type AssistanceType } from '../../src/domain/policy/assistance-types.ts';
import type { Clock } from '../../src/domain/shared/clock.ts';
import { readCsv, takeOption, truthFamilies } from './city.ts';

const args = process.argv.slice(3);
const option = (name: string) => takeOption(args, name);
const base = new Date(option('clock')).getTime();
const samples = Number(option('samples'));
const dir = args[0] ?? '';
const startedReal = Date.now();
const clock: Clock = { now: () => new Date(base + (Date.now() - startedReal)) };
const config = { ...loadConfig(), demo: 'on' as const, demoData: false };
const runtime = openRuntime(config, clock);
await prepareDatabase(runtime, config);
const { deps } = runtime;

/** The engine's household figures named as the columns of truth/expected-figures.csv. */
function engineFigures(a: HouseholdAssessment): Record<string, number | null> {
  const h = a.household;
  const c = h.income.categories;
  return {
    members_counted: h.membersCounted,
    wages: c.wages.totalFen,
    business_net: c.business.totalFen,
    property_net: c.property.totalFen,
    transfer_income: c.transferIncome.totalFen,
    transfer_expenses: c.transferExpense.totalFen,
    transfer_net: h.income.transferNet.totalFen,
    other_income: c.other.totalFen,
    total_income: h.income.total.totalFen,
    per_capita_monthly: h.perCapitaMonthlyIncomeFen,
    deposits_total: h.assets.deposits.totalFen,
    vehicles: h.assets.vehicles.distinct,
    real_estate_units: h.assets.realEstate.distinctUnits,
    real_estate_area: h.assets.realEstate.areaHundredths,
    market_entities: h.assets.marketEntities.distinctEntities,
    market_entity_capital: h.assets.marketEntities.subscribedCapitalFen,
  };
}

function compare(
  engine: Map<string, Record<string, number | null>>,
  expectedFile: string,
): { families: number; differing: number; byFigure: Record<string, number>; examples: unknown[] } {
  const expected = new Map(readCsv(expectedFile).map((r) => [`F${r.family_id}`, r]));
  const byFigure: Record<string, number> = {};
  const examples: unknown[] = [];
  let differing = 0;
  let families = 0;
  for (const [key, figures] of engine) {
    const truth = expected.get(key);
    if (!truth) continue;
    families += 1;
    const diff = Object.entries(figures).filter(
      ([column, value]) => truth[column] !== undefined && Number(truth[column]) !== (value ?? 0),
    );
    if (diff.length === 0) continue;
    differing += 1;
    for (const [column] of diff) byFigure[column] = (byFigure[column] ?? 0) + 1;
    if (examples.length < 5)
      examples.push({
        family: key,
        diff: diff.map(([column, value]) => ({
          figure: column,
          engine: value,
          truth: Number(truth[column]),
        })),
      });
  }
  return { families, differing, byFigure, examples };
}

/** The roster carries the label (最低生活保障 …); the request takes the code. */
const typeByLabel = new Map(
  Object.entries(ASSISTANCE_TYPE_LABELS).map(([code, label]) => [label, code as AssistanceType]),
);
const families = truthFamilies(dir);
if (families.length === 0) throw new Error(`${dir}: no recipient families`);
const latencies: number[] = [];
const engine = new Map<string, Record<string, number | null>>();
const failures: Record<string, number> = {};
const t0 = performance.now();
for (let i = 0; latencies.length < Math.max(samples, families.length); i++) {
  const family = families[i % families.length] as (typeof families)[number];
  const runId = 0;
  const t = performance.now();
  try {
    const view = await assessRosterFamily(
      deps,
      {
        caseRef: recheckCaseRef(runId),
        regionCode: `${family.county}001`,
        assistanceType: typeByLabel.get(family.assistanceType) ?? 'subsistence_allowance',
        members: family.members,
      },
      SYSTEM_ACTOR,
      {
        kind: 'recheck',
        runId,
        rosterFamilyId: 0,
        authorizationOnFile: true,
        personKeys: family.members.map((m) => deps.crypto.blindIndex(m.idNumber)),
        record: async () => undefined,
      },
    );
    latencies.push(performance.now() - t);
    if (!engine.has(family.familyKey)) engine.set(family.familyKey, engineFigures(view.result.assessment));
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    failures[code] = (failures[code] ?? 0) + 1;
    if (Object.values(failures).reduce((a, b) => a + b, 0) > families.length) throw e;
  }
}
const seconds = (performance.now() - t0) / 1000;
await runtime.close();
process.stdout.write(
  `${JSON.stringify({
    families: families.length,
    calls: latencies.length,
    seconds,
    latenciesMs: latencies,
    failures,
    familyKeys: families.map((f) => f.familyKey),
    truth: compare(engine, join(dir, 'truth', 'expected-figures.csv')),
    truthMain: compare(engine, join(dir, 'truth', 'expected-figures-main.csv')),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
