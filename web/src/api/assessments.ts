import { request } from './client';
import type { AssistanceType } from './policy';

/**
 * Household assessments (家庭经济状况核对). The types mirror the server's (`src/app/assessment/run-assessment.ts`
 * StoredResult and the domain types it is built from) by hand. Money is integer fen, areas hundredths of m²,
 * shares hundredths of a percent, months `YYYY-MM`, dates `YYYY-MM-DD`. A result states facts with their
 * sources; nothing in it decides eligibility (只核对、不认定).
 */

// ---------------------------------------------------------------- request

export const EXCLUSIONS = [
  'prison',
  'compulsory_rehabilitation',
  'missing',
  'religious_apart',
  'conscript',
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

/** The five categories of Q§11 a family declares (transfer income net of transfer expenses). */
export const DECLARABLE_INCOME = ['wages', 'business', 'property', 'transferNet', 'other'] as const;
export type DeclarableIncome = (typeof DECLARABLE_INCOME)[number];

export const ITEM_ASSETS = ['vehicles', 'realEstate', 'marketEntities'] as const;
export type ItemAsset = (typeof ITEM_ASSETS)[number];

export interface DeclaredItems {
  count: number;
  identifiers?: string[];
}

export interface HouseholdMemberInput {
  idNumber: string;
  name: string;
  relation: string;
  coResiding: boolean;
  exclusion: Exclusion | null;
  /** Per category, fen, over the whole window. */
  declaredIncome?: Partial<Record<DeclarableIncome, number>>;
}

export interface DeclaredAssetsInput {
  depositsFen?: number;
  vehicles?: DeclaredItems;
  realEstate?: DeclaredItems;
  marketEntities?: DeclaredItems;
}

/** What `POST /api/assessments` takes; also the household file of `hedui assess --household`. */
export interface HouseholdRequestInput {
  caseRef: string;
  regionCode: string;
  assistanceType: AssistanceType;
  asOfDate?: string;
  windowEndMonth?: string;
  members: HouseholdMemberInput[];
  declaredAssets?: DeclaredAssetsInput;
}

// ---------------------------------------------------------------- evidence and figures

export type RecordId = number | string;

export type NotCountedReason =
  | 'outside_window'
  | 'covered_by_larger_source'
  | 'exempt_subsidy'
  | 'superseded_balance'
  | 'after_as_of_date'
  | 'disability_vehicle'
  | 'status_not_counted'
  | 'no_withdrawal'
  | 'unreadable_value'
  | 'not_an_income_or_asset_dataset';

export interface Provenance {
  recordId: RecordId;
  dataset: string;
  batchId: number | string;
  departmentCode: string;
  dataAsOf: string;
  rowNumber: number;
}

export const INCOME_CATEGORIES = [
  'wages',
  'business',
  'property',
  'transferIncome',
  'transferExpense',
  'other',
] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];

export interface IncomeEvidence extends Provenance {
  month: string;
  amountFen: number;
  counted: boolean;
  reason?: NotCountedReason;
  field: string;
  item?: string;
  spread?: { periodStart: string; periodEnd: string; periodTotalFen: number };
}

export interface MonthAmount {
  month: string;
  amountFen: number;
}

export interface MonthFigure extends MonthAmount {
  evidence: IncomeEvidence[];
}

export interface CategoryFigure {
  category: IncomeCategory;
  totalFen: number;
  months: MonthFigure[];
  outsideWindow: IncomeEvidence[];
}

export interface DerivedFigure {
  totalFen: number;
  months: MonthAmount[];
}

export interface MemberIncome {
  categories: Record<IncomeCategory, CategoryFigure>;
  transferNet: DerivedFigure;
  total: DerivedFigure;
  subsidy: { countedFen: number; exemptFen: number };
}

export interface AssetEvidence extends Provenance {
  counted: boolean;
  reason?: NotCountedReason;
  identifier: string;
  status?: string;
  amountFen?: number | null;
  assetType?: string;
  date?: string;
  floorAreaHundredths?: number;
  shareHundredths?: number;
  weightedAreaHundredths?: number;
}

export interface DepositAccount {
  key: string;
  institution: string;
  accountNumber: string | null;
  assetType: string;
  balanceFen: number;
  asOfDate: string;
  recordId: RecordId;
}

export interface MemberAssets {
  deposits: {
    totalFen: number;
    byType: Record<string, number>;
    accounts: DepositAccount[];
    evidence: AssetEvidence[];
  };
  vehicles: {
    count: number;
    vehicleRecords: number;
    transportRecords: number;
    identifiers: string[];
    evidence: AssetEvidence[];
  };
  realEstate: { count: number; areaHundredths: number; units: string[]; evidence: AssetEvidence[] };
  marketEntities: {
    count: number;
    subscribedCapitalFen: number;
    creditCodes: string[];
    evidence: AssetEvidence[];
  };
}

