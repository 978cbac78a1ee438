import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlankCell, parseCell } from '../../src/domain/catalog/cells.ts';
import { DATASETS } from '../../src/domain/catalog/datasets.ts';
import { parsePeriod } from '../../src/domain/catalog/period.ts';
import { checkHeaders, validateRow } from '../../src/domain/catalog/rows.ts';
import { type ColumnDef, type RawCell, ROW_ERROR_CODES } from '../../src/domain/catalog/types.ts';
import { CHINESE, fuzz, runsOf, timeoutFor } from './support.ts';

const TODAY = '2025-09-26';
const RUNS = runsOf(500);
const TIMEOUT = timeoutFor(RUNS, 0.1);

/** One column of each distinct shape of the catalog (type, required, enum values, default). */
const COLUMNS: ColumnDef[] = [
  ...new Map(
    DATASETS.flatMap((d) => d.columns).map((c) => [
      JSON.stringify([c.type, c.required, c.values ?? null, c.emptyMeans ?? null, c.allowFuture ?? false]),
      c,
    ]),
  ).values(),
];

const numericText = fc.stringMatching(/^[-−]?[¥￥]?\d{0,16}(,\d{3}){0,3}(\.\d{0,4})?(元|%|㎡|平方米)?$/);
const dateText = fc.stringMatching(/^\d{0,5}[-/.年]\d{0,3}[-/.月]\d{0,3}日?$/);

/** What a cell of an upload or a push can hold: any text, numbers (also NaN, ±∞, -0), booleans, Dates (also invalid). */
const rawCell: fc.Arbitrary<RawCell> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 260 }),
  numericText,
  dateText,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.date(),
  fc.constant(null),
  fc.constantFrom(...COLUMNS.flatMap((c) => [c.example, ...(c.values ?? [])])),
);

function expectSound(column: ColumnDef, raw: RawCell): void {
  const result = parseCell(column, raw, { today: TODAY });
  if (result.ok && result.value === null) {
    // Only an empty optional cell without a default stands for nothing.
    expect(column.required || column.emptyMeans !== undefined).toBe(false);
    expect(isBlankCell(raw)).toBe(true);
  } else if (result.ok) {
    const v = result.value;
    switch (column.type) {
      case 'amount':
      case 'area':
      case 'percent':
        // Money and areas are integer hundredths, never floats.
        expect(
          Number.isSafeInteger(v) && (v as number) >= 0,
          `${column.type} ${JSON.stringify(raw)} → ${v}`,
        ).toBe(true);
        break;
      case 'date':
        expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (!column.allowFuture) expect((v as string) <= TODAY).toBe(true);
        break;
      case 'month':
        expect(v).toMatch(/^\d{4}-\d{2}$/);
        break;
      case 'id_number':
        expect(v).toMatch(/^\d{17}[\dX]$/);
        break;
      case 'bool':
        expect(typeof v).toBe('boolean');
        break;
      case 'enum':
        expect(column.values).toContain(v);
        break;
      default:
        expect(typeof v).toBe('string');
    }
  } else {
    expect(ROW_ERROR_CODES).toContain(result.code);
    expect(result.message).toMatch(CHINESE);
  }
}

describe('fuzzing the cell parsers of the catalog', () => {
  it(
    'parses any cell of any column type to a well-typed value or a coded Chinese error, never an exception',
    () => {
      fuzz(
        'parseCell (every column shape)',
        fc.property(fc.constantFrom(...COLUMNS), rawCell, (column, raw) => expectSound(column, raw)),
        RUNS,
        [
          [COLUMNS.find((c) => c.type === 'amount') as ColumnDef, Number.NaN],
          [COLUMNS.find((c) => c.type === 'date') as ColumnDef, new Date(Number.NaN)],
          [COLUMNS.find((c) => c.type === 'amount') as ColumnDef, 1e300],
          // Found by fuzzing: a Date past 9999 came out as `61338-10-29`; one before 1880 as `500-01-01`.
          [
            COLUMNS.find((c) => c.type === 'date' && c.allowFuture) as ColumnDef,
            new Date('+061338-10-29T08:12:26.034Z'),
          ],
          [COLUMNS.find((c) => c.type === 'date') as ColumnDef, new Date('0500-01-01T00:00:00Z')],
          [COLUMNS.find((c) => c.type === 'month') as ColumnDef, new Date('+061338-10-29T08:12:26.034Z')],
        ],
      );
    },
    TIMEOUT,
  );

  it(
    'reads an amount written in yuan back to the exact fen, whatever the thousands separators',
    () => {
      const amount = COLUMNS.find((c) => c.type === 'amount') as ColumnDef;
      fuzz(
        'parseCell (amount round trip)',
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.boolean(), (fen, grouped) => {
          const yuan = (fen / 100n).toString();
          const text = `${grouped ? yuan.replace(/\B(?=(\d{3})+$)/g, ',') : yuan}.${(fen % 100n).toString().padStart(2, '0')}`;
          expect(parseCell(amount, text, { today: TODAY })).toEqual({ ok: true, value: Number(fen) });
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  it(
    'validates whole rows and headers of any dataset with any cells, never throwing',
    () => {
      fuzz(
        'validateRow / checkHeaders / parsePeriod',
        fc.property(
          fc.constantFrom(...DATASETS),
          fc.array(rawCell, { maxLength: 24 }),
          fc.array(fc.string({ maxLength: 12 }), { maxLength: 20 }),
          fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^\d{4}(-?\d{2}|Q[1-4]|H[12])?$/)),
          (dataset, cells, headers, periodLabel) => {
            const period = parsePeriod(periodLabel);
            const columnIndex = dataset.columns.map((_, i) => (i < cells.length ? i : undefined));
            const check = validateRow(dataset, columnIndex, 2, cells, {
              today: TODAY,
              period: period.ok ? period.value : null,
            });
            for (const e of check.errors) expect(e.message).toMatch(CHINESE);
            checkHeaders(dataset, [
              ...headers,
              ...dataset.columns.slice(0, cells.length).map((c) => c.header),
            ]);
          },
        ),
        RUNS,
      );
    },
    TIMEOUT,
  );
});
