import {
  DEFAULT_SERIOUS_MULTIPLE,
  DEFAULT_TOLERANCE_FEN,
  DEFAULT_WINDOW_MONTHS,
  definePolicy,
  type Policy,
  TOLERANCE_CATEGORIES,
  type ToleranceCategory,
} from '../assessment/types.ts';
import type { AssistanceType } from './assistance-types.ts';

/**
 * Versioned policy profiles (SPEC §4, issue #4 item 4): per region and assistance type, the look-back
 * window, the exempt subsidy items and the discrepancy tolerances. A published version never changes;
 * editing a profile publishes the next version. The version used is stamped on every result.
 */

/** The label of the built-in policy applied where no profile has a version in effect. */
export const DEFAULT_POLICY_VERSION = 'default-v1';

export const POLICY_LIMITS = {
  windowMonths: { min: 1, max: 36 },
  seriousMultiple: { min: 1, max: 100 },
  /** 1 000 万元: a tolerance beyond it would make every comparison meaningless. */
  toleranceFenMax: 1_000_000_000,
  exemptItems: 100,
  exemptItemLength: 50,
  notesLength: 2000,
} as const;

/** The settings of one version, as the agency enters them. */
export interface PolicySettings {
  windowMonths: number;
  exemptSubsidyItems: string[];
  toleranceFen: Record<ToleranceCategory, number>;
  seriousMultiple: number;
  notes: string;
  /** First date (`YYYY-MM-DD`) the version applies to. */
  effectiveFrom: string;
}

export interface PolicyVersion extends PolicySettings {
  /** The stored row's id (stamped on results beside the label). */
  id: number;
  profileId: number;
  /** 1, 2, … within the profile. */
  version: number;
  /** `621002-subsistence_allowance-v3`: what results are stamped with. */
  label: string;
  publishedAt: string;
  publishedBy: number | null;
  publishedByName: string | null;
}

export interface PolicyProfile {
  id: number;
  regionCode: string;
  assistanceType: AssistanceType;
  createdAt: string;
  createdBy: number | null;
}

export function versionLabel(regionCode: string, assistanceType: AssistanceType, version: number): string {
  return `${regionCode}-${assistanceType}-v${version}`;
}

/** The engine's policy for a published version (or the built-in default when there is none). */
export function policyOf(version: PolicyVersion | null): Policy {
  if (version === null) return definePolicy({ version: DEFAULT_POLICY_VERSION });
  return definePolicy({
    version: version.label,
    windowMonths: version.windowMonths,
    exemptSubsidyItems: version.exemptSubsidyItems,
    toleranceFen: version.toleranceFen,
    seriousMultiple: version.seriousMultiple,
  });
}

// ---------------------------------------------------------------- validation

export type PolicyValidationCode =
  | 'NOT_OBJECT'
  | 'WINDOW_MONTHS_INVALID'
  | 'SERIOUS_MULTIPLE_INVALID'
  | 'TOLERANCE_INVALID'
  | 'TOLERANCE_UNKNOWN_CATEGORY'
  | 'EXEMPT_ITEMS_INVALID'
  | 'EXEMPT_ITEM_INVALID'
  | 'NOTES_TOO_LONG'
  | 'EFFECTIVE_FROM_INVALID';

const MESSAGES: Record<PolicyValidationCode, string> = {
  NOT_OBJECT: '内容应为一个对象',
  WINDOW_MONTHS_INVALID: `回溯期（月数）应为 ${POLICY_LIMITS.windowMonths.min}–${POLICY_LIMITS.windowMonths.max} 的整数`,
  SERIOUS_MULTIPLE_INVALID: `严重差异倍数应为 ${POLICY_LIMITS.seriousMultiple.min}–${POLICY_LIMITS.seriousMultiple.max} 之间的数`,
  TOLERANCE_INVALID: `容差应为 0–${POLICY_LIMITS.toleranceFenMax} 的整数（单位：分）`,
  TOLERANCE_UNKNOWN_CATEGORY: `容差类别应为：${TOLERANCE_CATEGORIES.join('、')}`,
  EXEMPT_ITEMS_INVALID: `豁免补贴项目应为文字列表，最多 ${POLICY_LIMITS.exemptItems} 项`,
  EXEMPT_ITEM_INVALID: `豁免补贴项目名称须为 1–${POLICY_LIMITS.exemptItemLength} 个字符`,
  NOTES_TOO_LONG: `说明最多 ${POLICY_LIMITS.notesLength} 个字符`,
  EFFECTIVE_FROM_INVALID: '生效日期应为有效的日期（YYYY-MM-DD）',
};

export interface PolicyValidationError {
  path: string;
  code: PolicyValidationCode;
  message: string;
}