export interface UnusedRecord extends Provenance {
  reason: NotCountedReason;
  detail?: string;
}

export interface AssessmentWindow {
  firstMonth: string;
  lastMonth: string;
  months: string[];
  asOfDate: string;
}

export type MemberNotCountedReason = Exclusion | 'not_co_residing';

export interface MemberAssessment {
  member: {
    memberId: string;
    name: string;
    relation: string;
    coResiding: boolean;
    exclusion: Exclusion | null;
  };
  counted: boolean;
  notCountedReasons: MemberNotCountedReason[];
  income: MemberIncome;
  assets: MemberAssets;
  unusedRecords: UnusedRecord[];
}

export interface HouseholdTotals {
  countedMemberIds: string[];
  membersCounted: number;
  income: {
    categories: Record<IncomeCategory, DerivedFigure>;
    transferNet: DerivedFigure;
    total: DerivedFigure;
    subsidy: { countedFen: number; exemptFen: number };
  };
  perCapitaMonthlyIncomeFen: number | null;
  assets: {
    deposits: { totalFen: number; byType: Record<string, number> };
    vehicles: { count: number; distinct: number };
    realEstate: { count: number; distinctUnits: number; areaHundredths: number };
    marketEntities: { count: number; distinctEntities: number; subscribedCapitalFen: number };
  };
}

export interface HouseholdAssessment {
  policyVersion: string;
  window: AssessmentWindow;
  members: MemberAssessment[];
  household: HouseholdTotals;
}

// ---------------------------------------------------------------- discrepancies

export type Severity = 'info' | 'warning' | 'serious';
export type DiscrepancyKind = 'amount' | 'count' | 'undeclared_asset' | 'declared_not_found';
export type DiscrepancyCategory = DeclarableIncome | 'deposits' | ItemAsset;

export interface Discrepancy {
  memberId: string;
  category: DiscrepancyCategory;
  kind: DiscrepancyKind;
  declaredFen: number | null;
  foundFen: number | null;
  differenceFen: number | null;
  declaredCount: number | null;
  foundCount: number | null;
  differenceCount: number | null;
  identifier: string | null;
  severity: Severity;
  evidenceRecordIds: RecordId[];
}

// ---------------------------------------------------------------- civil status

export interface HukouFact {
  householdNumber: string;
  relationToHead: string | null;
  address: string | null;
  status: string;
  statusChangeDate: string | null;
  provenance: Provenance;
}

export type MaritalStatus = 'married' | 'divorced' | 'unknown';

export interface MaritalFact {
  status: MaritalStatus;
  registrationType: string | null;
  registrationDate: string | null;
  partnerInHousehold: boolean | null;
  partnerMemberId: string | null;
  provenance: Provenance | null;
}

export interface DeathFact {
  deathDate: string;
  source: string;
  provenance: Provenance;
}

export interface DisabilityFact {
  certificateNumber: string;
  category: string;
  grade: string;
  issueDate: string;
  provenance: Provenance;
}

export interface MemberCivilStatus {
  memberId: string;
  name: string;
  relation: string;
  hukou: HukouFact | null;
  marital: MaritalFact;
  deaths: DeathFact[];
  disability: DisabilityFact | null;
  unreadableRecords: UnusedRecord[];
}

export interface CivilStatusContradiction {
  code: string;
  memberId: string;
  severity: Severity;
  /** Chinese, from the server. */
  message: string;
  relatedMemberIds: string[];
  evidenceRecordIds: RecordId[];
  householdNumbers?: { householdNumber: string; memberIds: string[] }[];
}

export interface CivilStatusAssessment {
  asOfDate: string;
  members: MemberCivilStatus[];
  contradictions: CivilStatusContradiction[];
}

// ---------------------------------------------------------------- matching

export interface NameMismatchFlag {
  code: 'NAME_MISMATCH';
  recordName: string;
  personName: string;
  nameMatch: 'homophone' | 'partial' | 'different';
  /** Chinese. */
  detail: string;
}

export type LinkBasis = 'id' | 'name_and_birth_date' | 'confirmed';

export interface RecordLink {
  recordId: number;
  memberId: string;
  basis: LinkBasis;
  flag: NameMismatchFlag | null;
}

export type RecordValue = string | number | boolean | null;

export interface ProposedRecord {
  recordId: number;
  dataset: string;
  name: string;
  birthDate: string;
  batchId: number;
  departmentCode: string;
  dataAsOf: string;
  rowNumber: number;
  values: Record<string, RecordValue>;
}

export interface PossibleMatch {
  recordId: number;
  memberId: string;
  score: number;
  /** Chinese. */
  reasons: string[];
  status: 'pending' | 'rejected';
  record: ProposedRecord;
}

