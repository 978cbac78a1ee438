/**
 * The shared layout of the case documents: A4, the issuing agency and document number at the head,
 * the title, the recipient, the body, the signature with a seal placeholder, and on every page a
 * footer with the verification code, its QR code and the page number.
 *
 * Output is deterministic: the PDF's dates come from the issue date, pdfkit derives the file ID from
 * them and names font subsets from the font, and deflate is deterministic — so the same input gives the
 * same bytes and the same SM3.
 */

import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { AppError } from '../../domain/shared/errors.ts';
import {
  type CaseDocumentFonts,
  DEFAULT_CASE_DOCUMENT_FONTS,
  describeCodePoints,
  type LoadedFont,
  loadFont,
  uncovered,
} from './fonts.ts';
import { formatDate, startOfDayInChina } from './format.ts';
import type { DocumentHeader, RenderedCaseDocument } from './types.ts';

export interface RenderOptions {
  /** Replaces the default Noto CJK fonts (a missing default raises an error naming fonts-noto-cjk). */
  fonts?: Partial<CaseDocumentFonts>;
}

export const VERIFY_STATEMENT =
  '可在 Hedui 平台公开核验页面输入核验码核验本文书真伪（仅显示是否有效，不显示内容）';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 64, left: 64, right: 64, bottom: 118 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const FOOTER_TOP = PAGE.height - 104;
const QR_SIZE = 64;
/** Where the footer's QR code sits on every page, in points from the top left (for tests). */
export const FOOTER_QR = { x: MARGIN.left, y: FOOTER_TOP + 8, size: QR_SIZE } as const;
const RED = '#b00000';
const INK = '#000000';
const BODY_SIZE = 12;

type Weight = 'regular' | 'bold';

export interface TextOptions {
  x?: number;
  y?: number;
  width?: number;
  size?: number;
  weight?: Weight;
  align?: 'left' | 'center' | 'right' | 'justify';
  indent?: number;
  lineGap?: number;
  color?: string;
}

export interface Column {
  header: string;
  /** Share of the table width; the shares are normalised. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableOptions {
  size?: number;
  /** Shade the first column (label/value tables). */
  labelColumn?: boolean;
  /** Omit the header row (label/value tables). */
  noHeader?: boolean;
  /** Start the table on a new page rather than split it, when it fits on one page. */
  keepTogether?: boolean;
}

