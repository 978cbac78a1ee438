import { creditCodeCheckChar } from '../../src/domain/catalog/cells.ts';
import { fmix32 } from './random.ts';

/**
 * Identifiers of things (plates, property units, credit codes, account numbers), each an injective function
 * of a number, so uniqueness needs no bookkeeping. The numbers go through a bijection first (an affine map
 * modulo the code space, or murmur's finaliser), so neighbours in the city do not get neighbouring codes.
 */

/** x ↦ (a·x + b) mod n, a bijection of [0, n) when a and n are coprime; exact while a·n < 2⁵³. */
function permute(x: number, a: number, b: number, n: number): number {
  return (((a * x + b) % n) + n) % n;
}

/** Plate letters: no I or O. */
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const PLATE_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PLATE_SPAN = PLATE_CHARACTERS.length ** 4;
/** 24 × 34⁴ = 2⁷ · 3 · 17⁴; 1 000 003 is a prime coprime to it. */
const PLATE_SPACE = PLATE_LETTERS.length * PLATE_SPAN;

/** 甘M plates (庆阳): a letter and four characters; unique for codes below 24 × 34⁴ (32 million). */
export function plateOf(code: number): string {
  if (code >= PLATE_SPACE) throw new RangeError(`plate code ${code} out of range`);
  const scrambled = permute(code, 1_000_003, 4_711, PLATE_SPACE);
  const letter = PLATE_LETTERS.charAt(Math.floor(scrambled / PLATE_SPAN));
  let rest = '';
  let value = scrambled % PLATE_SPAN;
  for (let k = 0; k < 4; k++) {
    rest = PLATE_CHARACTERS.charAt(value % PLATE_CHARACTERS.length) + rest;
    value = Math.floor(value / PLATE_CHARACTERS.length);
  }
  return `甘M${letter}${rest}`;
}

/** Vehicle code of the k-th vehicle of a family (k < 4; k = 3 is the month-two planted one). */
export function vehicleCode(family: number, k: number): number {
  return family * 4 + k;
}

/** Transport plates live above every family vehicle code of a city of up to 5 million families. */
export function transportCode(person: number): number {
  return 20_000_000 + person;
}

/**
 * 28-character 不动产单元号: county (6) + 街道 (3) + 街坊 (3) + GB + 宗地顺序号 (5) + F + 定着物单元 (8). The family
 * number (up to 9 999 999) and the property's number in the family (0–99) make it unique.
 */
export function unitNumberOf(
  countyCode: string,
  family: number,
  k: number,
  street: number,
  block: number,
): string {
  if (family >= 10_000_000) throw new RangeError(`family ${family} out of range`);
  const familyDigits = String(permute(family, 7_654_321, 1_234_567, 10_000_000)).padStart(7, '0');
  return (
    countyCode +
    String(street).padStart(3, '0') +
    String(block).padStart(3, '0') +
    'GB' +
    familyDigits.slice(0, 5) +
    'F' +
    familyDigits.slice(5) +
    String(k).padStart(2, '0') +
    '0001'
  );
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/**
 * Unified social credit code: registration authority + entity kind (92 个体工商户, 91 enterprise, 93 专业合作社),
 * the registering county, nine characters from the entity number, and the GB 32100 check character.
 */
const CREDIT_SPACE = 31 ** 9;

export function creditCodeOf(prefix: '91' | '92' | '93', countyCode: string, entity: number): string {
  if (entity >= 100_000_000) throw new RangeError(`entity ${entity} out of range`);
  let body = '';
  let value = permute(entity, 1_000_003, 987_654_321, CREDIT_SPACE);
  for (let k = 0; k < 9; k++) {
    body = CREDIT_ALPHABET.charAt(value % 31) + body;
    value = Math.floor(value / 31);
  }
  const first17 = prefix + countyCode + body;
  const check = creditCodeCheckChar(first17);
  if (check === undefined) throw new Error(`cannot make a credit code from ${first17}`);
  return first17 + check;
}

/** Entity number of the k-th entity of a person (k < 4; k = 3 is the month-two planted one). */
export function entityNumber(person: number, k: number): number {
  return person * 4 + k;
}

/** Ten digits unique per (person, account k < 16) for people below 2²⁸. */
export function accountDigits(person: number, k: number): string {
  return String(fmix32(person * 16 + k)).padStart(10, '0');
}

/** A 19-digit card or account number, unique per (person, account). */
export function accountNumberOf(bankPrefix: string, person: number, k: number, salt: number): string {
  return `${bankPrefix}${accountDigits(person, k)}${String(salt % 100_000).padStart(5, '0')}`;
}