export type PolicyValidationResult =
  | { ok: true; value: PolicySettings }
  | { ok: false; errors: PolicyValidationError[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Checks a version's settings and fills the defaults (window 12 months, tolerances of the engine,
 * serious multiple 5); lists every problem at once.
 */
export function validatePolicySettings(input: unknown): PolicyValidationResult {
  const errors: PolicyValidationError[] = [];
  const fail = (path: string, code: PolicyValidationCode): void => {
    errors.push({ path, code, message: MESSAGES[code] });
  };
  if (!isRecord(input)) {
    fail('', 'NOT_OBJECT');
    return { ok: false, errors };
  }

  const windowMonths = input.windowMonths ?? DEFAULT_WINDOW_MONTHS;
  const { windowMonths: wm, seriousMultiple: sm } = POLICY_LIMITS;
  if (
    typeof windowMonths !== 'number' ||
    !Number.isInteger(windowMonths) ||
    windowMonths < wm.min ||
    windowMonths > wm.max
  )
    fail('windowMonths', 'WINDOW_MONTHS_INVALID');

  const seriousMultiple = input.seriousMultiple ?? DEFAULT_SERIOUS_MULTIPLE;
  if (
    typeof seriousMultiple !== 'number' ||
    !Number.isFinite(seriousMultiple) ||
    seriousMultiple < sm.min ||
    seriousMultiple > sm.max
  )
    fail('seriousMultiple', 'SERIOUS_MULTIPLE_INVALID');

  const toleranceFen: Record<ToleranceCategory, number> = { ...DEFAULT_TOLERANCE_FEN };
  const tolerances = input.tolerances ?? {};
  if (!isRecord(tolerances)) fail('tolerances', 'TOLERANCE_INVALID');
  else
    for (const [key, value] of Object.entries(tolerances)) {
      if (!(TOLERANCE_CATEGORIES as readonly string[]).includes(key)) {
        fail(`tolerances.${key}`, 'TOLERANCE_UNKNOWN_CATEGORY');
      } else if (
        typeof value !== 'number' ||
        !Number.isSafeInteger(value) ||
        value < 0 ||
        value > POLICY_LIMITS.toleranceFenMax
      ) {
        fail(`tolerances.${key}`, 'TOLERANCE_INVALID');
      } else toleranceFen[key as ToleranceCategory] = value;
    }

  const exemptSubsidyItems: string[] = [];
  const items = input.exemptSubsidyItems ?? [];
  if (!Array.isArray(items) || items.length > POLICY_LIMITS.exemptItems)
    fail('exemptSubsidyItems', 'EXEMPT_ITEMS_INVALID');
  else
    items.forEach((item: unknown, i) => {
      const name = typeof item === 'string' ? item.trim() : '';
      if (name === '' || name.length > POLICY_LIMITS.exemptItemLength)
        fail(`exemptSubsidyItems.${i}`, 'EXEMPT_ITEM_INVALID');
      else if (!exemptSubsidyItems.includes(name)) exemptSubsidyItems.push(name);
    });

  const notes = typeof input.notes === 'string' ? input.notes.trim() : '';
  if (notes.length > POLICY_LIMITS.notesLength) fail('notes', 'NOTES_TOO_LONG');

  const effectiveFrom = input.effectiveFrom;
  if (!isIsoDate(effectiveFrom)) fail('effectiveFrom', 'EFFECTIVE_FROM_INVALID');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      windowMonths: windowMonths as number,
      exemptSubsidyItems,
      toleranceFen,
      seriousMultiple: seriousMultiple as number,
      notes,
      effectiveFrom: effectiveFrom as string,
    },
  };
}

// ---------------------------------------------------------------- resolution

/**
 * The version in effect on a date within one profile: of the versions effective on or before the date,
 * the newest published (highest number). A later version with a later effective date does not hide an
 * earlier one before that date.
 */
export function versionInEffect<V extends Pick<PolicyVersion, 'version' | 'effectiveFrom'>>(
  versions: readonly V[],
  asOfDate: string,
): V | null {
  let best: V | null = null;
  for (const v of versions)
    if (v.effectiveFrom <= asOfDate && (best === null || v.version > best.version)) best = v;
  return best;
}

/**
 * Walks the region chain from the region itself up to the province (nearest first) and answers the first
 * profile with a version in effect on the date; null means the built-in default applies.
 */
export function resolveVersion<V extends Pick<PolicyVersion, 'version' | 'effectiveFrom'>>(
  chain: readonly { regionCode: string; versions: readonly V[] }[],
  asOfDate: string,
): { regionCode: string; version: V } | null {
  for (const link of chain) {
    const version = versionInEffect(link.versions, asOfDate);
    if (version) return { regionCode: link.regionCode, version };
  }
  return null;
}
