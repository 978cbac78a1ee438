import { isKnownRegionCode } from '../regions/regions.ts';

/** Resident identity number rules, GB 11643-1999 (公民身份号码). */

export const ID_ERROR_CODES = ['BAD_LENGTH', 'BAD_CHARACTER', 'BAD_BIRTH_DATE', 'BAD_CHECK_DIGIT'] as const;
export type IdErrorCode = (typeof ID_ERROR_CODES)[number];

export type IdNumberResult =
  | {
      ok: true;
      input: string;
      id18: string;
      birthDate: string;
      sex: 'M' | 'F';
      regionCode: string;
      /** The input was a 15-digit number issued before 1999. */
      legacy: boolean;
      /** Unknown region codes are flagged, not rejected: pre-2002 codes are missing from the data. */
      regionKnown: boolean;
    }
  | { ok: false; input: string; code: IdErrorCode; message: string };

export type ParseIdNumberOptions = {
  /** YYYY-MM-DD in Asia/Shanghai; defaults to the current date there. */
  today?: string;
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1880-01-01';

/**
 * Undoes what spreadsheets and copy-paste do to ID numbers: full-width digits (NFKC), spaces of any width,
 * zero-width characters, the apostrophe Excel uses to force text, and a lower-case check character.
 */
export function normalizeIdNumber(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/^['\u2018\u2019]+/, '')
    .replace(/x/g, 'X');
}

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function computeCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeCheckChar needs exactly 17 digits');
  let sum = 0;
  for (const [index, weight] of WEIGHTS.entries()) sum += Number(first17.charAt(index)) * weight;
  return CHECK_CHARS.charAt(sum % 11);
}

/** Keeps the first and last four characters (domain/privacy/masking.ts, the one place masks live). */
export { maskIdNumber } from '../privacy/masking.ts';

const shanghaiDate = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in China, which is what a birth date on an ID card is compared against. */
export function todayInShanghai(now: Date = new Date()): string {
  const parts = Object.fromEntries(shanghaiDate.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function isCalendarDate(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

/** Excel turns an 18-digit number into 3.30106E+17, which has lost digits and cannot be repaired. */
const SCIENTIFIC_NOTATION = /^\d(\.\d+)?E[+-]?\d+$/i;

/**
 * Which characters are wrong is reported before how many there are: a mangled value such as `3.30106E+17`
 * or `1101O5…` has the wrong length as a side effect, and naming the bad character tells the clerk what
 * to fix. So BAD_CHARACTER wins for anything other than digits with an optional trailing X, and for an X
 * at the end of a 15-digit legacy number (those have no check character). Digit strings of any other
 * length, with or without a trailing X, are BAD_LENGTH.
 */
function characterOrLengthError(id: string): { code: IdErrorCode; message: string } | undefined {
  if (SCIENTIFIC_NOTATION.test(id)) {
    return {
      code: 'BAD_CHARACTER',
      message: '身份证号码已被表格软件转成科学计数法，后几位已丢失，请将该列设为文本格式后重新录入',
    };
  }
  if (!/^\d*X?$/.test(id) || (id.length === 15 && id.endsWith('X'))) {
    return { code: 'BAD_CHARACTER', message: '身份证号码只能由数字组成，最后一位可以是X' };
  }
  if (id.length !== 18 && id.length !== 15) {
    return { code: 'BAD_LENGTH', message: `身份证号码应为18位（旧号码15位），实际为${id.length}位` };
  }
  return undefined;
}

function birthDateError(birthDate: string, today: string): string | undefined {
  if (!isCalendarDate(birthDate)) return `出生日期 ${birthDate} 不是有效日期`;
  if (birthDate > today) return `出生日期 ${birthDate} 晚于今天`;
  if (birthDate < EARLIEST_BIRTH_DATE) return `出生日期 ${birthDate} 早于1880年1月1日`;
  return undefined;
}

export function parseIdNumber(input: string, options: ParseIdNumberOptions = {}): IdNumberResult {
  const today = options.today ?? todayInShanghai();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);

  const id = normalizeIdNumber(input);
  const shapeError = characterOrLengthError(id);
  if (shapeError) return { ok: false, input, ...shapeError };

  const legacy = id.length === 15;
  // Legacy numbers carry a two-digit year and were only issued to people born in the 1900s.
  const first17 = legacy ? `${id.slice(0, 6)}19${id.slice(6)}` : id.slice(0, 17);
  const birthDate = `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`;
  const dateMessage = birthDateError(birthDate, today);
  if (dateMessage) return { ok: false, input, code: 'BAD_BIRTH_DATE', message: dateMessage };

  const checkChar = computeCheckChar(first17);
  if (!legacy && id[17] !== checkChar) {
    return {
      ok: false,
      input,
      code: 'BAD_CHECK_DIGIT',
      message: '身份证号码校验位不正确，请核对是否有数字录错',
    };
  }

  const regionCode = id.slice(0, 6);
  return {
    ok: true,
    input,
    id18: `${first17}${checkChar}`,
    birthDate,
    sex: Number(first17.charAt(16)) % 2 === 1 ? 'M' : 'F',
    regionCode,
    legacy,
    regionKnown: isKnownRegionCode(regionCode),
  };
}
