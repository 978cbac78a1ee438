/**
 * Streaming CSV records: file → encoding check/conversion → csv-parse. Memory stays flat: nothing
 * holds more than a 64 KiB chunk and one record.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import type { RawCell } from '../domain/catalog/types.ts';
import type { TextEncodingName } from './sniff.ts';
import { SAVE_AS_HINT, TableError } from './table-error.ts';

export interface SourceRow {
  rowNumber: number;
  cells: RawCell[];
}

/** A longer record almost certainly comes from an unclosed quote swallowing the rest of the file. */
const MAX_RECORD_BYTES = 1024 * 1024;

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function countNewlineBytes(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

function invalidText(line: number, expected: string): TableError {
  return new TableError(
    'ENCODING_ERROR',
    `文件第 ${line} 行附近有无法识别的字符：文件按 ${expected} 编码读取，但这里的内容不符合该编码，` +
      `可能混用了不同编码或文件已损坏。${SAVE_AS_HINT}`,
  );
}

/** The line (1-based, counting LF) of the first replacement character in `text`. */
function lineOfFirstBadChar(linesBefore: number, text: string): number {
  const bad = text.indexOf('\uFFFD');
  return linesBefore + countNewlines(bad >= 0 ? text.slice(0, bad) : text);
}

/** Bytes at the end of `bytes` that start a UTF-8 sequence the chunk does not finish. */
function incompleteUtf8Tail(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Passes UTF-8 through unchanged after validating it strictly; drops a leading BOM. */
class Utf8Check extends Transform {
  private carry: Buffer | undefined;
  private lines = 1;
  private atStart = true;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (this.atStart) {
      if (bytes.length < 3) {
        this.carry = Buffer.from(bytes);
        callback();
        return;
      }
      this.atStart = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const tail = incompleteUtf8Tail(bytes);
    if (tail > 0) {
      this.carry = Buffer.from(bytes.subarray(bytes.length - tail));
      bytes = bytes.subarray(0, bytes.length - tail);
    }
    this.pass(bytes, callback);
  }

  override _flush(callback: TransformCallback): void {
    const rest = this.carry;
    this.carry = undefined;
    // A leftover is either a file shorter than a BOM or a character cut off by the end of the file.
    if (rest) this.pass(rest, callback);
    else callback();
  }

  private pass(bytes: Buffer, callback: TransformCallback): void {
    if (!isUtf8(bytes)) {
      callback(invalidText(lineOfFirstBadChar(this.lines, new TextDecoder().decode(bytes)), 'UTF-8'));
      return;
    }
    this.lines += countNewlineBytes(bytes);
    callback(null, bytes);
  }
}

/** Decodes GB18030 (a superset of GBK and GB2312) to UTF-8; any undecodable sequence is an error. */
class Gb18030ToUtf8 extends Transform {
  private readonly decoder = new TextDecoder('gb18030');
  private lines = 1;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pass(this.decoder.decode(chunk, { stream: true }), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.pass(this.decoder.decode(), callback);
  }

  private pass(text: string, callback: TransformCallback): void {
    if (text.includes('\uFFFD')) {
      callback(invalidText(lineOfFirstBadChar(this.lines, text), 'GBK/GB18030'));
      return;
    }
    this.lines += countNewlines(text);
    callback(null, Buffer.from(text, 'utf8'));
  }
}

function csvFailure(error: unknown, rowNumber: number): unknown {
  if (error instanceof TableError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new TableError(
      'NOT_A_SPREADSHEET',
      `CSV 格式错误：第 ${rowNumber} 行有一个以英文双引号（"）开头的单元格没有结束的双引号，` +
        '导致后面的内容无法分行。请检查该行，或用 Excel 或 WPS 重新另存为 CSV 后上传。',
      { cause: error },
    );
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new TableError(
      'NOT_A_SPREADSHEET',
      `CSV 格式错误：从第 ${rowNumber} 行开始的一行内容超过 1 MB，可能有一个英文双引号（"）没有闭合，` +
        `或者文件不是逗号分隔的表格。${SAVE_AS_HINT}`,
      { cause: error },
    );
  }
  if (typeof code === 'string' && code.startsWith('CSV_')) {
    return new TableError('NOT_A_SPREADSHEET', `CSV 格式错误（第 ${rowNumber} 行）。${SAVE_AS_HINT}`, {
      cause: error,
    });
  }
  return error;
}

/**
 * Every record of the CSV, blank ones included, numbered from 1 (the header). A record is what a
 * spreadsheet shows as one row: a quoted cell spanning several lines is still one record, so the
 * number is the row Excel or WPS displays for that record, not the physical line in a text editor.
 */
export async function* csvRecords(path: string, encoding: TextEncodingName): AsyncGenerator<SourceRow> {
  const source = createReadStream(path, { highWaterMark: 64 * 1024 });
  const text = encoding === 'gb18030' ? new Gb18030ToUtf8() : new Utf8Check();
  const parser = parse({
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
    skip_empty_lines: false,
    trim: false,
  });
  // Failures of any stage reach the consumer through the parser's iterator.
  pipeline(source, text, parser, () => undefined);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<unknown>) {
      rowNumber++;
      const cells: RawCell[] = Array.isArray(record)
        ? record.map((v) => (typeof v === 'string' ? v : null))
        : [];
      yield { rowNumber, cells };
    }
  } catch (error) {
    throw csvFailure(error, rowNumber + 1);
  } finally {
    parser.destroy();
    source.destroy();
  }
}
