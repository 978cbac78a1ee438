import type { AssessmentRecord, Provenance, RecordValue, UnusedRecord } from './types.ts';
import { isDate, isMonth } from './window.ts';

/**
 * Typed reads of a record's parsed values. A value the rules need that is missing or malformed is noted
 * (`problems`) and a neutral placeholder returned, so a caller reads every column first and then sets the
 * record aside as `unreadable_value` instead of guessing.
 */
export class RecordReader {
  readonly problems: string[] = [];

  constructor(private readonly record: AssessmentRecord) {}

  private raw(key: string): RecordValue | undefined {
    return Object.hasOwn(this.record.values, key) ? this.record.values[key] : undefined;
  }

  private fail<T>(key: string, placeholder: T): T {
    this.problems.push(key);
    return placeholder;
  }

  /** Non-empty text, trimmed. */
  text(key: string): string {
    const value = this.optionalText(key);
    return value === null ? this.fail(key, '') : value;
  }

  /** Trimmed text, or null when empty or absent. */
  optionalText(key: string): string | null {
    const value = this.raw(key);
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') return this.fail(key, null);
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }

  /** One of the listed values. */
  oneOf<T extends string>(key: string, allowed: readonly T[]): T | null {
    const value = this.text(key);
    const found = allowed.find((candidate) => candidate === value);
    if (found !== undefined) return found;
    return value === '' ? null : this.fail(key, null);
  }

  /** A whole number (fen, hundredths); integer strings are accepted since some drivers return int8 as text. */
  integer(key: string): number {
    const value = this.optionalInteger(key);
    return value === null ? this.fail(key, 0) : value;
  }

  optionalInteger(key: string): number | null {
    const value = this.raw(key);
    if (value === null || value === undefined || value === '') return null;
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    return typeof number === 'number' && Number.isSafeInteger(number) ? number : this.fail(key, null);
  }

  month(key: string): string {
    const value = this.text(key);
    return isMonth(value) ? value : value === '' ? value : this.fail(key, '');
  }

  date(key: string): string {
    const value = this.text(key);
    return isDate(value) ? value : value === '' ? value : this.fail(key, '');
  }

  /** A boolean; an empty cell means `whenEmpty` (the catalog's emptyMeans). */
  bool(key: string, whenEmpty: boolean): boolean {
    const value = this.raw(key);
    if (value === null || value === undefined || value === '') return whenEmpty;
    return typeof value === 'boolean' ? value : this.fail(key, whenEmpty);
  }
}

export function provenanceOf(record: AssessmentRecord): Provenance {
  return {
    recordId: record.recordId,
    dataset: record.dataset,
    batchId: record.batchId,
    departmentCode: record.departmentCode,
    dataAsOf: record.dataAsOf,
    rowNumber: record.rowNumber,
  };
}

export function unreadable(record: AssessmentRecord, reader: RecordReader): UnusedRecord {
  return {
    ...provenanceOf(record),
    reason: 'unreadable_value',
    detail: [...new Set(reader.problems)].join(','),
  };
}
