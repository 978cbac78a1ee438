import { addMonths, monthsOfPeriod, parsePeriod, periodOfGranularity } from '../catalog/period.ts';
import { type DatasetDef, FREQUENCIES, type Frequency, type ParsedPeriod } from '../catalog/types.ts';

/**
 * The delivery schedule of C§4, configurable per dataset: each delivery period is due on day `dueDay` of the
 * month after it ends (C§4: the 10th). A period counts as delivered once committed batches cover all of its
 * months — a coarser batch (a whole year of a monthly dataset) covers every period inside it.
 */

export const DEFAULT_DUE_DAY = 10;
/** Every month has a 28th, so a due day never falls outside its month. */
export const MAX_DUE_DAY = 28;
export const EARLIEST_FIRST_YEAR = 2000;
export const LATEST_FIRST_YEAR = 2100;

export interface DeliveryRule {
  dataset: string;
  frequency: Frequency;
  dueDay: number;
  /**
   * The first period expected, as configured; null means the default: the first delivery period of the
   * previous calendar year, so the schedule always looks back over at least the 12-month income window.
   */
  firstPeriod: string | null;
}

export interface Deadline {
  period: string;
  dueDate: string;
}

export interface OverduePeriod extends Deadline {
  daysOverdue: number;
}

/** A batch as the schedule sees it: the months it covers and the Asia/Shanghai date it arrived. */
export interface CoveringBatch {
  periodFirstMonth: string;
  periodLastMonth: string;
  deliveredOn: string;
}

export function isFrequency(value: string): value is Frequency {
  return (FREQUENCIES as readonly string[]).includes(value);
}

export function catalogRule(dataset: DatasetDef): DeliveryRule {
  return { dataset: dataset.code, frequency: dataset.frequency, dueDay: DEFAULT_DUE_DAY, firstPeriod: null };
}

export type RuleProblem = { field: 'frequency' | 'dueDay' | 'firstPeriod'; message: string };

/** Checks a rule an administrator enters; returns it with the first period normalised (`2025-q3` → `2025-Q3`). */
export function checkDeliveryRule(
  input: DeliveryRule,
): { ok: true; rule: DeliveryRule } | { ok: false; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  if (!isFrequency(input.frequency))
    problems.push({ field: 'frequency', message: `报送频次只能是 ${FREQUENCIES.join('、')}` });
  if (!Number.isInteger(input.dueDay) || input.dueDay < 1 || input.dueDay > MAX_DUE_DAY)
    problems.push({ field: 'dueDay', message: `报送截止日须为 1–${MAX_DUE_DAY} 之间的整数` });
  let firstPeriod: string | null = null;
  // A blank field means "the default", as null does.
  if (input.firstPeriod !== null && input.firstPeriod.trim() !== '') {
    const parsed = parsePeriod(input.firstPeriod);
    const year = parsed.ok ? Number(parsed.value.firstMonth.slice(0, 4)) : 0;
    if (!parsed.ok)
      problems.push({
        field: 'firstPeriod',
        message: '首个应报期格式应为 2025-06、2025-Q2、2025-H1 或 2025',
      });
    else if (year < EARLIEST_FIRST_YEAR || year > LATEST_FIRST_YEAR)
      problems.push({
        field: 'firstPeriod',
        message: `首个应报期须在 ${EARLIEST_FIRST_YEAR}–${LATEST_FIRST_YEAR} 年之间`,
      });
    else firstPeriod = parsed.value.label;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, rule: { ...input, firstPeriod } };
}

/** The delivery period (of the rule's frequency) from which deliveries are expected. */
export function firstExpectedPeriod(rule: DeliveryRule, today: string): ParsedPeriod {
  const configured = rule.firstPeriod === null ? null : parsePeriod(rule.firstPeriod);
  const month = configured?.ok ? configured.value.firstMonth : `${Number(today.slice(0, 4)) - 1}-01`;
  return periodOfGranularity(rule.frequency, month);
}

export function dueDateOf(rule: DeliveryRule, period: ParsedPeriod): string {
  return `${addMonths(period.lastMonth, 1)}-${String(rule.dueDay).padStart(2, '0')}`;
}

function nextPeriod(rule: DeliveryRule, period: ParsedPeriod): ParsedPeriod {
  return periodOfGranularity(rule.frequency, addMonths(period.lastMonth, 1));
}

/** Expected delivery periods whose due date has passed by `today` (on the due date itself a delivery is on time). */
export function duePeriods(rule: DeliveryRule, today: string): { period: ParsedPeriod; dueDate: string }[] {
  const due: { period: ParsedPeriod; dueDate: string }[] = [];
  for (let period = firstExpectedPeriod(rule, today); ; period = nextPeriod(rule, period)) {
    const dueDate = dueDateOf(rule, period);
    if (dueDate >= today) return due;
    due.push({ period, dueDate });
  }
}

