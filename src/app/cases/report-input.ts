import type { DeclarableIncome } from '../../domain/assessment/types.ts';
import { DECLARABLE_INCOME } from '../../domain/assessment/types.ts';
import type { ReportInput } from '../../domain/cases/documents.ts';
import type { StoredResult } from '../assessment/run-assessment.ts';

/**
 * The body of a 核对报告 from a stored assessment: members, figures, discrepancies, contradictions, the sources
 * and their data-as-of dates, the sources that did not answer, the policy version. Facts only (Q§19).
 */

const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  wages: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transferNet: '转移净收入',
  other: '其他收入',
  deposits: '存款及金融资产',
  vehicles: '车辆',
  realEstate: '不动产',
  marketEntities: '市场主体',
};

type ReportBody = Omit<
  ReportInput,
  'agencyName' | 'documentNumber' | 'recipient' | 'issuedOn' | 'verification'
>;

export function reportBody(input: {
  result: StoredResult;
  caseNumber: string;
  requester: string;
  assistanceType: string;
  handler: string;
  reviewer: string;
  departmentName: (code: string) => string;
  datasetName: (code: string) => string;
}): ReportBody {
  const { result } = input;
  const assessment = result.assessment;
  const names = new Map(result.members.map((member) => [member.memberId, member.name]));
  const income = (figures: Record<DeclarableIncome, number>) =>
    Object.fromEntries(DECLARABLE_INCOME.map((c) => [c, figures[c]])) as Record<DeclarableIncome, number>;
  const memberIncome = (memberId: string) => {
    const found = assessment.members.find((m) => m.member.memberId === memberId);
    const categories = found?.income.categories;
    return income({
      wages: categories?.wages.totalFen ?? 0,
      business: categories?.business.totalFen ?? 0,
      property: categories?.property.totalFen ?? 0,
      transferNet: found?.income.transferNet.totalFen ?? 0,
      other: categories?.other.totalFen ?? 0,
    });
  };
  const household = assessment.household;
  return {
    kind: 'report',
    caseNumber: input.caseNumber,
    requester: input.requester,
    assistanceType: input.assistanceType,
    members: result.members.map((member) => ({
      name: member.name,
      idNumber: member.idNumberMasked,
      relation: member.relation,
      coResiding: member.coResiding,
      counted: household.countedMemberIds.includes(member.memberId),
      incomeFen: memberIncome(member.memberId),
    })),
    window: {
      from: assessment.window.firstMonth,
      to: assessment.window.lastMonth,
      months: assessment.window.months.length,
    },
    householdIncomeFen: income({
      wages: household.income.categories.wages.totalFen,
      business: household.income.categories.business.totalFen,
      property: household.income.categories.property.totalFen,
      transferNet: household.income.transferNet.totalFen,
      other: household.income.categories.other.totalFen,
    }),
    householdTotalIncomeFen: household.income.total.totalFen,
    monthlyPerCapitaIncomeFen: household.perCapitaMonthlyIncomeFen ?? 0,
    assets: {
      depositsFen: household.assets.deposits.totalFen,
      vehicles: household.assets.vehicles.distinct,
      realEstate: {
        count: household.assets.realEstate.distinctUnits,
        areaHundredthsM2: household.assets.realEstate.areaHundredths,
      },
      marketEntities: household.assets.marketEntities.distinctEntities,
    },
    discrepancies: (result.discrepancies ?? []).map((d) => ({
      memberName: d.memberId === 'household' ? '全户' : (names.get(d.memberId) ?? d.memberId),
      category: CATEGORY_LABELS[d.category] ?? d.category,
      unit: d.declaredFen !== null || d.foundFen !== null ? 'amount' : 'count',
      declared: d.declaredFen ?? d.declaredCount,
      found: d.foundFen ?? d.foundCount,
      difference: d.differenceFen ?? d.differenceCount,
      severity: d.severity,
    })),
    civilStatus: result.civilStatus.contradictions.map((c) => ({
      memberName: c.memberId === 'household' ? '全户' : (names.get(c.memberId) ?? c.memberId),
      description: c.message,
    })),
    sources: result.sources.batches.map((batch) => ({
      department: input.departmentName(batch.departmentCode),
      dataset: input.datasetName(batch.dataset),
      batchId: String(batch.id),
      dataAsOf: batch.dataAsOf,
    })),
    sourcesUnavailable: result.sources.queryInterfaces
      .filter((source) => source.status === 'unavailable')
      .map((source) => ({ interfaceName: source.name, reason: source.message ?? source.reason ?? '' })),
    policyVersionLabel: result.policy.label,
    workGroup: { handler: input.handler, reviewer: input.reviewer },
  };
}
