import type { WorkdayCalendar } from '../calendar/working-days.ts';
import { type AgencyPunctuality, type CountedStep, punctualityByAgency } from '../cases/dashboard.ts';
import { DEPARTMENTS, type DepartmentCode, datasetsOfDepartment } from '../catalog/datasets.ts';
import { type BatchFact, departmentQuality, isStanding } from '../delivery/quality.ts';
import { catalogRule, type DeliveryRule, deliveredOn, duePeriods } from '../delivery/schedule.ts';
import { shanghaiDateOf } from '../shared/clock.ts';

/**
 * The statistics dashboards (issue #6 item 6): pure aggregation of what the use case loads — cases with their
 * step dates, department deliveries, and the verified households' figures reduced to numbers without a person.
 * Every figure is counted by the date of its own event within the period (both ends included); see
 * docs/statistics.md for each definition. Rates are shares 0–1 rounded to 3 decimals, null with nothing to
 * divide by.
 */

export interface StatisticsPeriod {
  from: string;
  to: string;
}

function within(date: string | null, period: StatisticsPeriod): date is string {
  return date !== null && date >= period.from && date <= period.to;
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

/** The county (6-digit code) a region belongs to: a township's first six digits. */
export function countyOf(regionCode: string): string {
  return regionCode.slice(0, 6);
}

// ——— Cases ———

/** What the case figures need of a case (no personal data). */
export interface StatisticsCase {
  id: number;
  regionCode: string;
  assistanceType: string;
  receivedOn: string;
  acceptanceDue: string;
  acceptedOn: string | null;
  reportDue: string | null;
  /** The first report's date (a review's report does not move it). */
  reportedOn: string | null;
  appealedOn: string | null;
}

/** A step of a case counted by the statistics, with its Shanghai date. */
export type StatisticsStep =
  | { caseId: number; kind: 'extension' | 'suspension' | 'termination'; on: string }
  /** A review finished (the review report approved): `changed` when its figures differ from the first report's. */
  | { caseId: number; kind: 'review'; on: string; changed: boolean | null };

export interface CaseFigures {
  received: number;
  accepted: number;
  /** Reports issued, suspensions approved and terminations in the period. */
  completed: number;
  reported: number;
  reportedOnTime: number;
  onTimeRate: number | null;
  averageWorkdaysToReport: number | null;
  extensions: number;
  suspensions: number;
  terminations: number;
  appeals: number;
  reviewsDone: number;
  reviewsChanged: number;
  reviewsUnchanged: number;
}

export interface CountyCaseFigures extends CaseFigures {
  countyCode: string;
}

function emptyFigures(): CaseFigures {
  return {
    received: 0,
    accepted: 0,
    completed: 0,
    reported: 0,
    reportedOnTime: 0,
    onTimeRate: null,
    averageWorkdaysToReport: null,
    extensions: 0,
    suspensions: 0,
    terminations: 0,
    appeals: 0,
    reviewsDone: 0,
    reviewsChanged: 0,
    reviewsUnchanged: 0,
  };
}

/**
 * The case figures per county (in the order of `counties`, every one listed even without cases) and in all.
 * On-time rate, mean working days and extensions are the case deadline dashboard's own figures
 * (`punctualityByAgency`), grouped by county instead of agency.
 */
export function caseFigures(input: {
  cases: readonly StatisticsCase[];
  steps: readonly StatisticsStep[];
  calendar: WorkdayCalendar;
  period: StatisticsPeriod;
  counties: readonly string[];
}): { counties: CountyCaseFigures[]; total: CaseFigures } {
  const { period } = input;
  const countyOfCase = new Map(input.cases.map((kase) => [kase.id, countyOf(kase.regionCode)]));
  const figures = new Map<string, CaseFigures>(input.counties.map((code) => [code, emptyFigures()]));
  const of = (code: string) => {
    let f = figures.get(code);
    if (!f) {
      f = emptyFigures();
      figures.set(code, f);
    }
    return f;
  };
  for (const kase of input.cases) {
    const f = of(countyOf(kase.regionCode));
    if (within(kase.receivedOn, period)) f.received += 1;
  }
  for (const step of input.steps) {
    const county = countyOfCase.get(step.caseId);
    if (county === undefined || !within(step.on, period)) continue;
    const f = of(county);
    if (step.kind === 'termination') f.terminations += 1;
    if (step.kind === 'review') {
      f.reviewsDone += 1;
      if (step.changed === true) f.reviewsChanged += 1;
      if (step.changed === false) f.reviewsUnchanged += 1;
    }
  }
  const punctuality = (cases: readonly StatisticsCase[]) =>
    punctualityByAgency(
      cases.map((kase) => ({
        id: kase.id,
        agencyId: 0,
        acceptanceDue: kase.acceptanceDue,
        acceptedOn: kase.acceptedOn,
        reportDue: kase.reportDue,
        reportedOn: kase.reportedOn,
        appealedOn: kase.appealedOn,
      })),
      input.steps.flatMap((step): CountedStep[] =>
        step.kind === 'extension' || step.kind === 'suspension'
          ? [{ caseId: step.caseId, kind: step.kind, on: step.on }]
          : [],
      ),
      input.calendar,
      period,
    )[0];
  const apply = (f: CaseFigures, p: AgencyPunctuality | undefined) => {
    if (!p) return;
    f.accepted = p.accepted;
    f.reported = p.reported;
    f.reportedOnTime = p.reportedOnTime;
    f.onTimeRate = p.onTimeRate;
    f.averageWorkdaysToReport = p.averageWorkdaysToReport;
    f.extensions = p.extensions;
    f.suspensions = p.suspensions;
    f.appeals = p.appeals;
  };
  for (const [code, f] of figures) {
    apply(f, punctuality(input.cases.filter((kase) => countyOf(kase.regionCode) === code)));
    f.completed = f.reported + f.suspensions + f.terminations;
  }
  const total = emptyFigures();
  apply(total, punctuality(input.cases));
  for (const f of figures.values()) {
    total.received += f.received;
    total.terminations += f.terminations;
    total.reviewsDone += f.reviewsDone;
    total.reviewsChanged += f.reviewsChanged;
    total.reviewsUnchanged += f.reviewsUnchanged;
  }
  total.completed = total.reported + total.suspensions + total.terminations;
  return {
    counties: [...figures].map(([countyCode, f]) => ({ countyCode, ...f })),
    total,
  };
}

// ——— Departments: delivery timeliness and data quality ———

export interface DepartmentFigures {
  departmentCode: string;
  departmentName: string;
  /** Delivery periods whose due date fell in the period (and has passed): delivered by then, late, missing. */
  due: number;
  onTime: number;
  late: number;
  missing: number;
  onTimeRate: number | null;
  /** Batches that arrived in the period: all, committed (standing), rejected, and their rates. */
  batches: number;
  committed: number;
  rejected: number;
  rejectionRate: number | null;
  duplicateRate: number | null;
  unmatchedRate: number | null;
}

/**
 * Per department: the periods due in the statistics period (due date from the delivery rule, as on the
 * delivery and quality pages) and whether all their months were covered by a standing batch by the due date,
 * later, or not yet; and the data-quality figures (`departmentQuality`) of the batches that arrived in the period.
 */
export function departmentFigures(input: {
  facts: readonly BatchFact[];
  rules: ReadonlyMap<string, DeliveryRule>;
  period: StatisticsPeriod;
  today: string;
  departments?: readonly DepartmentCode[];
}): DepartmentFigures[] {
  const codes = input.departments ?? (Object.keys(DEPARTMENTS) as DepartmentCode[]);
  const arrived = input.facts.filter((f) => within(shanghaiDateOf(new Date(f.createdAt)), input.period));
  return codes.map((departmentCode) => {
    let due = 0;
    let onTime = 0;
    let late = 0;
    for (const dataset of datasetsOfDepartment(departmentCode)) {
      const covering = input.facts
        .filter(
          (f) => f.departmentCode === departmentCode && f.dataset === dataset.code && isStanding(f.status),
        )
        .map((f) => ({
          periodFirstMonth: f.periodFirstMonth,
          periodLastMonth: f.periodLastMonth,
          deliveredOn: shanghaiDateOf(new Date(f.createdAt)),
        }));
      const rule = input.rules.get(dataset.code) ?? catalogRule(dataset);
      for (const d of duePeriods(rule, input.today)) {
        if (!within(d.dueDate, input.period)) continue;
        due += 1;
        const on = deliveredOn(d.period, covering);
        if (on === null) continue;
        if (on <= d.dueDate) onTime += 1;
        else late += 1;
      }
    }
    const quality = departmentQuality({
      departmentCode,
      facts: arrived,
      rules: input.rules,
      today: input.today,
    });
    return {
      departmentCode,
      departmentName: DEPARTMENTS[departmentCode],
      due,
      onTime,
      late,
      missing: due - onTime - late,
      onTimeRate: rate(onTime, due),
      batches: quality.batches,
      committed: quality.committed,
      rejected: quality.rejected,
      rejectionRate: rate(quality.rejected, quality.batches),
      duplicateRate: quality.duplicateRate === null ? null : Math.round(quality.duplicateRate * 1000) / 1000,
      unmatchedRate: quality.unmatchedRate === null ? null : Math.round(quality.unmatchedRate * 1000) / 1000,
    };
  });
}

// ——— Verified households: distributions ———

/** The figures of one verified household's report, and nothing that names it. */
export interface HouseholdFigures {
  countyCode: string;
  /** Null when no member was counted. */
  perCapitaMonthlyIncomeFen: number | null;
  depositsFen: number;
  vehicles: number;
  realEstate: number;
}

export interface Bucket {
  key: string;
  label: string;
  count: number;
}

/** Per-capita monthly income buckets, lower bound included, in fen (元 × 100). */
export const INCOME_BUCKETS_FEN: readonly number[] = [
  0, 30_000, 60_000, 90_000, 120_000, 150_000, 200_000, 300_000,
];
/** Deposit buckets in fen: 0, up to 1万, 1–3万, 3–5万, 5–10万, over 10万. */
export const DEPOSIT_BUCKETS_FEN: readonly number[] = [0, 1, 1_000_000, 3_000_000, 5_000_000, 10_000_000];

const yuan = (fen: number) => String(fen / 100);
const wan = (fen: number) => `${fen / 1_000_000}万`;

function bucketsOf(
  values: readonly number[],
  bounds: readonly number[],
  label: (lower: number, upper: number | null) => string,
): Bucket[] {
  const buckets = bounds.map((lower, i) => {
    const upper = bounds[i + 1] ?? null;
    return { key: upper === null ? `${lower}+` : `${lower}-${upper}`, label: label(lower, upper), count: 0 };
  });
  for (const value of values) {
    let index = 0;
    for (let i = 0; i < bounds.length; i += 1) if (value >= (bounds[i] as number)) index = i;
    (buckets[index] as Bucket).count += 1;
  }
  return buckets;
}

function smallCount(values: readonly number[]): Bucket[] {
  const buckets: Bucket[] = [
    { key: '0', label: '0', count: 0 },
    { key: '1', label: '1', count: 0 },
    { key: '2+', label: '2 及以上', count: 0 },
  ];
  for (const n of values) (buckets[Math.min(Math.max(n, 0), 2)] as Bucket).count += 1;
  return buckets;
}

export interface Distributions {
  households: number;
  /** Households whose per-capita income is unknown (no member counted) are apart. */
  incomeUnknown: number;
  income: Bucket[];
  deposits: Bucket[];
  vehicles: Bucket[];
  realEstate: Bucket[];
}

export function distributions(households: readonly HouseholdFigures[]): Distributions {
  const incomes = households.flatMap((h) =>
    h.perCapitaMonthlyIncomeFen === null ? [] : [h.perCapitaMonthlyIncomeFen],
  );
  return {
    households: households.length,
    incomeUnknown: households.length - incomes.length,
    income: bucketsOf(incomes, INCOME_BUCKETS_FEN, (lower, upper) =>
      upper === null ? `${yuan(lower)} 元及以上` : `${yuan(lower)}–${yuan(upper)} 元`,
    ),
    deposits: bucketsOf(
      households.map((h) => h.depositsFen),
      DEPOSIT_BUCKETS_FEN,
      (lower, upper) =>
        lower === 0
          ? '无存款'
          : upper === null
            ? `${wan(lower)}元以上`
            : lower === 1
              ? `1万元以下`
              : `${wan(lower)}–${wan(upper)}元`,
    ),
    vehicles: smallCount(households.map((h) => h.vehicles)),
    realEstate: smallCount(households.map((h) => h.realEstate)),
  };
}

// ——— Recheck ———

export interface RecheckItemFact {
  countyCode: string;
  status: string;
  changes: readonly string[];
  /** How many items alike (the store counts them grouped); 1 when absent. */
  count?: number;
}

export interface RecheckAlertFact {
  countyCode: string;
  state: string;
  count?: number;
}

export interface RecheckFigures {
  countyCode: string | null;
  familiesRechecked: number;
  familiesChanged: number;
  changesByKind: Record<string, number>;
  alerts: number;
  alertsOpen: number;
  alertsWorked: number;
  alertsByState: Record<string, number>;
}

/** Per county and in all: families rechecked (items done), with a change, each change kind, alerts by state. */
export function recheckFigures(input: {
  items: readonly RecheckItemFact[];
  alerts: readonly RecheckAlertFact[];
  counties: readonly string[];
  kinds: readonly string[];
  states: readonly string[];
}): { counties: RecheckFigures[]; total: RecheckFigures } {
  const empty = (countyCode: string | null): RecheckFigures => ({
    countyCode,
    familiesRechecked: 0,
    familiesChanged: 0,
    changesByKind: Object.fromEntries(input.kinds.map((k) => [k, 0])),
    alerts: 0,
    alertsOpen: 0,
    alertsWorked: 0,
    alertsByState: Object.fromEntries(input.states.map((s) => [s, 0])),
  });
  const total = empty(null);
  const rows = new Map(input.counties.map((code) => [code, empty(code)]));
  const of = (code: string) => {
    let r = rows.get(code);
    if (!r) {
      r = empty(code);
      rows.set(code, r);
    }
    return r;
  };
  for (const item of input.items) {
    if (item.status !== 'done') continue;
    const n = item.count ?? 1;
    for (const r of [of(item.countyCode), total]) {
      r.familiesRechecked += n;
      if (item.changes.length > 0) r.familiesChanged += n;
      for (const kind of item.changes) r.changesByKind[kind] = (r.changesByKind[kind] ?? 0) + n;
    }
  }
  for (const alert of input.alerts) {
    const n = alert.count ?? 1;
    for (const r of [of(alert.countyCode), total]) {
      r.alerts += n;
      if (alert.state === 'open') r.alertsOpen += n;
      else r.alertsWorked += n;
      r.alertsByState[alert.state] = (r.alertsByState[alert.state] ?? 0) + n;
    }
  }
  return { counties: [...rows.values()], total };
}