/**
 * The date by which every month of `period` was covered by some batch (each month by its earliest covering
 * batch), or null while a month is still uncovered.
 */
export function deliveredOn(period: ParsedPeriod, batches: readonly CoveringBatch[]): string | null {
  let latest = '';
  for (const month of monthsOfPeriod(period)) {
    let earliest: string | null = null;
    for (const b of batches)
      if (b.periodFirstMonth <= month && month <= b.periodLastMonth)
        if (earliest === null || b.deliveredOn < earliest) earliest = b.deliveredOn;
    if (earliest === null) return null;
    if (earliest > latest) latest = earliest;
  }
  return latest;
}

/** Calendar days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const utc = (date: string) =>
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

export function overduePeriods(
  rule: DeliveryRule,
  batches: readonly CoveringBatch[],
  today: string,
): OverduePeriod[] {
  return duePeriods(rule, today)
    .filter((d) => deliveredOn(d.period, batches) === null)
    .map((d) => ({ period: d.period.label, dueDate: d.dueDate, daysOverdue: daysBetween(d.dueDate, today) }));
}

/** Periods looked at beyond today before giving up: ten years of a monthly dataset. */
const LOOK_AHEAD = 120;

/** The first period not yet delivered whose due date is today or later. */
export function nextDue(
  rule: DeliveryRule,
  batches: readonly CoveringBatch[],
  today: string,
): Deadline | null {
  let period = firstExpectedPeriod(rule, today);
  for (let ahead = 0; ahead < LOOK_AHEAD; period = nextPeriod(rule, period)) {
    const dueDate = dueDateOf(rule, period);
    if (dueDate < today) continue;
    ahead += 1;
    if (deliveredOn(period, batches) === null) return { period: period.label, dueDate };
  }
  return null;
}

/** Of the periods due by `today`, how many were delivered by their due date. */
export function onTimeCounts(
  rule: DeliveryRule,
  batches: readonly CoveringBatch[],
  today: string,
): { due: number; onTime: number } {
  const due = duePeriods(rule, today);
  const onTime = due.filter((d) => {
    const on = deliveredOn(d.period, batches);
    return on !== null && on <= d.dueDate;
  }).length;
  return { due: due.length, onTime };
}

const HALF_NAMES = ['上半年', '下半年'];

/** `2025-06` → 2025年6月, `2025-Q2` → 2025年第2季度, `2025-H1` → 2025年上半年, `2025` → 2025年度. */
export function describePeriod(label: string): string {
  const parsed = parsePeriod(label);
  if (!parsed.ok) return label;
  const { granularity, firstMonth } = parsed.value;
  const year = firstMonth.slice(0, 4);
  const month = Number(firstMonth.slice(5, 7));
  switch (granularity) {
    case 'month':
      return `${year}年${month}月`;
    case 'quarter':
      return `${year}年第${Math.ceil(month / 3)}季度`;
    case 'half':
      return `${year}年${HALF_NAMES[month <= 6 ? 0 : 1]}`;
    case 'year':
      return `${year}年度`;
  }
}

/** A current (committed) batch of a dataset. */
export interface CommittedBatch extends CoveringBatch {
  period: string;
  dataAsOf: string;
  /** ISO-8601 instant the batch arrived. */
  createdAt: string;
}

export interface Freshness {
  /** The first expected period in effect: the configured one, or the default (see DeliveryRule.firstPeriod). */
  expectedFrom: string;
  latestPeriod: string | null;
  dataAsOf: string | null;
  lastDeliveredAt: string | null;
  nextDue: Deadline | null;
  overdue: OverduePeriod[];
}

/** What a dataset's current batches say about its delivery: the latest period held, how fresh, what is late. */
export function assessFreshness(
  rule: DeliveryRule,
  committed: readonly CommittedBatch[],
  today: string,
): Freshness {
  let latest: CommittedBatch | null = null;
  let dataAsOf: string | null = null;
  let lastDeliveredAt: string | null = null;
  for (const b of committed) {
    if (
      latest === null ||
      b.periodLastMonth > latest.periodLastMonth ||
      (b.periodLastMonth === latest.periodLastMonth && b.createdAt > latest.createdAt)
    )
      latest = b;
    if (dataAsOf === null || b.dataAsOf > dataAsOf) dataAsOf = b.dataAsOf;
    if (lastDeliveredAt === null || b.createdAt > lastDeliveredAt) lastDeliveredAt = b.createdAt;
  }
  return {
    expectedFrom: firstExpectedPeriod(rule, today).label,
    latestPeriod: latest?.period ?? null,
    dataAsOf,
    lastDeliveredAt,
    nextDue: nextDue(rule, committed, today),
    overdue: overduePeriods(rule, committed, today),
  };
}
