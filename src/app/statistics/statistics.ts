import { isInRegionScope } from '../../domain/access/scope.ts';
import type { HouseholdAssessment } from '../../domain/assessment/types.ts';
import { ASSISTANCE_TYPE_LABELS, ASSISTANCE_TYPES } from '../../domain/policy/assistance-types.ts';
import { ALERT_STATE_LABELS, ALERT_STATES } from '../../domain/recheck/alerts.ts';
import { CHANGE_KIND_LABELS, CHANGE_KINDS } from '../../domain/recheck/changes.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import {
  type CaseFigures,
  type CountyCaseFigures,
  caseFigures,
  countyOf,
  type DepartmentFigures,
  type Distributions,
  departmentFigures,
  distributions,
  type HouseholdFigures,
  type RecheckFigures,
  recheckFigures,
  type StatisticsStep,
} from '../../domain/statistics/statistics.ts';
import { decryptResult } from '../assessment/stored-assessment.ts';
import { loadWorkdayCalendar } from '../calendar/calendar.ts';
import { isAgencyActor } from '../cases/case-access.ts';
import { effectiveRules } from '../delivery/delivery-rules.ts';
import type { Actor, AssessmentRow, Deps } from '../ports.ts';
import { withUnmatchedRows } from '../quality/get-data-quality.ts';
import { type ChartTable, chartTable, type StatisticsChart } from './statistics-tables.ts';

/**
 * The statistics dashboards (issue #6 item 6) for the caller's region: a city agency sees each of its counties
 * side by side and the city in all, a county agency its own county. Filters: region (a county or township in
 * scope), assistance type, period. Only counts, rates and buckets leave here — no case number, name or ID
 * number; the verified households' figures are read from their reports' stored (encrypted) results and reduced
 * to buckets in memory. Every look is audited (STATISTICS_VIEWED), every export too (STATISTICS_EXPORTED).
 */

export interface StatisticsQuery {
  from?: string;
  to?: string;
  regionCode?: string;
  assistanceType?: string;
}

export interface CountyRef {
  code: string;
  name: string;
}

export type RecheckBlock =
  | { available: true; counties: (RecheckFigures & { countyName: string })[]; total: RecheckFigures }
  | { available: false; message: string };

export interface StatisticsView {
  today: string;
  period: { from: string; to: string };
  regionCode: string;
  assistanceType: string | null;
  calendarVersion: string;
  counties: CountyRef[];
  cases: { counties: (CountyCaseFigures & { countyName: string })[]; total: CaseFigures };
  departments: DepartmentFigures[];
  households: {
    counties: (Distributions & { countyCode: string; countyName: string })[];
    total: Distributions;
  };
  recheck: RecheckBlock;
  labels: {
    assistanceTypes: Record<string, string>;
    changeKinds: Record<string, string>;
    alertStates: Record<string, string>;
  };
}

/** Enough for any agency's cases at once: the statistics count them all, they do not page. */
const ALL = 1_000_000;

/** The report figures compared to tell whether a review changed the result. */
function reportFigures(household: HouseholdAssessment['household']): string {
  const a = household.assets;
  return JSON.stringify([
    household.membersCounted,
    household.income.total.totalFen,
    household.perCapitaMonthlyIncomeFen,
    a.deposits.totalFen,
    a.vehicles.count,
    a.realEstate.count,
    a.marketEntities.count,
  ]);
}

