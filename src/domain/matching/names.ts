import OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';

/**
 * Person names for matching (姓名比对). Two names are compared on three levels:
 *
 * - written form after normalisation (NFKC, no spaces or invisible characters, one middle dot,
 *   traditional → simplified, lower case): equal means the same name written differently (`variant`);
 * - sound (toneless pinyin, surname reading for the first character): equal means a homophone, which is
 *   weak evidence only — a clerk typing 张玮 for 张伟 and two different people look the same here;
 * - characters: one character added, dropped or replaced by a different-sounding one is `partial`.
 */

export type NameMatchKind = 'exact' | 'variant' | 'homophone' | 'partial' | 'different';

/** What normalisation had to undo in a name; used to explain a `variant`. */
export type NameChange = 'width' | 'space' | 'invisible' | 'dot' | 'traditional' | 'case';

export type PreparedName = {
  readonly raw: string;
  /** The normalised form, middle dot kept: 阿卜杜·热合曼. */
  readonly normalized: string;
  /** The characters of the normalised form without middle dots, one code point each. */
  readonly characters: readonly string[];
  /** Toneless pinyin per entry of `characters`; a character that is not Chinese stands for itself. */
  readonly syllables: readonly string[];
  /** Whether each entry of `characters` is a Chinese character pinyin-pro knows. */
  readonly chinese: readonly boolean[];
  readonly changes: ReadonlySet<NameChange>;
  /** False for empty names, names without any letter and placeholders such as 不详. */
  readonly usable: boolean;
};

export type NameComparison = {
  kind: NameMatchKind;
  /** Chinese, for the person confirming a match. */
  detail: string;
};

// ---------------------------------------------------------------- normalisation

/**
 * Hong Kong variants first, then OpenCC's traditional → simplified phrases and characters. The Hong Kong
 * table is a superset of the Taiwan one for names (衞 → 卫) and, unlike it, leaves 著 alone.
 */
const hkToSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Characters OpenCC would simplify that are separate characters in mainland names too: 於 is a surname
 * distinct from 于, 乾 (as in 乾坤) is not 干.
 */
const KEPT_CHARACTERS = /([於乾])/u;

function toSimplified(text: string): string {
  if (!KEPT_CHARACTERS.test(text)) return hkToSimplified(text);
  return text
    .split(KEPT_CHARACTERS)
    .map((part) => (KEPT_CHARACTERS.test(part) ? part : hkToSimplified(part)))
    .join('');
}

const MIDDLE_DOT = '·';
/**
 * What stands for the separator of minority and foreign names (间隔号) in practice: the middle dots
 * ·•‧・, bullets and look-alikes, and the full stops and hyphens clerks type instead.
 */
const DOT_LIKE =
  /[.\u00B7\u0387\u2022\u2027\u2219\u22C5\u25CF\u2E31\u30FB\uFF65\u3002\u002D\u2010-\u2015\u2212]+/gu;
