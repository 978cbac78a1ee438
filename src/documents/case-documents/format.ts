/** Text formats of the documents: integer arithmetic only, so no amount ever passes through a float. */

import { AppError } from '../../domain/shared/errors.ts';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer fen as 元 with two decimals and thousands separators: 123456789 → `1,234,567.89`. */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`an amount must be whole fen, not ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${groupThousands(digits.slice(0, -2))}.${digits.slice(-2)}`;
}

/** Integer hundredths of m² as m² with two decimals: 8550 → `85.50`. */
export function formatArea(hundredths: number): string {
  return formatYuan(hundredths);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a `YYYY-MM-DD` calendar date (a real day, not 2026-02-30). */
export function assertDate(value: string, field: string): void {
  const match = DATE.exec(value);
  const day = match ? new Date(`${value}T00:00:00Z`) : null;
  if (!match || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw new AppError('VALIDATION_FAILED', `${field} 不是有效日期（应为 YYYY-MM-DD）：${value}`, {
      field,
      value,
    });
  }
}

/** `2026-11-23` → `2026年11月23日`, as official documents write dates. */
export function formatDate(value: string): string {
  assertDate(value, '日期');
  const [year, month, day] = value.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

/** `2025-11` → `2025年11月`. */
export function formatMonth(value: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new AppError('VALIDATION_FAILED', `月份无效（应为 YYYY-MM）：${value}`, { value });
  }
  return `${match[1]}年${Number(match[2])}月`;
}

/** The instant a `YYYY-MM-DD` day starts in China: the PDF's creation date. */
export function startOfDayInChina(value: string): Date {
  assertDate(value, '签发日期');
  return new Date(`${value}T00:00:00+08:00`);
}
