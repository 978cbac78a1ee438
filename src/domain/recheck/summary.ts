import type { CivilStatusAssessment, MaritalStatus } from '../assessment/civil-status.ts';
import {
  DECLARABLE_INCOME,
  type DeclarableIncome,
  type HouseholdAssessment,
  type IncomeCategory,
  type IncomeEvidence,
  type Provenance,
  type RecordId,
  type ToleranceCategory,
} from '../assessment/types.ts';

/**
 * What the monthly recheck keeps of one family's assessment (issue #6 item 2) to compare it with next month's:
 * the income figures by category, the identifiers of the counted assets, and each member's civil-status and
 * payroll facts, every one with the record it rests on (dataset, batch, data-as-of date). Members are keyed by
 * the blind index of their ID number, so a roster that reorders its members still compares member to member.
 * Stored encrypted (`recheck_item.summary_enc`); nothing here is a finding about the family (Q§3).
 */

export interface SourceRef {
  dataset: string;
  batchId: number | string;
  departmentCode: string;
  dataAsOf: string;
  rowNumber: number;
  recordId: RecordId;
}

export interface AssetItem {
  /** 号牌号码 / 号牌或船名, 不动产单元号, 统一社会信用代码. */
  identifier: string;
  memberId: string;
  personKey: string;
  source: SourceRef;
}

export interface MemberFacts {
  personKey: string;
  memberId: string;
  relation: string;
  /** From the death records or a hukou status 死亡; the earliest source first. */
  deceased: { date: string | null; source: SourceRef } | null;
  hukou: { status: string; changeDate: string | null; source: SourceRef } | null;
  marriage: { status: MaritalStatus; date: string | null; source: SourceRef | null };
  /** `payroll` rows of the member inside the window (counted or covered by a larger source). */
  payroll: { months: string[]; sources: SourceRef[] } | null;
}

export type IncomeFigureKey = DeclarableIncome;

export interface RecheckSummary {
  asOfDate: string;
  windowFirstMonth: string;
  windowLastMonth: string;
  policyVersion: string;
  /** The policy's tolerances (fen over the window per category), as the comparison used them. */
  toleranceFen: Readonly<Record<ToleranceCategory, number>>;
  income: {
    /** Household totals over the window, by the five declarable categories (transfer income net). */
    categoriesFen: Record<IncomeFigureKey, number>;
    totalFen: number;
    perCapitaMonthlyFen: number | null;
    /** The distinct batches each category's counted figures come from. */
    sources: Record<IncomeFigureKey, SourceRef[]>;
  };
  vehicles: AssetItem[];
  realEstate: AssetItem[];
  marketEntities: AssetItem[];
  members: MemberFacts[];
}

export function sourceOf(p: Provenance): SourceRef {
  return {
    dataset: p.dataset,
    batchId: p.batchId,
    departmentCode: p.departmentCode,
    dataAsOf: p.dataAsOf,
    rowNumber: p.rowNumber,
    recordId: p.recordId,
  };
}

const FEEDS: Readonly<Record<IncomeFigureKey, readonly IncomeCategory[]>> = {
  wages: ['wages'],
  business: ['business'],
  property: ['property'],
  transferNet: ['transferIncome', 'transferExpense'],
  other: ['other'],
};

/** One source per batch: the first record seen of it. */
function distinctBatches(evidence: readonly IncomeEvidence[]): SourceRef[] {
  const seen = new Map<string, SourceRef>();
  for (const e of evidence) {
    const key = `${e.dataset}|${e.batchId}`;
    if (!seen.has(key)) seen.set(key, sourceOf(e));
  }
  return [...seen.values()].sort((a, b) => String(a.batchId).localeCompare(String(b.batchId)));
}

export interface SummaryInput {
  assessment: HouseholdAssessment;
  civilStatus: CivilStatusAssessment;
  /** memberId → blind index of the member's ID number. */
  personKeys: ReadonlyMap<string, string>;
  toleranceFen: Readonly<Record<ToleranceCategory, number>>;
}