const SPACES = /\s+/gu;
const INVISIBLE = /[\p{Cc}\p{Cf}]+/gu;
const FORMULA_GUARD = /^['\u2018\u2019`]+/u;
const HAS_LETTER = /\p{L}/u;
const PLACEHOLDERS = new Set(['不详', '未知', '不明', '无名', '无名氏', '某某', '无']);

type Normalised = { normalized: string; changes: Set<NameChange> };

function normaliseWithChanges(name: string): Normalised {
  const changes = new Set<NameChange>();
  let text = name.normalize('NFKC');
  if (text !== name) changes.add('width');
  const visible = text.replace(INVISIBLE, '');
  if (visible !== text) changes.add('invisible');
  const unspaced = visible.replace(SPACES, '');
  if (unspaced !== visible) changes.add('space');
  text = unspaced.replace(FORMULA_GUARD, '');
  const dotted = text.replace(DOT_LIKE, MIDDLE_DOT).replace(/^·+|·+$/gu, '');
  if (dotted !== text) changes.add('dot');
  const simplified = toSimplified(dotted);
  if (simplified !== dotted) changes.add('traditional');
  const lower = simplified.toLowerCase();
  if (lower !== simplified) changes.add('case');
  return { normalized: lower, changes };
}

/**
 * The form two names are compared in: NFKC (full-width letters and compatibility ideographs), no
 * whitespace of any width and no zero-width or other invisible characters, every kind of middle dot
 * as ·, traditional characters as simplified, Latin letters in lower case.
 */
export function normalizeName(name: string): string {
  return normaliseWithChanges(name).normalized;
}

// ---------------------------------------------------------------- pinyin

const readingsCache = new Map<string, ReadonlySet<string>>();

/** Every toneless reading of one character: 单 → dan, shan, chan. */
function readingsOf(character: string): ReadonlySet<string> {
  let readings = readingsCache.get(character);
  if (readings === undefined) {
    readings = new Set(
      pinyin(character, { toneType: 'none', type: 'array', multiple: true }).filter((s) => s !== ''),
    );
    readingsCache.set(character, readings);
  }
  return readings;
}

function syllablesOf(characters: readonly string[]): { syllables: string[]; chinese: boolean[] } {
  const text = characters.join('');
  // Surname mode at the head only (compound surnames such as 尉迟 included): 单 shan, 曾 zeng, 解 xie; the rest of the
  // name is read in context (乐乐 → yue le as a name starting with the surname 乐).
  const items = pinyin(text, { toneType: 'none', type: 'all', surname: 'head' });
  const aligned =
    items.length === characters.length && items.every((item, i) => item.origin === characters[i]);
  if (aligned) {
    return {
      syllables: items.map((item) => (item.isZh && item.pinyin !== '' ? item.pinyin : item.origin)),
      chinese: items.map((item) => item.isZh && item.pinyin !== ''),
    };
  }
  // pinyin-pro split the text differently from code points; read character by character instead.
  const syllables: string[] = [];
  const chinese: boolean[] = [];
  characters.forEach((character, index) => {
    const [item] = pinyin(character, {
      toneType: 'none',
      type: 'all',
      surname: index === 0 ? 'head' : 'off',
    });
    const reading = item?.isZh ? item.pinyin : '';
    syllables.push(reading === '' ? character : reading);
    chinese.push(reading !== '');
  });
  return { syllables, chinese };
}

// ---------------------------------------------------------------- prepared names

/** Matching compares the same few names many times; normalising and reading them is the costly part. */
const PREPARED_CACHE_LIMIT = 50_000;
const preparedCache = new Map<string, PreparedName>();

/** Normalises and reads a name once, for comparing it with many others. */
export function prepareName(name: string): PreparedName {
  const cached = preparedCache.get(name);
  if (cached !== undefined) return cached;
  const { normalized, changes } = normaliseWithChanges(name);
  const characters = [...normalized].filter((character) => character !== MIDDLE_DOT);
  const { syllables, chinese } = syllablesOf(characters);
  const prepared: PreparedName = {
    raw: name,
    normalized,
    characters,
    syllables,
    chinese,
    changes,
    usable: HAS_LETTER.test(normalized) && !PLACEHOLDERS.has(normalized),
  };
  if (preparedCache.size >= PREPARED_CACHE_LIMIT) preparedCache.clear();
  preparedCache.set(name, prepared);
  return prepared;
}

function prepared(name: string | PreparedName): PreparedName {
  return typeof name === 'string' ? prepareName(name) : name;
}

/**
 * Toneless pinyin syllables of the normalised name, middle dots left out: 單偉 → ['shan', 'wei'],
 * 阿卜杜·热合曼 → ['a', 'bu', 'du', 're', 'he', 'man']. The first character gets its surname reading.
 * Characters that are not Chinese stand for themselves.
 */
export function namePinyin(name: string | PreparedName): string[] {
  return [...prepared(name).syllables];
}

// ---------------------------------------------------------------- comparison

const CHANGE_LABELS: Record<NameChange, string> = {
  width: '全角/半角',
  space: '空格',
  invisible: '不可见字符',
  dot: '间隔号',
  traditional: '繁简体',
  case: '大小写',
};

function keyOf(name: PreparedName): string {
  return name.characters.join('');
}

/**
 * The reading two different characters at the same place of two names share, or null. The first
 * character is a surname and has only its surname reading (单 shan is not 丹 dan); later characters sound
 * alike when their readings in context are equal or when they share any reading (乐 le/yue and 勒 le/lei).
 */
function sharedReading(a: PreparedName, b: PreparedName, index: number): string | null {
  if (!a.chinese[index] || !b.chinese[index]) return null;
  const syllable = a.syllables[index] ?? '';
  if (syllable === b.syllables[index]) return syllable;
  if (index === 0) return null;
  const readingsA = readingsOf(a.characters[index] ?? '');
  for (const reading of readingsOf(b.characters[index] ?? '')) if (readingsA.has(reading)) return reading;
  return null;
}

function differsByOneInsertion(longer: readonly string[], shorter: readonly string[]): boolean {
  let i = 0;
  while (i < shorter.length && longer[i] === shorter[i]) i++;
  for (let j = i; j < shorter.length; j++) if (longer[j + 1] !== shorter[j]) return false;
  return true;
}

function quoted(name: PreparedName): string {
  return `“${name.raw}”`;
}

/**
 * Compares two names: `exact` (same text), `variant` (same after normalisation: traditional/simplified,
 * spaces, full width, middle dots, case; a dropped middle dot counts too), `homophone` (same length,
 * every differing character sounds alike), `partial` (one character differs, or one is added or
 * dropped), or `different`. Empty names, names without letters and placeholders are always `different`.
 */
export function compareNames(a: string | PreparedName, b: string | PreparedName): NameComparison {
  const left = prepared(a);
  const right = prepared(b);
  if (!left.usable || !right.usable) {
    const bad = left.usable ? right : left;
    return { kind: 'different', detail: `姓名${quoted(bad)}为空或不是有效姓名，不能用于比对` };
  }
  if (left.raw === right.raw) return { kind: 'exact', detail: `姓名完全一致：${quoted(left)}` };
  if (left.normalized === right.normalized || keyOf(left) === keyOf(right)) {
    const changes = new Set([...left.changes, ...right.changes]);
    if (left.normalized !== right.normalized) changes.add('dot');
    const labels = [...changes].map((change) => CHANGE_LABELS[change]);
    return {
      kind: 'variant',
      detail: `姓名${quoted(left)}与${quoted(right)}仅有${labels.join('、') || '书写'}差异，规范化后均为“${left.normalized}”`,
    };
  }

  const lengthA = left.characters.length;
  const lengthB = right.characters.length;
  if (lengthA === lengthB) {
    const soundDifferences: string[] = [];
    const otherDifferences: string[] = [];
    for (let index = 0; index < lengthA; index++) {
      const charA = left.characters[index] ?? '';
      const charB = right.characters[index] ?? '';
      if (charA === charB) continue;
      const reading = sharedReading(left, right, index);
      if (reading !== null) soundDifferences.push(`${charA}/${charB}（${reading}）`);
      else otherDifferences.push(`${charA}/${charB}`);
    }
    if (otherDifferences.length === 0) {
      return {
        kind: 'homophone',
        detail: `姓名${quoted(left)}与${quoted(right)}读音相同、用字不同：${soundDifferences.join('、')}`,
      };
    }
    if (otherDifferences.length === 1 && lengthA >= 2) {
      const homophones = soundDifferences.length > 0 ? `，另有同音字${soundDifferences.join('、')}` : '';
      return {
        kind: 'partial',
        detail: `姓名${quoted(left)}与${quoted(right)}有一个字不同：${otherDifferences[0] ?? ''}${homophones}`,
      };
    }
  } else if (Math.abs(lengthA - lengthB) === 1 && Math.min(lengthA, lengthB) >= 2) {
    const [longer, shorter] = lengthA > lengthB ? [left, right] : [right, left];
    if (differsByOneInsertion(longer.characters, shorter.characters)) {
      return {
        kind: 'partial',
        detail: `姓名${quoted(longer)}比${quoted(shorter)}多一个字`,
      };
    }
  }
  return { kind: 'different', detail: `姓名${quoted(left)}与${quoted(right)}不同` };
}