export class DocumentWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly fonts: Record<Weight, LoadedFont>;
  private readonly fallbacks: { name: string; font: LoadedFont }[];
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;

  constructor(
    private readonly header: DocumentHeader,
    private readonly title: string,
    options: RenderOptions = {},
  ) {
    for (const [field, value] of [
      ['agencyName', header.agencyName],
      ['documentNumber', header.documentNumber],
      ['recipient', header.recipient],
      ['verification.code', header.verification.code],
      ['verification.url', header.verification.url],
    ] as const) {
      if (value.trim() === '') throw new AppError('VALIDATION_FAILED', `文书缺少 ${field}`, { field });
    }
    const choice = { ...DEFAULT_CASE_DOCUMENT_FONTS, ...options.fonts };
    this.fonts = { regular: loadFont(choice.regular, true)!, bold: loadFont(choice.bold, true)! };
    this.fallbacks = (choice.fallbacks ?? []).flatMap((source, index) => {
      const font = loadFont(source, false);
      return font ? [{ name: `fallback-${index}`, font }] : [];
    });
    const created = startOfDayInChina(header.issuedOn);
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: 'zh-CN',
      displayTitle: true,
      info: {
        Title: title,
        Author: header.agencyName,
        Subject: header.documentNumber,
        Keywords: `核验码 ${header.verification.code}`,
        Creator: 'Hedui',
        Producer: 'Hedui',
        CreationDate: created,
        ModDate: created,
      },
    });
    this.doc.registerFont('regular', this.fonts.regular.token);
    this.doc.registerFont('bold', this.fonts.bold.token);
    for (const { name, font } of this.fallbacks) this.doc.registerFont(name, font.token);
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.font('regular').fontSize(BODY_SIZE).fillColor(INK);
  }

  get bottom(): number {
    return PAGE.height - MARGIN.bottom;
  }

  /**
   * Splits text into runs by the first font that has each character: the font of the weight asked
   * for, then the other weight's font, then the fallbacks. A character none has is an error.
   */
  private runs(text: string, weight: Weight): { font: string; text: string }[] {
    const other: Weight = weight === 'regular' ? 'bold' : 'regular';
    const candidates = [
      { name: weight, font: this.fonts[weight] },
      { name: other, font: this.fonts[other] },
      ...this.fallbacks,
    ];
    const missing = uncovered(
      text,
      candidates.map((entry) => entry.font),
    );
    if (missing.length > 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        `文书内容含有已安装字体均无法显示的字符：${describeCodePoints(missing)}。请安装覆盖这些字符的字体（例如 fonts-hanazono）并在渲染参数中作为备用字体指定。`,
        { codePoints: missing },
      );
    }
    const result: { font: string; text: string }[] = [];
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      const font = codePoint < 0x21 ? weight : candidates.find((entry) => entry.font.has(codePoint))!.name;
      const last = result.at(-1);
      if (last && last.font === font) last.text += char;
      else result.push({ font, text: char });
    }
    return result;
  }

  /** Writes text at (x, y) or at the cursor, with fallback fonts where the main font lacks a glyph. */
  text(value: string, options: TextOptions = {}): this {
    const { x, y, size = BODY_SIZE, weight = 'regular', color = INK, ...rest } = options;
    const textOptions: PDFKit.Mixins.TextOptions = {
      width: rest.width ?? CONTENT_WIDTH,
      align: rest.align ?? 'left',
      lineGap: rest.lineGap ?? 4,
      indent: rest.indent ?? 0,
    };
    this.doc.fontSize(size).fillColor(color);
    const runs = this.runs(value, weight);
    runs.forEach((run, index) => {
      this.doc.font(run.font);
      const continued = index < runs.length - 1;
      if (index === 0 && (x !== undefined || y !== undefined))
        this.doc.text(run.text, x ?? this.doc.x, y ?? this.doc.y, { ...textOptions, continued });
      else this.doc.text(run.text, { ...textOptions, continued });
    });
    this.doc.font('regular').fillColor(INK);
    return this;
  }

  heightOf(value: string, width: number, size: number, weight: Weight = 'regular', lineGap = 2): number {
    this.doc.font(weight).fontSize(size);
    return this.doc.heightOfString(value, { width, lineGap });
  }

  gap(points: number): this {
    this.doc.y += points;
    return this;
  }

  /** Moves to a new page unless `points` still fit on this one. */
  keep(points: number): this {
    if (this.doc.y + points > this.bottom) {
      this.doc.addPage();
    }
    return this;
  }

  /** Issuer, document number, red rule, title and recipient: the head of the first page. */
  head(): this {
    const { doc } = this;
    this.text(this.header.agencyName, {
      x: MARGIN.left,
      y: MARGIN.top,
      size: 22,
      weight: 'bold',
      align: 'center',
      color: RED,
    });
    this.gap(6).text(this.header.documentNumber, { x: MARGIN.left, size: 12, align: 'center' });
    const ruleY = doc.y + 6;
    doc
      .moveTo(MARGIN.left, ruleY)
      .lineTo(PAGE.width - MARGIN.right, ruleY)
      .lineWidth(1.5)
      .strokeColor(RED)
      .stroke();
    doc.strokeColor(INK).lineWidth(0.5);
    doc.y = ruleY + 20;
    this.text(this.title, { x: MARGIN.left, size: 20, weight: 'bold', align: 'center' });
    this.gap(14).text(`${this.header.recipient}：`, { x: MARGIN.left, size: BODY_SIZE });
    return this.gap(4);
  }

  paragraph(value: string, size = BODY_SIZE): this {
    return this.text(value, { x: MARGIN.left, size, indent: size * 2, lineGap: 6 }).gap(4);
  }

  /** A heading, kept with at least `following` points of what comes after it. */
  section(value: string, following = 60): this {
    this.keep(following + 30);
    return this.gap(6).text(value, { x: MARGIN.left, size: 13, weight: 'bold' }).gap(4);
  }

  /** A numbered list, each item its own paragraph with a hanging number. */
  list(items: readonly string[], size = BODY_SIZE): this {
    items.forEach((item, index) => {
      this.text(`${index + 1}. ${item}`, {
        x: MARGIN.left + size * 2,
        width: CONTENT_WIDTH - size * 2,
        size,
        lineGap: 6,
      });
      this.gap(2);
    });
    return this.gap(4);
  }

  /** A bordered table; rows that no longer fit go to the next page under a repeated header row. */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], options: TableOptions = {}): this {
    const { doc } = this;
    const size = options.size ?? 10;
    const pad = 4;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    const widths = columns.map((column) => (column.width / total) * CONTENT_WIDTH);
    const rowHeight = (cells: readonly string[], weight: Weight) =>
      Math.max(
        ...cells.map((cell, index) =>
          this.heightOf(cell === '' ? ' ' : cell, widths[index]! - 2 * pad, size, weight),
        ),
      ) +
      2 * pad;
    const drawRow = (cells: readonly string[], isHeader: boolean) => {
      const weight: Weight = isHeader ? 'bold' : 'regular';
      const height = rowHeight(cells, weight);
      const top = doc.y;
      let x = MARGIN.left;
      cells.forEach((cell, index) => {
        const width = widths[index]!;
        const shaded = isHeader || (options.labelColumn === true && index === 0);
        if (shaded) doc.rect(x, top, width, height).fillColor('#eeeeee').fill();
        doc.rect(x, top, width, height).lineWidth(0.5).strokeColor('#555555').stroke();
        if (cell !== '') {
          this.text(cell, {
            x: x + pad,
            y: top + pad,
            width: width - 2 * pad,
            size,
            weight: shaded && options.labelColumn === true && !isHeader ? 'bold' : weight,
            align: isHeader ? 'center' : (columns[index]!.align ?? 'left'),
            lineGap: 2,
          });
        }
        x += width;
      });
      doc.x = MARGIN.left;
      doc.y = top + height;
    };
    const headerCells = columns.map((column) => column.header);
    const headerHeight = options.noHeader ? 0 : rowHeight(headerCells, 'bold');
    const first = rows[0];
    const whole = options.keepTogether
      ? rows.reduce((sum, row) => sum + rowHeight(row, 'regular'), headerHeight)
      : Number.POSITIVE_INFINITY;
    const onePage = this.bottom - MARGIN.top;
    this.keep(whole <= onePage ? whole : headerHeight + (first ? rowHeight(first, 'regular') : 0));
    if (!options.noHeader) drawRow(headerCells, true);
    for (const row of rows) {
      if (doc.y + rowHeight(row, 'regular') > this.bottom) {
        doc.addPage();
        if (!options.noHeader) drawRow(headerCells, true);
      }
      drawRow(row, false);
    }
    return this.gap(10);
  }

  /** Label/value pairs as a two-column table. */
  fields(pairs: readonly (readonly [string, string])[], size = 11): this {
    return this.table(
      [
        { header: '', width: 1 },
        { header: '', width: 2.6 },
      ],
      pairs,
      { size, labelColumn: true, noHeader: true, keepTogether: true },
    );
  }

  /** Issuer and date at the bottom right, with the seal placeholder over them. */
  signature(): this {
    const { doc } = this;
    this.keep(140).gap(30);
    const blockWidth = 220;
    const x = PAGE.width - MARGIN.right - blockWidth;
    const top = doc.y;
    this.text(this.header.agencyName, { x, y: top, width: blockWidth, align: 'center' });
    this.text(formatDate(this.header.issuedOn), { x, width: blockWidth, align: 'center' });
    const sealWidth = 120;
    const sealHeight = 72;
    const sealX = x + (blockWidth - sealWidth) / 2;
    const sealY = top - 22;
    doc
      .rect(sealX, sealY, sealWidth, sealHeight)
      .lineWidth(0.8)
      .dash(3, { space: 3 })
      .strokeColor(RED)
      .stroke()
      .undash()
      .strokeColor(INK);
    this.text('（盖章）', {
      x: sealX,
      y: sealY + sealHeight - 16,
      width: sealWidth,
      size: 9,
      align: 'center',
      color: RED,
    });
    doc.x = MARGIN.left;
    doc.y = Math.max(doc.y, sealY + sealHeight) + 10;
    return this;
  }

  private footer(page: number, pages: number): void {
    const { doc } = this;
    // Writing below the bottom margin would make pdfkit open a new page.
    doc.page.margins.bottom = 0;
    doc
      .moveTo(MARGIN.left, FOOTER_TOP)
      .lineTo(PAGE.width - MARGIN.right, FOOTER_TOP)
      .lineWidth(0.5)
      .stroke();
    const qr = QRCode.create(this.header.verification.url, { errorCorrectionLevel: 'M' });
    const count = qr.modules.size;
    const cell = QR_SIZE / count;
    const qrTop = FOOTER_QR.y;
    for (let row = 0; row < count; row += 1) {
      for (let column = 0; column < count; column += 1) {
        if (qr.modules.get(row, column))
          doc.rect(MARGIN.left + column * cell, qrTop + row * cell, cell, cell);
      }
    }
    doc.fillColor(INK).fill();
    const textX = MARGIN.left + QR_SIZE + 12;
    const textWidth = CONTENT_WIDTH - QR_SIZE - 12;
    this.text(`核验码：${this.header.verification.code}`, {
      x: textX,
      y: qrTop + 2,
      width: textWidth,
      size: 10,
      weight: 'bold',
      lineGap: 2,
    });
    this.text(`核验网址：${this.header.verification.url}`, {
      x: textX,
      width: textWidth,
      size: 8,
      lineGap: 2,
    });
    this.text(VERIFY_STATEMENT, { x: textX, width: textWidth, size: 8, lineGap: 2 });
    this.text(`${this.header.documentNumber}    第 ${page} 页 共 ${pages} 页`, {
      x: textX,
      y: qrTop + QR_SIZE - 9,
      width: textWidth,
      size: 8,
      align: 'right',
    });
    doc.page.margins.bottom = MARGIN.bottom;
  }

  async finish(): Promise<RenderedCaseDocument> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index += 1) {
      doc.switchToPage(index);
      this.footer(index - range.start + 1, range.count);
    }
    doc.end();
    await this.ended;
    const pdf = Buffer.concat(this.chunks);
    return { pdf, sm3: createHash('sm3').update(pdf).digest('hex'), pages: range.count };
  }
}
