/**
 * Streaming XLSX rows of the workbook's first worksheet, parsed by exceljs's streaming reader.
 *
 * exceljs's WorkbookReader is used for what it does well (the SAX parsing of the workbook, styles,
 * shared strings and sheet XML into values), but not for walking the zip. Its own walk
 * (`WorkbookReader.parse`) has two defects that silently damage Chinese data:
 * - members at the end of the zip can be dropped (exceljs issue #683, unmerged fix PR #2915), so in a
 *   small workbook whose shared strings come last every text cell arrives as `{ sharedString: n }`;
 * - chunks are decoded one by one without streaming, so a Chinese character that straddles a chunk
 *   boundary turns into two U+FFFD.
 * Here every member is streamed straight from the file by its central-directory entry (zip.ts) as
 * properly decoded text, in the order needed: workbook, relationships, styles, shared strings, and
 * then only the first worksheet. There are no temporary files and the zip's member order is irrelevant.
 *
 * Two more exceljs habits are corrected on the XML text before exceljs sees it (StripElements):
 * - formula cells: exceljs keeps a cached result only when it is truthy (0, '' and FALSE vanish), turns
 *   a cached error into NaN and ignores the date format; with the `<f>` element removed, the cached
 *   `<v>` is read exactly like a typed value (number, date, text, boolean or error text);
 * - phonetic guides (`<rPh>`, added to East Asian text by Excel): their `<t>` would replace the text.
 *
 * Cell values: text → string (rich text concatenated, hyperlinks as their text), number → number,
 * date-formatted number → Date, boolean → boolean, error → its text ('#N/A'), formula → its cached
 * result as above, empty → null. Dates follow exceljs: the wall-clock value Excel displays, held in the
 * Date's UTC fields — read them with getUTCFullYear() etc., never with local-time getters.
 *
 * Memory: sheet rows are parsed a chunk at a time. The shared-strings table (XLSX keeps most text
 * there and any row may refer to any entry) and the style table are held for the whole read; the
 * former grows with the number of distinct texts, and is refused beyond MAX_SHARED_STRINGS_BYTES.
 */

import { posix } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RawCell } from '../domain/catalog/types.ts';
import type { SourceRow } from './csv.ts';
import { SAVE_AS_HINT, TableError } from './table-error.ts';
import { type OpenEntryOptions, openZipTextEntry, type ZipEntry } from './zip.ts';

type WorksheetReader = ExcelJS.stream.xlsx.WorksheetReader;

/** Uncompressed size of xl/sharedStrings.xml beyond which the workbook is refused (memory guard). */
export const MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024;

/**
 * Built-in number formats that the zh-CN (and zh-TW/ja/ko) editions of Excel and WPS display as dates
 * or times without writing the format into the file; exceljs does not know them and would deliver
 * such cells as bare serial numbers. 27–36 and 50–58 per ECMA-376 §18.8.30 (East Asian locales).
 */
const EAST_ASIAN_DATE_FORMAT_IDS = [
  27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58,
];

/** The parts of exceljs 4's WorkbookReader used here (not in its type declarations). */
interface ReaderInternals {
  model?: unknown;
  workbookRels?: unknown;
  properties?: unknown;
  styles?: unknown;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseRels(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ eventType: string; value: unknown }>;
}

function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function unreadable(cause: unknown): TableError {
  return new TableError('NOT_A_SPREADSHEET', `无法读取这个 .xlsx 文件，文件可能已损坏。${SAVE_AS_HINT}`, {
    cause,
  });
}

