import type {
  DiscrepancyCategory,
  DiscrepancyKind,
  Exclusion,
  IncomeCategory,
  LinkBasis,
  MaritalStatus,
  MemberNotCountedReason,
  NotCountedReason,
  Severity,
} from '../api/assessments';
import type { MessageKey } from '../i18n/zh-CN';
import { fenToYuan, formatYuan } from './yuan';

/** The label keys of the assessment's codes (typed, so a new code fails the build until it has a label). */

export const EXCLUSION_LABEL: Record<Exclusion, MessageKey> = {
  prison: 'assessment.exclusion.prison',
  compulsory_rehabilitation: 'assessment.exclusion.compulsory_rehabilitation',
  missing: 'assessment.exclusion.missing',
  religious_apart: 'assessment.exclusion.religious_apart',
  conscript: 'assessment.exclusion.conscript',
};

export const MEMBER_NOT_COUNTED_LABEL: Record<MemberNotCountedReason, MessageKey> = {
  ...EXCLUSION_LABEL,
  not_co_residing: 'assessment.notCoResiding',
};

export const NOT_COUNTED_REASON_LABEL: Record<NotCountedReason, MessageKey> = {
  outside_window: 'assessment.reason.outside_window',
  covered_by_larger_source: 'assessment.reason.covered_by_larger_source',
  exempt_subsidy: 'assessment.reason.exempt_subsidy',
  superseded_balance: 'assessment.reason.superseded_balance',
  after_as_of_date: 'assessment.reason.after_as_of_date',
  disability_vehicle: 'assessment.reason.disability_vehicle',
  status_not_counted: 'assessment.reason.status_not_counted',
  no_withdrawal: 'assessment.reason.no_withdrawal',
  unreadable_value: 'assessment.reason.unreadable_value',
  not_an_income_or_asset_dataset: 'assessment.reason.not_an_income_or_asset_dataset',
};

export const INCOME_CATEGORY_LABEL: Record<IncomeCategory | 'transferNet' | 'total', MessageKey> = {
  wages: 'assessment.category.wages',
  business: 'assessment.category.business',
  property: 'assessment.category.property',
  transferIncome: 'assessment.category.transferIncome',
  transferExpense: 'assessment.category.transferExpense',
  other: 'assessment.category.other',
  transferNet: 'assessment.category.transferNet',
  total: 'assessment.category.total',
};

export const DISCREPANCY_CATEGORY_LABEL: Record<DiscrepancyCategory, MessageKey> = {
  wages: 'assessment.category.wages',
  business: 'assessment.category.business',
  property: 'assessment.category.property',
  transferNet: 'assessment.category.transferNet',
  other: 'assessment.category.other',
  deposits: 'assessment.category.deposits',
  vehicles: 'assessment.category.vehicles',
  realEstate: 'assessment.category.realEstate',
  marketEntities: 'assessment.category.marketEntities',
};

export const DISCREPANCY_KIND_LABEL: Record<DiscrepancyKind, MessageKey> = {
  amount: 'assessment.kind.amount',
  count: 'assessment.kind.count',
  undeclared_asset: 'assessment.kind.undeclared_asset',
  declared_not_found: 'assessment.kind.declared_not_found',
};

export const SEVERITY_LABEL: Record<Severity, MessageKey> = {
  serious: 'assessment.severity.serious',
  warning: 'assessment.severity.warning',
  info: 'assessment.severity.info',
};

/** Tag colours: serious red, warning orange, info blue. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  serious: 'red',
  warning: 'orange',
  info: 'blue',
};

export const LINK_BASIS_LABEL: Record<LinkBasis, MessageKey> = {
  id: 'assessment.basis.id',
  name_and_birth_date: 'assessment.basis.name_and_birth_date',
  confirmed: 'assessment.basis.confirmed',
};

export const MARITAL_LABEL: Record<MaritalStatus, MessageKey> = {
  married: 'assessment.marital.married',
  divorced: 'assessment.marital.divorced',
  unknown: 'assessment.marital.unknown',
};

type FigureUnit = 'fen' | 'count' | 'area';

interface FigureInfo {
  label: MessageKey;
  unit: FigureUnit;
}

/** The figures a comparison names (`income.wages`, `assets.realEstateArea` …), with the unit of their numbers. */
export const FIGURE_INFO: Record<string, FigureInfo> = {
  'income.wages': { label: 'assessment.category.wages', unit: 'fen' },
  'income.business': { label: 'assessment.category.business', unit: 'fen' },
  'income.property': { label: 'assessment.category.property', unit: 'fen' },
  'income.transferIncome': { label: 'assessment.category.transferIncome', unit: 'fen' },
  'income.transferExpense': { label: 'assessment.category.transferExpense', unit: 'fen' },
  'income.other': { label: 'assessment.category.other', unit: 'fen' },
  'income.transferNet': { label: 'assessment.category.transferNet', unit: 'fen' },
  'income.total': { label: 'assessment.category.total', unit: 'fen' },
  'assets.deposits': { label: 'assessment.category.deposits', unit: 'fen' },
  'assets.vehicles': { label: 'assessment.category.vehicles', unit: 'count' },
  'assets.realEstate': { label: 'assessment.category.realEstate', unit: 'count' },
  'assets.realEstateArea': { label: 'assessment.figure.realEstateArea', unit: 'area' },
  'assets.marketEntities': { label: 'assessment.category.marketEntities', unit: 'count' },
  perCapitaMonthlyIncome: { label: 'assessment.figure.perCapitaMonthlyIncome', unit: 'fen' },
};

/** Hundredths (of m² or of a percent) with two decimals, on the digits: 12345 → "123.45". */
export function formatHundredths(value: number): string {
  return fenToYuan(value);
}

/** Fen as "1,234.56 元". */
export function yuanText(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : `${formatYuan(fen)} 元`;
}

export function figureValueText(unit: FigureUnit, value: number | null): string {
  if (value === null) return '—';
  if (unit === 'fen') return yuanText(value);
  if (unit === 'area') return `${formatHundredths(value)} m²`;
  return String(value);
}

/** Household files (`hedui assess --household`) and the form: the request's fields as read from JSON. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
