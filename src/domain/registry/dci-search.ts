import type { IncomeFen, ReportDiscrepancy, ReportInput } from '../cases/documents.ts';
import { maskIdNumber, parseIdNumber } from '../identity/id-number.ts';
import { fenToYuan as yuan } from '../recheck/report.ts';

/**
 * Registry search in the shape of the DCI (Digital Convergence Initiative) Social Registry API, `sync/search`
 * (docs/integration.md): a social-protection system asks, one `search_request` at a time, for the verification
 * result of a case its own organisation entrusted. Pure rules: the shape of one request, the reason codes of a
 * refusal, the record handed back and the envelope's overall status. Each request is answered on its own, so a
 * refused one never refuses the rest (`part`).
 */

export const DCI_VERSION = '1.0.0';
/** The DCI social-registry type, and ours for a verification result; either is accepted. */
export const REG_TYPES = ['ns:org:RegistryType:Social', 'ns:hedui:RegistryType:Verification'] as const;
export const REG_RECORD_TYPE = 'hedui:VerificationResult';
export const QUERY_TYPE = 'idtype-value';
/** `UIN`: a resident ID number (居民身份证号); `CASE_NUMBER`: a case number (核对编号). */
export const QUERY_ID_TYPES = ['UIN', 'CASE_NUMBER'] as const;
export type QueryIdType = (typeof QUERY_ID_TYPES)[number];
/** Requests in one envelope: a batch beyond it is refused whole. */
export const MAX_SEARCH_REQUESTS = 20;

export type SearchStatus = 'succ' | 'rjct';
export type EnvelopeStatus = SearchStatus | 'part';

/**
 * Why a request was refused: DCI's own `rjct.*` codes where one fits (reference id, search criteria), ours in
 * the same dotted form otherwise. Stable: callers key on them. The message is what the caller reads (中文).
 */
export const REASON_MESSAGES = {
  'rjct.reference_id.invalid': 'reference_id 缺失或格式不对（1–64 个字符）',
  'rjct.reference_id.duplicate': '同一报文中 reference_id 重复',
  'rjct.search_criteria.invalid': 'search_criteria 缺失或格式不对',
  'rjct.reg_type.invalid': 'reg_type 须为 ns:org:RegistryType:Social 或 ns:hedui:RegistryType:Verification',
  'rjct.query_type.not_supported': 'query_type 仅支持 idtype-value',
  'rjct.query.type.not_supported': 'query.type 仅支持 UIN（居民身份证号）或 CASE_NUMBER（核对编号）',
  'rjct.query.value.invalid': 'query.value 不是有效的居民身份证号码或核对编号',
  'rjct.authorize.missing': '缺少 authorize.ref：须写明持有授权的核对编号',
  'rjct.authorize.invalid': 'authorize.ref 不是本单位委托的核对案件，或与查询的核对编号不符',
  'rjct.consent.missing': '缺少 consent.ref：须写明被查询人授权书的 SM3 指纹',
  'rjct.consent.invalid': 'consent.ref 不是该案件中被查询人在案授权书的 SM3 指纹',
  'rjct.query.not_in_case': '被查询人不是该案件的家庭成员',
  'rjct.report.not_in_force': '该案件没有有效的核对报告（尚未出具、已失效或已撤销）',
} as const;
export type ReasonCode = keyof typeof REASON_MESSAGES;

export interface RegistrySearch {
  referenceId: string;
  query: { type: QueryIdType; value: string };
  /** The case number the caller holds the entrustment for (authorize.ref). */
  authorizeRef: string;
  /** The SM3 fingerprint of the searched person's authorization on file (consent.ref). */
  consentRef: string;
  pageSize: number | null;
}

export type ParsedSearch =
  | { ok: true; search: RegistrySearch }
  | { ok: false; referenceId: string | null; reason: ReasonCode };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max = 200): string | null =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : null;
const CASE_NUMBER = /^[\p{L}\p{N}〔〕（）()\-_]{4,40}$/u;
const SM3_HEX = /^[0-9a-f]{64}$/;

function refOf(value: unknown): string | null {
  return isObject(value) ? text(value.ref) : null;
}

