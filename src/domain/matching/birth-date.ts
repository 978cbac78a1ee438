/** Birth dates as written in department data, and the typing slips that make two of them differ. */

export type BirthDateTypo = 'one_digit' | 'adjacent_digits_swapped' | 'day_month_swapped';

export type BirthDateComparison =
  | { kind: 'same'; detail: string }
  | { kind: 'typo'; pattern: BirthDateTypo; detail: string }
  | { kind: 'different'; detail: string }
  | { kind: 'missing'; detail: string };

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1880 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/u;
const SEPARATED = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/u;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/u;

/**
 * YYYY-MM-DD, or null when the input is empty or not a calendar date. Accepts full-width digits,
 * 1985-3-7, 1985/03/07, 1985.3.7, 19850307 and 1985年3月7日.
 */
export function normalizeBirthDate(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  if (ISO.test(input)) {
    return isCalendarDate(Number(input.slice(0, 4)), Number(input.slice(5, 7)), Number(input.slice(8, 10)))
      ? input
      : null;
  }
  const text = input.normalize('NFKC').trim();
  const match = SEPARATED.exec(text) ?? COMPACT.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (!isCalendarDate(year, month, day)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function typoPattern(a: string, b: string): BirthDateTypo | null {
  const digitsA = a.replaceAll('-', '');
  const digitsB = b.replaceAll('-', '');
  const differing: number[] = [];
  for (let i = 0; i < digitsA.length; i++) if (digitsA[i] !== digitsB[i]) differing.push(i);
  if (differing.length === 1) return 'one_digit';
  const [first, second] = differing;
  if (
    differing.length === 2 &&
    first !== undefined &&
    second === first + 1 &&
    digitsA[first] === digitsB[second] &&
    digitsA[second] === digitsB[first]
  ) {
    return 'adjacent_digits_swapped';
  }
  if (
    a.slice(0, 4) === b.slice(0, 4) &&
    a.slice(5, 7) === b.slice(8, 10) &&
    a.slice(8, 10) === b.slice(5, 7)
  ) {
    return 'day_month_swapped';
  }
  return null;
}

const TYPO_LABELS: Record<BirthDateTypo, string> = {
  one_digit: '只有一位数字不同',
  adjacent_digits_swapped: '相邻两位数字颠倒',
  day_month_swapped: '月、日颠倒',
};

/** Compares a record's birth date with a person's; either may be unnormalised or missing. */
export function compareBirthDates(
  record: string | null | undefined,
  person: string | null | undefined,
): BirthDateComparison {
  const a = normalizeBirthDate(record);
  const b = normalizeBirthDate(person);
  if (a === null || b === null) {
    const which = a === null ? '记录' : '人员';
    return { kind: 'missing', detail: `${which}缺少有效的出生日期，无法比对出生日期` };
  }
  if (a === b) return { kind: 'same', detail: `出生日期一致（${a}）` };
  const pattern = typoPattern(a, b);
  if (pattern !== null) {
    return {
      kind: 'typo',
      pattern,
      detail: `出生日期疑似录入错误：记录为${a}，人员为${b}，${TYPO_LABELS[pattern]}`,
    };
  }
  return { kind: 'different', detail: `出生日期不同：记录为${a}，人员为${b}` };
}

/**
 * The blind-index purpose under which a birth date (`YYYY-MM-DD`) is indexed: hukou rows carry it so that
 * namesakes can be found, and rows without an ID number carry it so they can be matched by name + birth date.
 */
export const BIRTH_KEY_PURPOSE = 'birth';
