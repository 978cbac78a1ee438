/**
 * Watermarks of bulk exports (issue #8 item 4, docs/security.md «目的绑定与脱敏»). Each file gets a visible mark
 * naming the user, the time and the case or run, and a recoverable one — `HEDUI-EXPORT:<id>:<fingerprint>`, the
 * fingerprint keyed (HMAC-SM3) so it cannot be forged without the platform's key — in places a copy keeps:
 * - CSV: a first comment line (`# 水印：…`) ending in the mark written in zero-width characters;
 * - JSON: a `watermark` member;
 * - XLSX: header and footer of every sheet, a first-row note (not in the offline exchange list, whose layout a
 *   department fills in and returns), the document description, a very hidden sheet, and the ZIP comment;
 * - ZIP (case archive): the ZIP comment, which archive tools show on opening (an entry of its own would stand
 *   outside the archive's manifest, which fingerprints every entry; the PDFs inside are not stamped).
 * `readWatermark` finds the mark again in any of them.
 */
import ExcelJS from 'exceljs';
import type { ExportFile, ExportWatermarkPort } from '../app/exports/download-export.ts';
import { MARK_PATTERN } from '../domain/exports/export-request.ts';
import { safeXlsxBytes } from './safe-workbook.ts';

const HIDDEN_SHEET = '_hedui_export';
const ZW_ZERO = '\u200b';
const ZW_ONE = '\u200c';
const ZW_EDGE = '\u2060';

/** The mark as zero-width characters (one per bit of its UTF-8 bytes), fenced by word joiners. */
export function zeroWidth(mark: string): string {
  const bits = [...Buffer.from(mark, 'utf8')].map((b) => b.toString(2).padStart(8, '0')).join('');
  return `${ZW_EDGE}${bits.replaceAll('0', ZW_ZERO).replaceAll('1', ZW_ONE)}${ZW_EDGE}`;
}

function fromZeroWidth(text: string): string | null {
  const m = new RegExp(`${ZW_EDGE}([${ZW_ZERO}${ZW_ONE}]+)${ZW_EDGE}`).exec(text);
  if (!m?.[1] || m[1].length % 8 !== 0) return null;
  const bits = m[1].replaceAll(ZW_ZERO, '0').replaceAll(ZW_ONE, '1');
  const bytes = Buffer.alloc(bits.length / 8);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return bytes.toString('utf8');
}

const EOCD = 0x06054b50;

function eocdOffset(zip: Buffer): number {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (zip.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** Replaces the ZIP file comment (shown by archive tools; stored uncompressed, so found again in the raw bytes). */
export function withZipComment(zip: Buffer, comment: string): Buffer {
  const at = eocdOffset(zip);
  if (at < 0) throw new Error('not a ZIP file');
  const text = Buffer.from(comment, 'utf8').subarray(0, 0xffff);
  const head = Buffer.from(zip.subarray(0, at + 22));
  head.writeUInt16LE(text.length, at + 20);
  return Buffer.concat([head, text]);
}

function zipComment(zip: Buffer): string | null {
  const at = eocdOffset(zip);
  if (at < 0) return null;
  return zip.subarray(at + 22, at + 22 + zip.readUInt16LE(at + 20)).toString('utf8');
}

async function watermarkXlsx(bytes: Uint8Array, text: string, mark: string, firstRowNote: boolean) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  workbook.eachSheet((sheet) => {
    if (sheet.state !== 'visible') return;
    // A loaded sheet without header and footer has none at all (null), not an empty one.
    const header = `&C${text}`;
    const footer = `&L${text}&R第 &P 页，共 &N 页`;
    sheet.headerFooter = {
      ...(sheet.headerFooter ?? {}),
      oddHeader: header,
      oddFooter: footer,
      evenHeader: header,
      evenFooter: footer,
    };
    if (firstRowNote) {
      sheet.spliceRows(1, 0, [`${text}${zeroWidth(mark)}`]);
      sheet.getRow(1).font = { color: { argb: 'FFC00000' }, bold: true };
    }
  });
  workbook.description = `${text}\n${mark}`;
  const hidden = workbook.addWorksheet(HIDDEN_SHEET, { state: 'veryHidden' });
  hidden.addRow(['mark', mark]);
  hidden.addRow(['watermark', text]);
  return withZipComment(await safeXlsxBytes(workbook), `${text}\n${mark}`);
}

export const exportWatermark: ExportWatermarkPort = {
  async apply(file: ExportFile, text: string, mark: string): Promise<Uint8Array> {
    switch (file.format) {
      case 'csv': {
        const body = Buffer.from(file.bytes).toString('utf8');
        const bom = body.startsWith('\ufeff') ? '\ufeff' : '';
        const line = `# 水印：${text}${zeroWidth(mark)}\r\n`;
        return Buffer.from(`${bom}${line}${body.slice(bom.length)}`, 'utf8');
      }
      case 'json': {
        const parsed = JSON.parse(Buffer.from(file.bytes).toString('utf8')) as Record<string, unknown>;
        return Buffer.from(JSON.stringify({ watermark: { text, mark }, ...parsed }), 'utf8');
      }
      case 'xlsx':
        return watermarkXlsx(file.bytes, text, mark, file.layoutFixed !== true);
      case 'zip':
        return withZipComment(Buffer.from(file.bytes), `${text}\n${mark}`);
    }
  },
};

/** The export id and fingerprint a file carries, wherever they are; null when none is found. */
export async function readWatermark(
  bytes: Uint8Array,
): Promise<{ exportId: number; fingerprint: string } | null> {
  const buffer = Buffer.from(bytes);
  const found = (text: string | null | undefined) => {
    const m = text ? MARK_PATTERN.exec(text) : null;
    return m?.[1] && m[2] ? { exportId: Number(m[1]), fingerprint: m[2] } : null;
  };
  const isZip = buffer.length > 4 && buffer.readUInt32LE(0) === 0x04034b50;
  if (!isZip) {
    const text = buffer.toString('utf8');
    return found(fromZeroWidth(text)) ?? found(text);
  }
  const fromComment = found(zipComment(buffer));
  if (fromComment) return fromComment;
  // A workbook saved again loses the ZIP comment: the hidden sheet, the description and the first row remain.
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    return null;
  }
  const hidden = workbook.getWorksheet(HIDDEN_SHEET);
  const cell = hidden?.getCell(1, 2).value;
  let result = found(typeof cell === 'string' ? cell : null) ?? found(workbook.description);
  workbook.eachSheet((sheet) => {
    const first = sheet.getCell(1, 1).value;
    if (!result && typeof first === 'string') result = found(fromZeroWidth(first));
  });
  return result;
}
