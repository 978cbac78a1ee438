import { z } from 'zod';
import { parseIdNumber } from '../identity/id-number.ts';
import { ASSISTANCE_TYPES, type AssistanceType } from '../policy/assistance-types.ts';
import type { Declaration } from './discrepancies.ts';
import {
  DECLARABLE_INCOME,
  type DeclarableIncome,
  EXCLUSIONS,
  type Exclusion,
  type Member,
} from './types.ts';
import { addMonths, isDate, isMonth } from './window.ts';

/**
 * What staff (or `hedui assess --household FILE.json`) hand the engine: the case it serves, the region and
 * assistance type whose policy profile applies, the members with relation, co-residing flag and exclusion, and
 * what the family declared. Amounts are integer fen; declared income is the total over the look-back window.
 */

const fen = z.number({ error: '金额必须是以“分”为单位的整数' }).int('金额必须是以“分”为单位的整数');
const nonNegativeFen = fen.min(0, '金额不能为负数');
const declaredItems = z.object({
  count: z.number().int('数量必须是整数').min(0, '数量不能为负数'),
  identifiers: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
});

export const householdRequestSchema = z.object({
  caseRef: z
    .string({ error: '请填写案件编号' })
    .trim()
    .min(1, '请填写案件编号')
    .max(64, '案件编号不超过 64 个字符')
    .regex(/^[\p{L}\p{N}_\-/()（）]+$/u, '案件编号只能包含文字、数字、连字符、下划线、斜杠和括号'),
  regionCode: z.string({ error: '请选择区划' }).regex(/^\d{6}(\d{3})?$/, '区划代码应为 6 位或 9 位数字'),
  assistanceType: z.enum(ASSISTANCE_TYPES, { error: '救助类型无效' }),
  asOfDate: z.string().refine(isDate, '核对基准日应为 YYYY-MM-DD 格式的有效日期').optional(),
  windowEndMonth: z.string().refine(isMonth, '回溯期末月应为 YYYY-MM 格式').optional(),
  members: z
    .array(
      z.object({
        idNumber: z.string({ error: '请填写身份证号' }).trim().min(1, '请填写身份证号'),
        name: z.string({ error: '请填写姓名' }).trim().min(1, '请填写姓名').max(64, '姓名过长'),
        relation: z.string({ error: '请填写与申请人关系' }).trim().min(1, '请填写与申请人关系').max(20),
        coResiding: z.boolean().default(true),
        exclusion: z.enum(EXCLUSIONS, { error: '不计入共同生活的原因无效' }).nullable().default(null),
        declaredIncome: z.partialRecord(z.enum(DECLARABLE_INCOME), fen).optional(),
      }),
    )
    .min(1, '至少需要一名家庭成员')
    .max(30, '家庭成员不超过 30 人'),
  declaredAssets: z
    .object({
      depositsFen: nonNegativeFen.optional(),
      vehicles: declaredItems.optional(),
      realEstate: declaredItems.optional(),
      marketEntities: declaredItems.optional(),
    })
    .optional(),
});

export type HouseholdRequestInput = z.input<typeof householdRequestSchema>;
export type HouseholdRequestData = z.output<typeof householdRequestSchema>;

export interface RequestMember extends Member {
  idNumber: string;
  birthDate: string;
  sex: 'M' | 'F';
  regionCode: string;
}

export interface HouseholdRequest {
  caseRef: string;
  regionCode: string;
  assistanceType: AssistanceType;
  asOfDate: string;
  windowEndMonth: string;
  members: RequestMember[];
  declaration: Declaration;
}

export interface RequestProblem {
  /** Stable code: INVALID_ID_NUMBER, DUPLICATE_MEMBER, INVALID_FIELD, FUTURE_DATE, WINDOW_AFTER_AS_OF. */
  code: string;
  /** Dot path of the field, e.g. `members.1.idNumber`. */
  path: string;
  message: string;
}

export type HouseholdRequestResult =
  | { ok: true; request: HouseholdRequest }
  | { ok: false; problems: RequestProblem[] };

/** Member ids are positions (`m1`, `m2` …): a result never keys anything by ID number. */
export function memberIdAt(index: number): string {
  return `m${index + 1}`;
}

/**
 * Validates a request and resolves its dates: the as-of date defaults to today, and the window ends with the
 * month before the as-of date (the last month departments can have delivered) unless given.
 */
export function parseHouseholdRequest(input: unknown, today: string): HouseholdRequestResult {
  const parsed = householdRequestSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        code: 'INVALID_FIELD',
        path: issue.path.join('.'),
        message: issue.message,
      })),
    };
  }
  const data = parsed.data;
  const problems: RequestProblem[] = [];
  const asOfDate = data.asOfDate ?? today;
  if (asOfDate > today)
    problems.push({ code: 'FUTURE_DATE', path: 'asOfDate', message: `核对基准日 ${asOfDate} 晚于今天` });
  const windowEndMonth = data.windowEndMonth ?? addMonths(asOfDate.slice(0, 7), -1);
  if (windowEndMonth > asOfDate.slice(0, 7))
    problems.push({
      code: 'WINDOW_AFTER_AS_OF',
      path: 'windowEndMonth',
      message: `回溯期末月 ${windowEndMonth} 晚于核对基准日所在月份`,
    });

  const members: RequestMember[] = [];
  const seen = new Map<string, number>();
  data.members.forEach((member, index) => {
    const id = parseIdNumber(member.idNumber, { today });
    if (!id.ok) {
      problems.push({
        code: 'INVALID_ID_NUMBER',
        path: `members.${index}.idNumber`,
        message: `第 ${index + 1} 名成员（${member.name}）的身份证号无效：${id.message}`,
      });
      return;
    }
    const first = seen.get(id.id18);
    if (first !== undefined) {
      problems.push({
        code: 'DUPLICATE_MEMBER',
        path: `members.${index}.idNumber`,
        message: `第 ${index + 1} 名成员与第 ${first + 1} 名成员的身份证号相同`,
      });
      return;
    }
    seen.set(id.id18, index);
    members.push({
      memberId: memberIdAt(index),
      name: member.name,
      relation: member.relation,
      coResiding: member.coResiding,
      exclusion: member.exclusion as Exclusion | null,
      idNumber: id.id18,
      birthDate: id.birthDate,
      sex: id.sex,
      regionCode: id.regionCode,
    });
  });
  if (problems.length > 0) return { ok: false, problems };

  const declaration: Declaration = {
    members: data.members.flatMap((member, index) =>
      member.declaredIncome === undefined
        ? []
        : [
            {
              memberId: memberIdAt(index),
              income: member.declaredIncome as Partial<Record<DeclarableIncome, number>>,
            },
          ],
    ),
    ...(data.declaredAssets !== undefined ? { assets: data.declaredAssets } : {}),
  };
  return {
    ok: true,
    request: {
      caseRef: data.caseRef,
      regionCode: data.regionCode,
      assistanceType: data.assistanceType,
      asOfDate,
      windowEndMonth,
      members,
      declaration,
    },
  };
}