/** One `search_request` item as the caller wrote it: its search, or the first reason to refuse it. */
export function parseSearchRequest(item: unknown, today: string): ParsedSearch {
  const rawRef = isObject(item) ? text(item.reference_id, 64) : null;
  const refuse = (reason: ReasonCode): ParsedSearch => ({ ok: false, referenceId: rawRef, reason });
  if (!isObject(item) || rawRef === null) return refuse('rjct.reference_id.invalid');
  const criteria = item.search_criteria;
  if (!isObject(criteria) || !isObject(criteria.query)) return refuse('rjct.search_criteria.invalid');
  if (!REG_TYPES.includes(criteria.reg_type as (typeof REG_TYPES)[number]))
    return refuse('rjct.reg_type.invalid');
  if (criteria.query_type !== QUERY_TYPE) return refuse('rjct.query_type.not_supported');
  const type = criteria.query.type;
  if (!QUERY_ID_TYPES.includes(type as QueryIdType)) return refuse('rjct.query.type.not_supported');
  const raw = text(criteria.query.value, 64);
  let value: string | null = null;
  if (raw !== null && type === 'UIN') {
    const id = parseIdNumber(raw, { today });
    value = id.ok ? id.id18 : null;
  } else if (raw !== null && CASE_NUMBER.test(raw)) value = raw;
  if (value === null) return refuse('rjct.query.value.invalid');
  const authorizeRef = refOf(criteria.authorize);
  if (authorizeRef === null) return refuse('rjct.authorize.missing');
  const consentRef = refOf(criteria.consent)?.toLowerCase() ?? null;
  if (consentRef === null) return refuse('rjct.consent.missing');
  if (!SM3_HEX.test(consentRef)) return refuse('rjct.consent.invalid');
  const size = isObject(criteria.pagination) ? criteria.pagination.page_size : undefined;
  return {
    ok: true,
    search: {
      referenceId: rawRef,
      query: { type: type as QueryIdType, value },
      authorizeRef,
      consentRef,
      pageSize: typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : null,
    },
  };
}

/** `succ` when every request was answered, `rjct` when none was, `part` otherwise (DCI header status). */
export function envelopeStatus(statuses: readonly SearchStatus[]): EnvelopeStatus {
  if (statuses.length > 0 && statuses.every((s) => s === 'succ')) return 'succ';
  if (statuses.every((s) => s === 'rjct')) return 'rjct';
  return 'part';
}

// ——— The record handed back: the report's own figures, never department records ———

/** What the report in force states (integer fen, counts, hundredths of m²), as the use case read it. */
export type ReportFigures = Pick<
  ReportInput,
  | 'window'
  | 'householdIncomeFen'
  | 'householdTotalIncomeFen'
  | 'monthlyPerCapitaIncomeFen'
  | 'assets'
  | 'policyVersionLabel'
> & {
  number: string;
  issuedOn: string;
  memberCount: number;
  countedMembers: number;
  discrepancies: readonly Pick<ReportDiscrepancy, 'severity'>[];
};

export interface RecordSubject {
  idNumber: string;
  relation: string;
  counted: boolean;
  incomeFen: IncomeFen;
}

/**
 * 核对结论 as the report states it: the household's figures and the differences from the declaration found —
 * facts only, never whether assistance is due (Q§19).
 */
export function verificationConclusion(report: ReportFigures): string {
  const serious = report.discrepancies.filter((d) => d.severity === 'serious').length;
  const found =
    report.discrepancies.length === 0
      ? '未发现申报与核对数据不一致'
      : `发现申报与核对数据不一致 ${report.discrepancies.length} 项（其中严重 ${serious} 项）`;
  return (
    `核对期间 ${report.window.from} 至 ${report.window.to}（${report.window.months} 个月），` +
    `计入家庭成员 ${report.countedMembers} 人，家庭收入合计 ${yuan(report.householdTotalIncomeFen)} 元，` +
    `月人均收入 ${yuan(report.monthlyPerCapitaIncomeFen)} 元；存款及金融资产 ${yuan(report.assets.depositsFen)} 元，` +
    `车辆 ${report.assets.vehicles} 辆，不动产 ${report.assets.realEstate.count} 处，市场主体 ${report.assets.marketEntities} 个；${found}。` +
    '本结果只陈述核对事实，不作是否给予救助的认定。'
  );
}

/** One `reg_records` entry: the case, its state and the report's result; the ID number masked. */
export function verificationRecord(input: {
  caseNumber: string;
  state: string;
  stateLabel: string;
  subject: RecordSubject;
  report: ReportFigures;
}) {
  const { report, subject } = input;
  const serious = report.discrepancies.filter((d) => d.severity === 'serious').length;
  return {
    '@type': REG_RECORD_TYPE,
    case_number: input.caseNumber,
    case_state: input.state,
    case_state_label: input.stateLabel,
    member_identifier: [{ identifier_type: 'UIN', identifier_value: maskIdNumber(subject.idNumber) }],
    relationship: subject.relation,
    counted_in_household: subject.counted,
    member_income_fen: subject.incomeFen,
    verification_result: {
      report_number: report.number,
      report_date: report.issuedOn,
      period: report.window,
      member_count: report.memberCount,
      counted_member_count: report.countedMembers,
      household_income_fen: report.householdIncomeFen,
      household_total_income_fen: report.householdTotalIncomeFen,
      monthly_per_capita_income_fen: report.monthlyPerCapitaIncomeFen,
      assets: {
        deposits_fen: report.assets.depositsFen,
        vehicles: report.assets.vehicles,
        real_estate_units: report.assets.realEstate.count,
        real_estate_area_hundredths_m2: report.assets.realEstate.areaHundredthsM2,
        market_entities: report.assets.marketEntities,
      },
      discrepancy_count: report.discrepancies.length,
      serious_discrepancy_count: serious,
      policy_version: report.policyVersionLabel,
      conclusion: verificationConclusion(report),
    },
  };
}
export type VerificationRecord = ReturnType<typeof verificationRecord>;
