import { sm3Hex } from '../../domain/audit/chain.ts';
import type { DatasetDef, RawCell } from '../../domain/catalog/types.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { TableSource } from '../ports.ts';

/**
 * Rows pushed as JSON (an array of objects) or NDJSON (one object per line), keyed by the template's
 * Chinese headers or by the column code names. Row numbers are the 1-based position of each object
 * plus one, so that "row 2" is the first object, as it would be in the template file.
 */
export function pushedTable(
  dataset: DatasetDef,
  body: Buffer,
  format: 'json' | 'ndjson',
): { table: TableSource; fingerprint: string; bytes: number } {
  const text = body.toString('utf8');
  let objects: unknown[];
  try {
    objects =
      format === 'json'
        ? (JSON.parse(text) as unknown[])
        : text
            .split(/\r?\n/)
            .filter((l) => l.trim().length > 0)
            .map((l) => JSON.parse(l) as unknown);
  } catch {
    throw new AppError(
      'VALIDATION_FAILED',
      format === 'json' ? '请求体不是有效的 JSON 数组' : '请求体不是有效的 NDJSON（每行一个 JSON 对象）',
    );
  }
  if (!Array.isArray(objects))
    throw new AppError('VALIDATION_FAILED', '请求体须为 JSON 数组，每个元素为一行数据');
  const headerOfKey = new Map(dataset.columns.map((c) => [c.key, c.header]));
  const headers: string[] = [];
  const seen = new Set<string>();
  const rows: { rowNumber: number; cells: Record<string, RawCell> }[] = [];
  objects.forEach((o, i) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw new AppError('VALIDATION_FAILED', `第 ${i + 1} 个元素不是对象`);
    const cells: Record<string, RawCell> = {};
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const header = headerOfKey.get(k) ?? k;
      if (!seen.has(header)) {
        seen.add(header);
        headers.push(header);
      }
      cells[header] =
        v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : (v as RawCell);
    }
    rows.push({ rowNumber: i + 2, cells });
  });
  // An empty push is an empty file, not a file without columns.
  if (objects.length === 0) headers.push(...dataset.columns.map((c) => c.header));
  return {
    table: {
      format,
      encoding: 'utf-8',
      headers,
      rows: (async function* () {
        for (const r of rows) yield { rowNumber: r.rowNumber, cells: headers.map((h) => r.cells[h] ?? null) };
      })(),
    },
    fingerprint: sm3Hex(text),
    bytes: body.length,
  };
}