// ---------------------------------------------------------------- stored result

export interface MemberView {
  memberId: string;
  name: string;
  idNumberMasked: string;
  relation: string;
  coResiding: boolean;
  exclusion: Exclusion | null;
}

export interface SourceBatch {
  id: number;
  dataset: string;
  departmentCode: string;
  period: string;
  dataAsOf: string;
  source: string;
  status: string;
}

export interface StoredResult {
  members: MemberView[];
  assessment: HouseholdAssessment;
  /** Null when the request carried no declaration. */
  discrepancies: Discrepancy[] | null;
  civilStatus: CivilStatusAssessment;
  links: RecordLink[];
  possibleMatches: PossibleMatch[];
  sources: { batches: SourceBatch[] };
  policy: {
    label: string;
    versionId: number | null;
    source: 'profile' | 'default';
    regionCode: string | null;
  };
  /** 只核对、不认定, in Chinese. */
  notice: string;
}

export type AssessmentMode = 'standing' | 'recorded';

/** A stored assessment without personal data, as listed. */
export interface AssessmentMeta {
  id: number;
  caseRef: string;
  regionCode: string;
  assistanceType: AssistanceType;
  policyVersionId: number | null;
  policyLabel: string;
  asOfDate: string;
  mode: AssessmentMode;
  rerunOf: number | null;
  batchIds: number[];
  memberCount: number;
  /**
   * membersCounted, records, nameMismatches, possibleMatches (pending), discrepancies, contradictions, serious,
   * warning.
   */
  summary: Record<string, number>;
  organisationId: number | null;
  createdAt: string;
  createdBy: number | null;
  createdByName: string | null;
}

export interface AssessmentView extends AssessmentMeta {
  result: StoredResult;
}

export interface FigureChange {
  /** `m1`… or `household`. */
  memberId: string;
  /** `income.wages`, `income.total`, `assets.deposits`, `assets.realEstateArea`, `perCapitaMonthlyIncome` … */
  figure: string;
  before: number | null;
  after: number | null;
}

export interface AssessmentComparison {
  changes: FigureChange[];
  discrepanciesBefore: Record<string, number>;
  discrepanciesAfter: Record<string, number>;
  batchesAdded: number[];
  batchesRemoved: number[];
}

export type MatchDecision = 'confirmed' | 'rejected';

export interface MatchDecisionInput {
  recordId: number;
  memberId: string;
  decision: MatchDecision;
  reason: string;
}

export interface SavedMatchDecision {
  id: number;
  recordId: number;
  decision: MatchDecision;
  reason: string;
  decidedAt: string;
  decidedByName: string | null;
}

export interface AssessmentListQuery {
  caseRef?: string;
  offset?: number;
  limit?: number;
}

// ---------------------------------------------------------------- calls

/** VALIDATION_FAILED lists every problem in `details.errors` ({code, path, message}); OUT_OF_SCOPE for a region outside. */
export async function runAssessment(input: HouseholdRequestInput): Promise<AssessmentView> {
  const { assessment } = await request<{ assessment: AssessmentView }>('/api/assessments', {
    method: 'POST',
    body: input,
  });
  return assessment;
}

export function listAssessments(
  query: AssessmentListQuery = {},
): Promise<{ items: AssessmentMeta[]; total: number }> {
  return request<{ items: AssessmentMeta[]; total: number }>('/api/assessments', { query: { ...query } });
}

/** Viewing is audited with the case. */
export async function getAssessment(id: number): Promise<AssessmentView> {
  const { assessment } = await request<{ assessment: AssessmentView }>(`/api/assessments/${id}`);
  return assessment;
}

/** `recorded`: exactly the batches the result used; `standing`: the batches standing now. */
export function rerunAssessment(
  id: number,
  mode: AssessmentMode,
): Promise<{ assessment: AssessmentView; comparison: AssessmentComparison | null }> {
  return request<{ assessment: AssessmentView; comparison: AssessmentComparison | null }>(
    `/api/assessments/${id}/rerun`,
    { method: 'POST', body: { mode } },
  );
}

/** A re-run's figures against the result it re-ran; null for a first run. */
export async function getAssessmentComparison(id: number): Promise<AssessmentComparison | null> {
  const { comparison } = await request<{ comparison: AssessmentComparison | null }>(
    `/api/assessments/${id}/comparison`,
  );
  return comparison;
}

/** Holds for the case and takes effect on a re-run. */
export async function decideMatch(id: number, input: MatchDecisionInput): Promise<SavedMatchDecision> {
  const { decision } = await request<{ decision: SavedMatchDecision }>(`/api/assessments/${id}/matches`, {
    method: 'POST',
    body: input,
  });
  return decision;
}