export function summarizeAssessment(input: SummaryInput): RecheckSummary {
  const { assessment, civilStatus, personKeys } = input;
  const keyOf = (memberId: string) => personKeys.get(memberId) ?? memberId;
  const counted = assessment.members.filter((m) => m.counted);
  const household = assessment.household.income;
  const categoriesFen = {
    wages: household.categories.wages.totalFen,
    business: household.categories.business.totalFen,
    property: household.categories.property.totalFen,
    transferNet: household.transferNet.totalFen,
    other: household.categories.other.totalFen,
  } satisfies Record<IncomeFigureKey, number>;
  const sources = Object.fromEntries(
    DECLARABLE_INCOME.map((key) => [
      key,
      distinctBatches(
        counted.flatMap((m) =>
          FEEDS[key].flatMap((category) =>
            m.income.categories[category].months.flatMap((month) => month.evidence.filter((e) => e.counted)),
          ),
        ),
      ),
    ]),
  ) as Record<IncomeFigureKey, SourceRef[]>;

  const assets = (
    pick: (m: (typeof counted)[number]) => { identifier: string; counted: boolean; p: Provenance }[],
  ) => {
    const items: AssetItem[] = [];
    for (const m of counted)
      for (const e of pick(m))
        if (e.counted && e.identifier !== '')
          items.push({
            identifier: e.identifier,
            memberId: m.member.memberId,
            personKey: keyOf(m.member.memberId),
            source: sourceOf(e.p),
          });
    return items.sort((a, b) => a.identifier.localeCompare(b.identifier));
  };

  const members: MemberFacts[] = civilStatus.members.map((facts) => {
    const assessed = assessment.members.find((m) => m.member.memberId === facts.memberId);
    const payrollEvidence = (assessed?.income.categories.wages.months ?? []).flatMap((month) =>
      month.evidence.filter((e) => e.dataset === 'payroll'),
    );
    const death = facts.deaths[0];
    const hukouDead = facts.hukou?.status === '死亡' ? facts.hukou : null;
    return {
      personKey: keyOf(facts.memberId),
      memberId: facts.memberId,
      relation: facts.relation,
      deceased: death
        ? { date: death.deathDate, source: sourceOf(death.provenance) }
        : hukouDead
          ? { date: hukouDead.statusChangeDate, source: sourceOf(hukouDead.provenance) }
          : null,
      hukou: facts.hukou
        ? {
            status: facts.hukou.status,
            changeDate: facts.hukou.statusChangeDate,
            source: sourceOf(facts.hukou.provenance),
          }
        : null,
      marriage: {
        status: facts.marital.status,
        date: facts.marital.registrationDate,
        source: facts.marital.provenance ? sourceOf(facts.marital.provenance) : null,
      },
      payroll:
        payrollEvidence.length === 0
          ? null
          : {
              months: [...new Set(payrollEvidence.map((e) => e.month))].sort(),
              sources: distinctBatches(payrollEvidence),
            },
    };
  });

  return {
    asOfDate: assessment.window.asOfDate,
    windowFirstMonth: assessment.window.firstMonth,
    windowLastMonth: assessment.window.lastMonth,
    policyVersion: assessment.policyVersion,
    toleranceFen: { ...input.toleranceFen },
    income: {
      categoriesFen,
      totalFen: household.total.totalFen,
      perCapitaMonthlyFen: assessment.household.perCapitaMonthlyIncomeFen,
      sources,
    },
    vehicles: assets((m) =>
      m.assets.vehicles.evidence.map((e) => ({ identifier: e.identifier, counted: e.counted, p: e })),
    ),
    realEstate: assets((m) =>
      m.assets.realEstate.evidence.map((e) => ({ identifier: e.identifier, counted: e.counted, p: e })),
    ),
    marketEntities: assets((m) =>
      m.assets.marketEntities.evidence.map((e) => ({ identifier: e.identifier, counted: e.counted, p: e })),
    ),
    members,
  };
}
