/**
 * What kind of file an upload is, judged by its bytes and never by its name: an XLSX workbook, a CSV
 * text in one of the encodings departments actually produce, or something to refuse with a clear
 * message (legacy .xls, PDF, images, zip archives, web pages saved as ".xls").
 */
import { type FileHandle, open } from 'node:fs/promises';
import { SAVE_AS_HINT, TableError } from './table-error.ts';
import { readAt, readZipDirectory, type ZipEntry } from './zip.ts';
import { TABLE_ZIP_LIMITS, zipProblem } from './zip-guard.ts';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gb18030';

export type Sniffed = { format: 'xlsx'; entries: ZipEntry[] } | { format: 'csv'; encoding: TextEncodingName };

/** How much of the file is inspected up front. */
export const SAMPLE_BYTES = 64 * 1024;

const MIB = 1024 * 1024;

function startsWith(sample: Buffer, bytes: readonly number[]): boolean {
  return sample.length >= bytes.length && bytes.every((b, i) => sample[i] === b);
}

const BINARY_KINDS: ReadonlyArray<{ magic: readonly number[]; name: string }> = [
  { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], name: 'PDF 文档' },
  { magic: [0x89, 0x50, 0x4e, 0x47], name: 'PNG 图片' },
  { magic: [0xff, 0xd8, 0xff], name: 'JPEG 图片' },
  { magic: [0x47, 0x49, 0x46, 0x38], name: 'GIF 图片' },
  { magic: [0x42, 0x4d], name: 'BMP 图片' },
  { magic: [0x52, 0x61, 0x72, 0x21], name: 'RAR 压缩包' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: '7z 压缩包' },
  { magic: [0x1f, 0x8b], name: 'gzip 压缩包' },
];

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE_HEADER = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function notSpreadsheet(what: string): TableError {
  return new TableError('NOT_A_SPREADSHEET', `上传的文件是${what}，不是表格文件。${SAVE_AS_HINT}`);
}

function megabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MB`;
}

/**
 * Checks size and content of the file at `path`. Throws TableError (FILE_TOO_LARGE, EMPTY_FILE,
 * NOT_A_SPREADSHEET, ENCODING_ERROR); reads at most a few sample windows, never the whole file
 * (except an all-ASCII CSV, which is scanned for its first non-ASCII byte).
 */
export async function sniffFile(path: string, maxBytes: number): Promise<Sniffed> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new TableError(
        'FILE_TOO_LARGE',
        `文件大小为 ${megabytes(size)}，超过了 ${megabytes(maxBytes)} 的上限，无法导入。如数据确实这么多，请联系系统管理员。`,
      );
    }
    if (size === 0) throw new TableError('EMPTY_FILE', '上传的文件是空的（0 字节）。');
    const sample = await readAt(handle, 0, Math.min(size, SAMPLE_BYTES));

    if (startsWith(sample, ZIP_LOCAL_HEADER)) return await sniffZip(handle, size);
    if (startsWith(sample, ZIP_EMPTY)) throw notSpreadsheet('一个空的压缩包（ZIP）');
    if (startsWith(sample, OLE_HEADER)) {
      throw new TableError(
        'NOT_A_SPREADSHEET',
        '上传的是旧版 Excel（.xls）文件或设置了打开密码的 Excel 文件，系统无法读取。' +
          '请用 Excel 或 WPS 打开，取消密码后“另存为” .xlsx 工作簿或“CSV UTF-8（逗号分隔）”文件，再重新上传。',
      );
    }
    if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) {
      throw new TableError(
        'ENCODING_ERROR',
        `文件是 UTF-16（“Unicode 文本”）编码，系统只接受 UTF-8 或 GBK 编码的 CSV。${SAVE_AS_HINT}`,
      );
    }
    const binary = BINARY_KINDS.find((kind) => startsWith(sample, kind.magic) && kind.magic.length > 2);
    if (binary) throw notSpreadsheet(binary.name);
    if (sample.includes(0)) {
      const short = BINARY_KINDS.find((kind) => startsWith(sample, kind.magic));
      throw notSpreadsheet(short ? short.name : '二进制文件（例如图片、PDF 或程序文件）');
    }

    const encoding = await detectEncoding(handle, sample, size);
    if (looksLikeMarkup(sample, encoding)) {
      throw new TableError(
        'NOT_A_SPREADSHEET',
        '文件内容是网页（HTML）或 XML，并不是真正的 Excel 表格（有些系统导出的“.xls”其实是网页）。' +
          SAVE_AS_HINT,
      );
    }
    return { format: 'csv', encoding };
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Text encodings

/**
 * BOM → utf-8-bom; strict UTF-8 → utf-8; GB18030 without replacement characters → gb18030; else
 * ENCODING_ERROR. Decisions use a window of up to 64 KiB decoded in streaming mode, so a character
 * cut by the window's end is not mistaken for an error. When the first window is pure ASCII (valid in
 * every candidate) the file is scanned for its first non-ASCII byte and the window starts there.
 */
async function detectEncoding(handle: FileHandle, sample: Buffer, size: number): Promise<TextEncodingName> {
  if (startsWith(sample, UTF8_BOM)) return 'utf-8-bom';
  let window = sample;
  let windowEnd = sample.length;
  if (isAscii(sample)) {
    const start = sample.length < size ? await firstNonAscii(handle, sample.length, size) : undefined;
    if (start === undefined) return 'utf-8';
    window = await readAt(handle, start, Math.min(SAMPLE_BYTES, size - start));
    windowEnd = start + window.length;
  }
  const complete = windowEnd >= size;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(window, { stream: !complete });
    return 'utf-8';
  } catch {
    // not UTF-8; try GB18030 below
  }
  const text = new TextDecoder('gb18030').decode(window, { stream: !complete });
  if (!text.includes('\uFFFD')) return 'gb18030';
  throw new TableError(
    'ENCODING_ERROR',
    `无法识别文件的文字编码：它既不是 UTF-8，也不是 GBK/GB18030，可能已损坏或不是文本文件。${SAVE_AS_HINT}`,
  );
}

function isAscii(bytes: Buffer): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

async function firstNonAscii(handle: FileHandle, from: number, size: number): Promise<number | undefined> {
  for (let position = from; position < size; position += SAMPLE_BYTES) {
    const chunk = await readAt(handle, position, Math.min(SAMPLE_BYTES, size - position));
    const index = chunk.findIndex((b) => b >= 0x80);
    if (index >= 0) return position + index;
    if (chunk.length === 0) break;
  }
  return undefined;
}

function looksLikeMarkup(sample: Buffer, encoding: TextEncodingName): boolean {
  const label = encoding === 'gb18030' ? 'gb18030' : 'utf-8';
  const head = new TextDecoder(label)
    .decode(sample.subarray(0, 1024), { stream: true })
    .replace(/^[\uFEFF\s]+/, '')
    .slice(0, 200)
    .toLowerCase();
  return /^<(!doctype\s+html|html[\s>]|\?xml[\s?]|table[\s>]|head[\s>]|body[\s>])/.test(head);
}

// ---------------------------------------------------------------------------------------------
// Zip containers

async function sniffZip(handle: FileHandle, size: number): Promise<Sniffed> {
  const entries = await readZipDirectory(handle, size);
  if (!entries) throw notSpreadsheet('一个损坏或不完整的压缩文件');
  // Judged on the directory alone, before anything is inflated (zip bombs, zip-slip names).
  const problem = zipProblem(entries, TABLE_ZIP_LIMITS);
  if (problem)
    throw new TableError(
      problem.kind === 'UNSAFE_NAME' ? 'NOT_A_SPREADSHEET' : 'FILE_TOO_LARGE',
      `${problem.message}。`,
    );
  const names = entries.map((e) => e.name);
  const has = (name: string) => names.includes(name);
  if (has('xl/workbook.xml') && names.some((n) => n.startsWith('xl/worksheets/'))) {
    return { format: 'xlsx', entries };
  }
  if (has('xl/workbook.bin')) {
    throw new TableError(
      'NOT_A_SPREADSHEET',
      `上传的是 Excel 二进制工作簿（.xlsb），系统无法读取。${SAVE_AS_HINT}`,
    );
  }
  if (has('xl/workbook.xml')) {
    throw new TableError('NOT_A_SPREADSHEET', `这个 Excel 工作簿里找不到可读取的工作表。${SAVE_AS_HINT}`);
  }
  if (has('word/document.xml')) throw notSpreadsheet('Word 文档');
  if (has('ppt/presentation.xml')) throw notSpreadsheet('PowerPoint 演示文稿');
  if (has('mimetype') && has('content.xml')) throw notSpreadsheet('OpenDocument（.ods 等）文件');
  throw new TableError(
    'NOT_A_SPREADSHEET',
    '上传的是一个压缩包（ZIP），不是表格文件。请解压后上传其中的 .xlsx 或 CSV 文件。',
  );
}
