import { parseIdNumber } from '../../src/domain/identity/id-number.ts';
import { normalizeBirthDate } from '../../src/domain/matching/birth-date.ts';
import { namePinyin, normalizeName } from '../../src/domain/matching/names.ts';
import { openTable } from '../../src/ingest/read-table.ts';

/**
 * The person register the accuracy benchmark matches against: the hukou main file, one person per
 * normalised 18-digit ID, indexed by ID, by normalised name, by the name's pinyin and by birth date.
 */

export type RegisterPerson = {
  /** Position in `Register.persons`; what a match result stores. */
  readonly index: number;
  readonly id18: string;
  readonly name: string;
  readonly birthDate: string | null;
};

export type Register = {
  readonly persons: readonly RegisterPerson[];
  readonly byId: ReadonlyMap<string, number>;
  readonly byName: ReadonlyMap<string, readonly number[]>;
  readonly byPinyin: ReadonlyMap<string, readonly number[]>;
  readonly byBirthDate: ReadonlyMap<string, readonly number[]>;
  /** Hukou rows whose ID did not parse or repeated an earlier one (0 on generated data). */
  readonly skipped: number;
};

export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell);
}

/** Toneless pinyin of the normalised name: the key homophones share. */
export function pinyinKey(name: string): string {
  return namePinyin(name).join(' ');
}

function push(index: Map<string, number[]>, key: string, value: number): void {
  if (key === '') return;
  const list = index.get(key);
  if (list === undefined) index.set(key, [value]);
  else list.push(value);
}

export function columnIndex(headers: readonly string[], name: string, file: string): number {
  const index = headers.indexOf(name);
  if (index < 0) throw new Error(`${file}: no column ${name}`);
  return index;
}

export async function buildRegister(hukouPath: string): Promise<Register> {
  const table = await openTable(hukouPath);
  const idColumn = columnIndex(table.headers, '身份证号', hukouPath);
  const nameColumn = columnIndex(table.headers, '姓名', hukouPath);
  const birthColumn = table.headers.indexOf('出生日期');
  const persons: RegisterPerson[] = [];
  const byId = new Map<string, number>();
  const byName = new Map<string, number[]>();
  const byPinyin = new Map<string, number[]>();
  const byBirthDate = new Map<string, number[]>();
  let skipped = 0;
  for await (const row of table.rows) {
    const parsed = parseIdNumber(cellText(row.cells[idColumn]));
    if (!parsed.ok || byId.has(parsed.id18)) {
      skipped++;
      continue;
    }
    const name = cellText(row.cells[nameColumn]);
    const birthDate =
      (birthColumn >= 0 ? normalizeBirthDate(cellText(row.cells[birthColumn])) : null) ?? parsed.birthDate;
    const index = persons.length;
    persons.push({ index, id18: parsed.id18, name, birthDate });
    byId.set(parsed.id18, index);
    push(byName, normalizeName(name), index);
    push(byPinyin, pinyinKey(name), index);
    push(byBirthDate, birthDate, index);
  }
  return { persons, byId, byName, byPinyin, byBirthDate, skipped };
}
