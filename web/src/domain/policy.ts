import type { AssistanceType, ToleranceCategory } from '../api/policy';
import type { MessageKey } from '../i18n/zh-CN';

/** The label key of each assistance type (typed, so a new type fails the build until it has a label). */
export const ASSISTANCE_TYPE_LABEL: Record<AssistanceType, MessageKey> = {
  subsistence_allowance: 'policy.type.subsistence_allowance',
  extreme_poverty: 'policy.type.extreme_poverty',
  medical_assistance: 'policy.type.medical_assistance',
  temporary_assistance: 'policy.type.temporary_assistance',
  education_assistance: 'policy.type.education_assistance',
  housing_assistance: 'policy.type.housing_assistance',
  employment_assistance: 'policy.type.employment_assistance',
  disaster_relief: 'policy.type.disaster_relief',
};

/** The label key of each discrepancy tolerance category. */
export const TOLERANCE_LABEL: Record<ToleranceCategory, MessageKey> = {
  wages: 'policy.tolerance.wages',
  business: 'policy.tolerance.business',
  property: 'policy.tolerance.property',
  transferNet: 'policy.tolerance.transferNet',
  other: 'policy.tolerance.other',
  deposits: 'policy.tolerance.deposits',
};

/** The form field a server validation path (`tolerances.wages`, `exemptSubsidyItems.2`) belongs to. */
export function policyFieldOf(path: readonly (string | number)[]): (string | number)[] | null {
  const [head, next] = path;
  switch (head) {
    case 'windowMonths':
    case 'seriousMultiple':
    case 'notes':
    case 'effectiveFrom':
    case 'exemptSubsidyItems':
      return [head];
    case 'tolerances':
      return typeof next === 'string' ? ['tolerances', next] : ['tolerances'];
    default:
      return null;
  }
}

/**
 * The parent region codes whose children list names the region: a township (9 digits) is listed under its
 * county, a county under its city, a city under its province.
 */
export function parentRegionCode(code: string): string | null {
  if (code.length === 9) return code.slice(0, 6);
  if (code.length !== 6 || code.endsWith('0000')) return null;
  if (code.endsWith('00')) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}