function checkQuery(query: StatisticsQuery, actor: Actor, today: string) {
  if (!isAgencyActor(actor) || actor.regionCode === null)
    throw new AppError('PERMISSION_DENIED', '只有核对机构人员可以查看统计分析');
  const from = query.from ?? `${today.slice(0, 4)}-01-01`;
  const to = query.to ?? today;
  if (from > to) throw new AppError('VALIDATION_FAILED', '统计期间的开始日期不能晚于结束日期', { from, to });
  const regionCode = query.regionCode ?? actor.regionCode;
  if (!isInRegionScope(regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该区域不在您的数据范围内', { regionCode });
  if (
    query.assistanceType !== undefined &&
    !(ASSISTANCE_TYPES as readonly string[]).includes(query.assistanceType)
  )
    throw new AppError('VALIDATION_FAILED', '救助类型不正确', { assistanceType: query.assistanceType });
  return { from, to, regionCode, assistanceType: query.assistanceType ?? null };
}

/** The counties shown: a city's (or province's) counties, or the one county of a county or township. */
async function countiesOf(deps: Deps, regionCode: string): Promise<CountyRef[]> {
  const county = countyOf(regionCode);
  if (regionCode.length === 9 || !county.endsWith('00')) {
    const region = await deps.store.regions.get(county);
    return [{ code: county, name: region?.name ?? county }];
  }
  const out: CountyRef[] = [];
  const walk = async (code: string) => {
    for (const child of await deps.store.regions.children(code)) {
      if (child.level === 'county') out.push({ code: child.code, name: child.name });
      else if (child.code.length === 6 && child.hasChildren) await walk(child.code);
    }
  };
  await walk(regionCode);
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

export async function getStatistics(
  deps: Deps,
  query: StatisticsQuery,
  actor: Actor,
): Promise<StatisticsView> {
  const view = await computeStatistics(deps, query, actor);
  await deps.store.audit.append(
    actor,
    {
      action: 'STATISTICS_VIEWED',
      outcome: 'success',
      objectType: 'region',
      objectId: view.regionCode,
      details: {
        from: view.period.from,
        to: view.period.to,
        assistanceType: view.assistanceType,
        counties: view.counties.length,
        households: view.households.total.households,
      },
    },
    deps.clock.now().toISOString(),
  );
  return view;
}

/** The figures without the audit entry (the look or the export records its own). */
export async function computeStatistics(
  deps: Deps,
  query: StatisticsQuery,
  actor: Actor,
): Promise<StatisticsView> {
  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const { from, to, regionCode, assistanceType } = checkQuery(query, actor, today);
  const period = { from, to };

  const [{ items: all }, calendar, counties] = await Promise.all([
    deps.store.cases.list({ regionScope: regionCode, offset: 0, limit: ALL }),
    loadWorkdayCalendar(deps.store),
    countiesOf(deps, regionCode),
  ]);
  const cases = assistanceType === null ? all : all.filter((kase) => kase.assistanceType === assistanceType);
  const countyName = new Map(counties.map((c) => [c.code, c.name]));
  const nameOf = (code: string) => countyName.get(code) ?? code;

  // ——— Cases: steps with their dates; a review's outcome from the figures of its report and the first one.
  const events = await deps.store.cases.caseStepDetails(
    cases.map((kase) => kase.id),
    ['approve_extension', 'approve_suspension', 'terminate', 'approve_report'],
  );
  const steps: StatisticsStep[] = [];
  /** Per case: the assessment of its first report, and of its latest report (a review's, after an appeal). */
  const firstReport = new Map<number, number>();
  const latestReport = new Map<number, number>();
  const reviews: { caseId: number; on: string; assessmentId: number | null }[] = [];
  for (const event of events) {
    const on = shanghaiDateOf(new Date(event.at));
    if (event.step === 'approve_extension') steps.push({ caseId: event.caseId, kind: 'extension', on });
    else if (event.step === 'approve_suspension')
      steps.push({ caseId: event.caseId, kind: 'suspension', on });
    else if (event.step === 'terminate') steps.push({ caseId: event.caseId, kind: 'termination', on });
    else {
      const assessmentId = typeof event.details.assessmentId === 'number' ? event.details.assessmentId : null;
      if (assessmentId !== null) {
        if (!firstReport.has(event.caseId)) firstReport.set(event.caseId, assessmentId);
        latestReport.set(event.caseId, assessmentId);
      }
      if (event.details.review === true) reviews.push({ caseId: event.caseId, on, assessmentId });
    }
  }
  const reported = cases.filter(
    (kase) => kase.reportedOn !== null && kase.reportedOn >= from && kase.reportedOn <= to,
  );
  const wanted = new Set<number>();
  for (const kase of reported) {
    const id = latestReport.get(kase.id);
    if (id !== undefined) wanted.add(id);
  }
  for (const review of reviews)
    if (review.on >= from && review.on <= to) {
      const first = firstReport.get(review.caseId);
      if (first !== undefined) wanted.add(first);
      if (review.assessmentId !== null) wanted.add(review.assessmentId);
    }
  // Decrypted one at a time and reduced at once to the figures kept: nothing personal is held past this loop.
  const figuresOf = new Map<number, { household: HouseholdAssessment['household']; key: string }>();
  for (const id of wanted) {
    const row: AssessmentRow | undefined = await deps.store.assessments.get(id);
    if (!row) continue;
    const household = decryptResult(deps, row).assessment.household;
    figuresOf.set(id, { household, key: reportFigures(household) });
  }
  for (const review of reviews) {
    const first = figuresOf.get(firstReport.get(review.caseId) ?? -1);
    const again = review.assessmentId === null ? undefined : figuresOf.get(review.assessmentId);
    steps.push({
      caseId: review.caseId,
      kind: 'review',
      on: review.on,
      changed: first === undefined || again === undefined ? null : first.key !== again.key,
    });
  }

  const caseBlock = caseFigures({
    cases: cases.map((kase) => ({
      id: kase.id,
      regionCode: kase.regionCode,
      assistanceType: kase.assistanceType,
      receivedOn: kase.receivedOn,
      acceptanceDue: kase.acceptanceDue,
      acceptedOn: kase.acceptedOn,
      reportDue: kase.reportDue,
      reportedOn: kase.reportedOn,
      appealedOn: kase.appealedOn,
    })),
    steps,
    calendar,
    period,
    counties: counties.map((c) => c.code),
  });

  // ——— Verified households: the figures of each case's latest report, when its first report fell in the period.
  const households: HouseholdFigures[] = reported.flatMap((kase) => {
    const figures = figuresOf.get(latestReport.get(kase.id) ?? -1);
    if (!figures) return [];
    const h = figures.household;
    return [
      {
        countyCode: countyOf(kase.regionCode),
        perCapitaMonthlyIncomeFen: h.perCapitaMonthlyIncomeFen,
        depositsFen: h.assets.deposits.totalFen,
        vehicles: h.assets.vehicles.count,
        realEstate: h.assets.realEstate.count,
      },
    ];
  });
  figuresOf.clear();

  // ——— Departments: city-wide (departments deliver for the whole city), the same for every county.
  const rules = await effectiveRules(deps.store);
  const facts = await withUnmatchedRows(deps, await deps.store.deliveries.batchFacts({}));
  const departments = departmentFigures({ facts, rules, period, today });

  return {
    today,
    period,
    regionCode,
    assistanceType,
    calendarVersion: calendar.versionStamp(),
    counties,
    cases: {
      counties: caseBlock.counties.map((c) => ({ ...c, countyName: nameOf(c.countyCode) })),
      total: caseBlock.total,
    },
    departments,
    households: {
      counties: counties.map((c) => ({
        countyCode: c.code,
        countyName: c.name,
        ...distributions(households.filter((h) => h.countyCode === c.code)),
      })),
      total: distributions(households),
    },
    recheck: await recheckBlock(deps, { regionCode, from, to, counties, nameOf }),
    labels: {
      assistanceTypes: { ...ASSISTANCE_TYPE_LABELS },
      changeKinds: { ...CHANGE_KIND_LABELS },
      alertStates: { ...ALERT_STATE_LABELS },
    },
  };
}

/**
 * The monthly recheck's figures: runs of the months the period touches. Families and alerts belong to the
 * county of their requester. The recheck has no assistance type per family here, so this block ignores that
 * filter (docs/statistics.md).
 */
async function recheckBlock(
  deps: Deps,
  input: {
    regionCode: string;
    from: string;
    to: string;
    counties: CountyRef[];
    nameOf: (code: string) => string;
  },
): Promise<RecheckBlock> {
  const counts = await deps.store.cases.recheckCounts({
    regionScope: input.regionCode,
    fromMonth: input.from.slice(0, 7),
    toMonth: input.to.slice(0, 7),
  });
  const figures = recheckFigures({
    items: counts.items.map((row) => ({ ...row, countyCode: countyOf(row.regionCode) })),
    alerts: counts.alerts.map((row) => ({ ...row, countyCode: countyOf(row.regionCode) })),
    counties: input.counties.map((c) => c.code),
    kinds: CHANGE_KINDS,
    states: ALERT_STATES,
  });
  return {
    available: true,
    counties: figures.counties.map((c) => ({ ...c, countyName: input.nameOf(c.countyCode ?? '') })),
    total: figures.total,
  };
}

/**
 * One chart's table with the filters it was computed for, for the XLSX export (written by
 * src/documents/statistics-workbook.ts in the route); audited (STATISTICS_EXPORTED).
 */
export async function exportStatistics(
  deps: Deps,
  query: StatisticsQuery,
  chart: StatisticsChart,
  actor: Actor,
): Promise<{ fileName: string; table: ChartTable; filters: [string, string][] }> {
  const view = await computeStatistics(deps, query, actor);
  const table = chartTable(view, chart);
  const region =
    view.counties.length === 1
      ? (view.counties[0]?.name ?? view.regionCode)
      : ((await deps.store.regions.get(view.regionCode))?.name ?? view.regionCode);
  const filters: [string, string][] = [
    ['统计期间', `${view.period.from} 至 ${view.period.to}`],
    ['区域', region],
    [
      '救助类型',
      view.assistanceType === null
        ? '全部'
        : (view.labels.assistanceTypes[view.assistanceType] ?? view.assistanceType),
    ],
    ['统计日期', view.today],
  ];
  await deps.store.audit.append(
    actor,
    {
      action: 'STATISTICS_EXPORTED',
      outcome: 'success',
      objectType: 'region',
      objectId: view.regionCode,
      details: {
        chart,
        from: view.period.from,
        to: view.period.to,
        assistanceType: view.assistanceType,
        rows: table.rows.length,
      },
    },
    deps.clock.now().toISOString(),
  );
  return { fileName: `${table.title}-${view.period.from}至${view.period.to}.xlsx`, table, filters };
}