function internalsOf(reader: ExcelJS.stream.xlsx.WorkbookReader): ReaderInternals {
  const methods = ['_parseWorkbook', '_parseRels', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'];
  const missing = methods.filter((m) => typeof prop(reader, m) !== 'function');
  if (missing.length > 0) {
    throw new Error(`exceljs WorkbookReader lacks ${missing.join(', ')}: src/ingest/xlsx.ts needs updating`);
  }
  return reader as unknown as ReaderInternals;
}

/**
 * Loads what every row needs (workbook, relationships, styles, shared strings) and finds the first
 * worksheet (first tab in the workbook's order). Returns a function that streams that sheet's rows,
 * numbered as the sheet numbers them: a row missing from the sheet leaves a gap instead of shifting
 * later rows. Each call starts a fresh pass over the sheet; no file stays open between passes.
 */
export async function openWorkbook(
  path: string,
  entries: readonly ZipEntry[],
): Promise<() => AsyncGenerator<SourceRow>> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const internals = internalsOf(reader);
  const member = (name: string, opts: OpenEntryOptions = {}): Promise<Readable> | undefined => {
    const entry = entries.find((e) => e.name === name);
    return entry ? openZipTextEntry(path, entry, opts) : undefined;
  };
  const parse = async (name: string, use: (stream: Readable) => Promise<void>, opts?: OpenEntryOptions) => {
    const stream = await member(name, opts);
    if (!stream) return false;
    try {
      await use(stream);
    } finally {
      stream.destroy();
    }
    return true;
  };
  let sheetPart: string | undefined;
  try {
    const found =
      (await parse('xl/workbook.xml', (s) => internals._parseWorkbook(s))) &&
      (await parse('xl/_rels/workbook.xml.rels', (s) => internals._parseRels(s)));
    if (!found) throw unreadable(new Error('workbook.xml or its relationships missing'));
    const target = (type: string) => relTarget(internals.workbookRels, type);
    await parse(target('styles') ?? 'xl/styles.xml', (s) => internals._parseStyles(s));
    await parse(
      target('sharedStrings') ?? 'xl/sharedStrings.xml',
      async (s) => {
        const strings = internals._parseSharedStrings(s);
        while (!(await strings.next()).done) {
          // cache mode: the generator fills the reader's table and yields nothing
        }
      },
      {
        maxBytes: MAX_SHARED_STRINGS_BYTES,
        tooMuch: () =>
          new TableError(
            'FILE_TOO_LARGE',
            '工作簿中的文字内容过多（共享字符串表超过上限），无法导入。请把数据拆成多个文件，或另存为 CSV 后上传。',
          ),
        // Phonetic guides (<rPh>) hold their own <t> text, which exceljs would take for the cell text.
        through: () => new StripElements('rPh'),
      },
    );
    supplyEastAsianDateFormats(internals.styles);
    sheetPart = firstWorksheet(internals.model, internals.workbookRels);
  } catch (error) {
    throw error instanceof TableError ? error : unreadable(error);
  }
  if (!sheetPart || !entries.some((e) => e.name === sheetPart)) {
    throw new TableError('NOT_A_SPREADSHEET', `这个 Excel 工作簿里找不到第一个工作表。${SAVE_AS_HINT}`);
  }
  const part = sheetPart;
  const date1904 = prop(prop(internals.properties, 'model'), 'date1904') === true;
  return async function* sheetRows(): AsyncGenerator<SourceRow> {
    let stream: Readable | undefined;
    try {
      // Without <f>, exceljs reads a formula cell's cached result exactly like a typed value:
      // its own formula handling drops falsy results (0, '', FALSE), the error text and the date format.
      stream = await member(part, { through: () => new StripElements('f') });
      if (!stream) return;
      const sheet = worksheetReader(internals._parseWorksheet(stream, '1'));
      let previous = 0;
      for await (const row of sheet) {
        const rowNumber = Number.isInteger(row.number) && row.number > previous ? row.number : previous + 1;
        previous = rowNumber;
        yield { rowNumber, cells: rowCells(row, date1904) };
      }
    } catch (error) {
      throw error instanceof TableError ? error : unreadable(error);
    } finally {
      stream?.destroy();
    }
  };
}

function worksheetReader(events: Generator<{ eventType: string; value: unknown }>): WorksheetReader {
  for (const { eventType, value } of events) {
    if (
      eventType === 'worksheet' &&
      typeof value === 'object' &&
      value !== null &&
      Symbol.asyncIterator in value
    ) {
      return value as WorksheetReader;
    }
  }
  throw new Error('exceljs did not produce a worksheet reader');
}

/** A workbook relationship's part name (e.g. `xl/worksheets/sheet1.xml`) by relationship type or id. */
function relTarget(rels: unknown, type: string, id?: string): string | undefined {
  if (!Array.isArray(rels)) return undefined;
  for (const rel of rels as unknown[]) {
    const relType = prop(rel, 'Type');
    // By the type's last segment, so that Strict OOXML (purl.oclc.org URIs) is recognised too.
    const matches =
      typeof relType === 'string' &&
      relType.endsWith(`/${type}`) &&
      (id === undefined || prop(rel, 'Id') === id);
    const target = prop(rel, 'Target');
    if (matches && typeof target === 'string') {
      return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
    }
  }
  return undefined;
}

