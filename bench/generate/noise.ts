import { HOMOPHONES, toTraditional } from './names.ts';
import type { Rng } from './random.ts';

/**
 * The noise of BENCHMARK.md: how department clerks and spreadsheets mangle ID numbers and names. Rates are
 * per row of the datasets that carry noise (every dataset except hukou, the reference register). `--harsh`
 * triples every rate.
 */

export const NOISE_TYPES = [
  'fullwidth',
  'lowercase_x',
  'stray_space',
  'apostrophe',
  'legacy_15',
  'substituted_digit',
  'swapped_digits',
  'homophone',
  'traditional',
  'name_space',
  'missing_id',
] as const;
export type NoiseType = (typeof NOISE_TYPES)[number];

export interface NoiseRates {
  /** Share of rows whose ID is written in full-width digits. */
  fullwidth: number;
  /** Share of X-ending IDs written with a lower-case x. */
  lowercaseX: number;
  /** Share of rows with stray spaces in the ID or the apostrophe Excel uses to force text (half each). */
  spaceOrApostrophe: number;
  /** Share of rows of people born before 2000, in the legacy datasets, with the 15-digit ID. */
  legacy15: number;
  substitutedDigit: number;
  swappedDigits: number;
  homophone: number;
  traditional: number;
  nameSpace: number;
  /** Share of rows without an ID (name + birth date only), per dataset. */
  missingId: Readonly<Record<string, number>>;
}

export const DEFAULT_RATES: NoiseRates = {
  fullwidth: 0.01,
  lowercaseX: 0.3,
  spaceOrApostrophe: 0.02,
  legacy15: 0.02,
  substitutedDigit: 0.003,
  swappedDigits: 0.001,
  homophone: 0.01,
  traditional: 0.005,
  nameSpace: 0.01,
  missingId: { real_estate: 0.01, deposit: 0.02, market_entity: 0.05 },
};

/** Datasets kept in systems old enough to still hold 15-digit IDs. */
export const LEGACY_DATASETS: ReadonlySet<string> = new Set([
  'real_estate',
  'deposit',
  'market_entity',
  'vehicle',
]);

export function harshRates(rates: NoiseRates): NoiseRates {
  const triple = (rate: number) => Math.min(1, rate * 3);
  return {
    fullwidth: triple(rates.fullwidth),
    lowercaseX: triple(rates.lowercaseX),
    spaceOrApostrophe: triple(rates.spaceOrApostrophe),
    legacy15: triple(rates.legacy15),
    substitutedDigit: triple(rates.substitutedDigit),
    swappedDigits: triple(rates.swappedDigits),
    homophone: triple(rates.homophone),
    traditional: triple(rates.traditional),
    nameSpace: triple(rates.nameSpace),
    missingId: Object.fromEntries(
      Object.entries(rates.missingId).map(([code, rate]) => [code, triple(rate)]),
    ),
  };
}

const FULLWIDTH_ZERO = 0xff10;

/** Digits and x/X to their full-width forms (NFKC folds them back). */
export function toFullWidth(id: string): string {
  let out = '';
  for (const character of id) {
    const code = character.charCodeAt(0);
    if (code >= 48 && code <= 57) out += String.fromCharCode(FULLWIDTH_ZERO + code - 48);
    else if (character === 'X') out += 'Ｘ';
    else if (character === 'x') out += 'ｘ';
    else out += character;
  }
  return out;
}

/** The pre-1999 form: no century digits, no check character. */
export function toLegacy15(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

/** One of the first 17 digits replaced by a different digit. */
export function substituteDigit(id: string, rng: Rng): string {
  const position = rng.int(17);
  const old = id.charCodeAt(position) - 48;
  const replacement = (old + 1 + rng.int(9)) % 10;
  return id.slice(0, position) + String(replacement) + id.slice(position + 1);
}

/** Two adjacent, different digits among the first 17 exchanged. */
export function swapAdjacentDigits(id: string, rng: Rng): string {
  const start = rng.int(16);
  for (let k = 0; k < 16; k++) {
    const i = (start + k) % 16;
    const a = id.charAt(i);
    const b = id.charAt(i + 1);
    if (a !== b) return id.slice(0, i) + b + a + id.slice(i + 2);
  }
  return id;
}

/** Spaces where a clerk would put them, or none but the leading apostrophe. */
export function addStraySpace(id: string, rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
    case 1:
      return ` ${id}`;
    case 2:
      return `${id} `;
    default: {
      const position = 1 + rng.int(id.length - 1);
      return `${id.slice(0, position)} ${id.slice(position)}`;
    }
  }
}

export function addApostrophe(id: string): string {
  return `'${id}`;
}

/** One given-name character replaced by its homophone; undefined when none of them has one. */
export function homophoneGiven(given: string, rng: Rng): string | undefined {
  const characters = [...given];
  const candidates: number[] = [];
  characters.forEach((character, index) => {
    if (HOMOPHONES[character] !== undefined) candidates.push(index);
  });
  if (candidates.length === 0) return undefined;
  const index = candidates[rng.int(candidates.length)] ?? 0;
  characters[index] = HOMOPHONES[characters[index] ?? ''] ?? '';
  return characters.join('');
}

export function traditionalName(name: string): string {
  return toTraditional(name);
}

/** A space between surname and given name, or inside a two-character given name; sometimes full-width. */
export function spacedName(surname: string, given: string, rng: Rng): string {
  const space = rng.chance(0.2) ? '\u3000' : ' ';
  if (given.length >= 2 && rng.chance(0.3)) return `${surname}${given.slice(0, 1)}${space}${given.slice(1)}`;
  return `${surname}${space}${given}`;
}