/** The part of the first sheet in tab order that is a worksheet (chart sheets are passed over). */
function firstWorksheet(model: unknown, rels: unknown): string | undefined {
  const sheets = prop(model, 'sheets');
  if (!Array.isArray(sheets)) return undefined;
  for (const sheet of sheets as unknown[]) {
    const id = prop(sheet, 'rId');
    const part = typeof id === 'string' ? relTarget(rels, 'worksheet', id) : undefined;
    if (part) return part;
  }
  return undefined;
}

/**
 * Removes every `<name …>…</name>` and `<name …/>` element from a stream of XML text (object mode,
 * strings in and out). Elements may straddle chunk boundaries; '<' never occurs in XML text content
 * unescaped, so a plain scan for the tag is exact.
 */
export class StripElements extends Transform {
  private carry = '';
  private readonly open: string;
  private readonly close: string;

  constructor(name: string) {
    super({ objectMode: true });
    this.open = `<${name}`;
    this.close = `</${name}>`;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.carry + String(chunk);
    this.carry = '';
    let out = '';
    let at = 0;
    for (;;) {
      const start = text.indexOf(this.open, at);
      if (start < 0) {
        // Hold back a trailing '<', '<f'… that the next chunk may complete into the tag.
        const lt = text.lastIndexOf('<');
        const partial = lt >= at && this.open.startsWith(text.slice(lt));
        const cut = partial ? lt : text.length;
        out += text.slice(at, cut);
        this.carry = text.slice(cut);
        break;
      }
      const after = text[start + this.open.length];
      if (after === undefined) {
        out += text.slice(at, start);
        this.carry = text.slice(start);
        break;
      }
      if (!/[\s/>]/.test(after)) {
        out += text.slice(at, start + 1);
        at = start + 1;
        continue;
      }
      const tagEnd = text.indexOf('>', start);
      if (tagEnd < 0) {
        out += text.slice(at, start);
        this.carry = text.slice(start);
        break;
      }
      if (text[tagEnd - 1] === '/') {
        out += text.slice(at, start);
        at = tagEnd + 1;
        continue;
      }
      const end = text.indexOf(this.close, tagEnd);
      if (end < 0) {
        out += text.slice(at, start);
        this.carry = text.slice(start);
        break;
      }
      out += text.slice(at, start);
      at = end + this.close.length;
    }
    if (out) this.push(out);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry) this.push(this.carry);
    this.carry = '';
    callback();
  }
}

/** Registers the East Asian built-in date formats the file uses but does not spell out. */
function supplyEastAsianDateFormats(styles: unknown): void {
  const known = prop(prop(styles, 'index'), 'numFmt');
  if (typeof known !== 'object' || known === null) return;
  const formats = known as Record<number, unknown>;
  for (const id of EAST_ASIAN_DATE_FORMAT_IDS) formats[id] ??= 'yyyy-mm-dd';
}

function rowCells(row: ExcelJS.Row, date1904: boolean): RawCell[] {
  const sparse: RawCell[] = [];
  row.eachCell((cell, column) => {
    sparse[column - 1] = toRawCell(cell.value, cell.numFmt, date1904);
  });
  return Array.from({ length: sparse.length }, (_, i) => sparse[i] ?? null);
}

/** Mirrors exceljs's own test for date formats: date/time letters outside quotes and brackets. */
function isDateFormat(format: unknown): boolean {
  if (typeof format !== 'string') return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** An Excel serial day number as a Date holding the wall-clock date and time in UTC fields (as exceljs does). */
function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/**
 * One exceljs cell value as a RawCell (see the module comment). Formula objects do not reach here from
 * the sheet stream (the `<f>` elements are stripped) but are still understood.
 */
export function toRawCell(value: unknown, numFmt: unknown, date1904: boolean): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value;
  if (typeof value !== 'object') return null;
  const richText = prop(value, 'richText');
  if (Array.isArray(richText)) {
    return (richText as unknown[])
      .map((run) => {
        const text = prop(run, 'text');
        return typeof text === 'string' ? text : '';
      })
      .join('');
  }
  const error = prop(value, 'error');
  if (typeof error === 'string') return error;
  if ('formula' in value || 'sharedFormula' in value || 'result' in value) {
    const result = prop(value, 'result');
    if (typeof result === 'number' && Number.isFinite(result) && isDateFormat(numFmt)) {
      return serialToDate(result, date1904);
    }
    return toRawCell(result, undefined, date1904);
  }
  if ('text' in value) return toRawCell(prop(value, 'text'), undefined, date1904);
  return null;
}
