/**
 * 案件档案 — the human-readable summary inside a case's archive (Q§21): the case's particulars, every step of
 * its history as a table, and the documents and papers the archive holds with their SM3 fingerprints. It is
 * not an issued document (no number, no verification code, no seal), so it has a plain layout of its own; the
 * fonts are the documents' Noto CJK with the same fallbacks, and a character no font has is an error rather
 * than a blank box in a name.
 *
 * Output is deterministic like the documents': the PDF's dates are the export instant, pdfkit derives the
 * file ID from them, and deflate is deterministic — the same input gives the same bytes.
 */

import PDFDocument from 'pdfkit';
import type { CaseArchiveSummaryInput } from '../../domain/cases/archive.ts';
import { AppError } from '../../domain/shared/errors.ts';
import {
  type CaseDocumentFonts,
  DEFAULT_CASE_DOCUMENT_FONTS,
  describeCodePoints,
  type LoadedFont,
  loadFont,
  uncovered,
} from './fonts.ts';
import type { RenderOptions } from './layout.ts';

export type { CaseArchiveSummaryInput };

export const CASE_ARCHIVE_SUMMARY_TITLE = '案件档案';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 56, left: 48, right: 48, bottom: 64 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const PAD = 3;

type Weight = 'regular' | 'bold';

interface Column {
  header: string;
  width: number;
}

class SummaryWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly candidates: { name: string; font: LoadedFont }[];
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;

  constructor(
    private readonly input: CaseArchiveSummaryInput,
    options: RenderOptions,
  ) {
    const choice: CaseDocumentFonts = { ...DEFAULT_CASE_DOCUMENT_FONTS, ...options.fonts };
    const regular = loadFont(choice.regular, true) as LoadedFont;
    const bold = loadFont(choice.bold, true) as LoadedFont;
    const fallbacks = (choice.fallbacks ?? []).flatMap((source, index) => {
      const font = loadFont(source, false);
      return font ? [{ name: `fallback-${index}`, font }] : [];
    });
    this.candidates = [{ name: 'regular', font: regular }, { name: 'bold', font: bold }, ...fallbacks];
    const created = new Date(input.exportedAt);
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: 'zh-CN',
      displayTitle: true,
      info: {
        Title: `${CASE_ARCHIVE_SUMMARY_TITLE} ${input.caseNumber}`,
        Author: input.agencyName,
        Subject: input.caseNumber,
        Creator: 'Hedui',
        Producer: 'Hedui',
        CreationDate: created,
        ModDate: created,
      },
    });
    for (const { name, font } of this.candidates) this.doc.registerFont(name, font.token);
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
  }

  /** Runs of text by the first font that has each character, the weight asked for first. */
  private runs(text: string, weight: Weight): { font: string; text: string }[] {
    const ordered = [
      ...this.candidates.filter((entry) => entry.name === weight),
      ...this.candidates.filter((entry) => entry.name !== weight),
    ];
    const missing = uncovered(
      text,
      ordered.map((entry) => entry.font),
    );
    if (missing.length > 0)
      throw new AppError(
        'VALIDATION_FAILED',
        `案件档案内容含有已安装字体均无法显示的字符：${describeCodePoints(missing)}。请安装覆盖这些字符的字体（例如 fonts-hanazono）。`,
        { codePoints: missing },
      );
    const result: { font: string; text: string }[] = [];
    for (const char of text) {
      const codePoint = char.codePointAt(0) as number;
      const font =
        codePoint < 0x21 ? weight : (ordered.find((entry) => entry.font.has(codePoint))?.name ?? weight);
      const last = result.at(-1);
      if (last && last.font === font) last.text += char;
      else result.push({ font, text: char });
    }
    return result;
  }

  text(value: string, x: number, y: number, width: number, size: number, weight: Weight = 'regular'): void {
    const runs = this.runs(value === '' ? ' ' : value, weight);
    this.doc.fontSize(size).fillColor('#000000');
    runs.forEach((run, index) => {
      this.doc.font(run.font);
      const options = { width, lineGap: 2, continued: index < runs.length - 1 };
      if (index === 0) this.doc.text(run.text, x, y, options);
      else this.doc.text(run.text, options);
    });
  }

  heightOf(value: string, width: number, size: number, weight: Weight): number {
    // Measured with the weight's font: fallback glyphs are of the same em size.
    this.doc.font(weight).fontSize(size);
    return this.doc.heightOfString(value === '' ? ' ' : value, { width, lineGap: 2 });
  }

  heading(value: string): void {
    this.text(value, MARGIN.left, this.doc.y + 8, CONTENT_WIDTH, 13, 'bold');
    this.doc.y += 4;
  }

  line(value: string, size = 10): void {
    this.text(value, MARGIN.left, this.doc.y, CONTENT_WIDTH, size);
    this.doc.y += 2;
  }

  /** A titled, bordered table; the title stays with the header and first row, the header repeats on each page. */
  table(title: string, columns: readonly Column[], rows: readonly (readonly string[])[], size = 8.5): void {
    const { doc } = this;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    const widths = columns.map((column) => (column.width / total) * CONTENT_WIDTH);
    const heightOfRow = (cells: readonly string[], weight: Weight) =>
      Math.max(
        ...cells.map((cell, i) => this.heightOf(cell, (widths[i] as number) - 2 * PAD, size, weight)),
      ) +
      2 * PAD;
    const draw = (cells: readonly string[], header: boolean) => {
      const weight: Weight = header ? 'bold' : 'regular';
      const height = heightOfRow(cells, weight);
      const top = doc.y;
      let x = MARGIN.left;
      cells.forEach((cell, i) => {
        const width = widths[i] as number;
        if (header) doc.rect(x, top, width, height).fillColor('#eeeeee').fill();
        doc.rect(x, top, width, height).lineWidth(0.5).strokeColor('#555555').stroke();
        this.text(cell, x + PAD, top + PAD, width - 2 * PAD, size, weight);
        x += width;
      });
      doc.x = MARGIN.left;
      doc.y = top + height;
    };
    const header = columns.map((column) => column.header);
    const titleHeight = 12 + this.heightOf(title, CONTENT_WIDTH, 13, 'bold') + 4;
    if (
      doc.y + titleHeight + heightOfRow(header, 'bold') + heightOfRow(rows[0] ?? header, 'regular') >
      BOTTOM
    )
      doc.addPage();
    this.heading(title);
    draw(header, true);
    for (const row of rows) {
      if (doc.y + heightOfRow(row, 'regular') > BOTTOM) {
        doc.addPage();
        draw(header, true);
      }
      draw(row, false);
    }
    doc.y += 8;
  }

  async finish(): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index += 1) {
      doc.switchToPage(index);
      // Writing below the bottom margin would make pdfkit open a new page.
      doc.page.margins.bottom = 0;
      this.text(
        `${CASE_ARCHIVE_SUMMARY_TITLE} ${this.input.caseNumber}    第 ${index - range.start + 1} 页 共 ${range.count} 页`,
        MARGIN.left,
        PAGE.height - 40,
        CONTENT_WIDTH,
        8,
      );
      doc.page.margins.bottom = MARGIN.bottom;
    }
    doc.end();
    await this.ended;
    return Buffer.concat(this.chunks);
  }
}

export async function renderCaseArchiveSummary(
  input: CaseArchiveSummaryInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const writer = new SummaryWriter(input, options);
  writer.text(input.agencyName, MARGIN.left, MARGIN.top, CONTENT_WIDTH, 14, 'bold');
  writer.text(
    `${CASE_ARCHIVE_SUMMARY_TITLE}（${input.caseNumber}）`,
    MARGIN.left,
    writer.doc.y + 6,
    CONTENT_WIDTH,
    18,
    'bold',
  );
  writer.doc.y += 6;
  writer.line(`导出时间：${input.exportedAtText}（北京时间）    导出人：${input.exporter}`);
  writer.line(
    '本档案由 Hedui 平台按案件的全部记录生成：案件办理过程中的每一步、每份文书和每份材料均完整保留，不因流程推进而删除。各文件的 SM3 指纹见 manifest.json。',
    9,
  );
  writer.table(
    '一、案件信息',
    [
      { header: '项目', width: 1 },
      { header: '内容', width: 3 },
    ],
    input.particulars,
    9,
  );
  writer.table(
    `二、办理经过（共 ${input.history.length} 步）`,
    [
      { header: '序号', width: 0.45 },
      { header: '时间', width: 1.25 },
      { header: '步骤', width: 1.1 },
      { header: '状态变化', width: 1.6 },
      { header: '操作人', width: 1.3 },
      { header: '说明', width: 2.6 },
    ],
    input.history.map((row, index) => [
      String(index + 1),
      row.at,
      row.step,
      row.transition,
      row.actor,
      row.note,
    ]),
  );
  writer.table(
    `三、文书（共 ${input.documents.length} 份）`,
    [
      { header: '文书编号', width: 1.6 },
      { header: '种类', width: 1.1 },
      { header: '出具时间', width: 1.2 },
      { header: 'SM3 指纹', width: 3 },
    ],
    input.documents.map((d) => [d.number, d.kind, d.issuedAt, d.sm3]),
    8,
  );
  writer.table(
    `四、材料（共 ${input.attachments.length} 份）`,
    [
      { header: '文件', width: 1.9 },
      { header: '种类', width: 1 },
      { header: '提交时间', width: 1.2 },
      { header: 'SM3 指纹', width: 3 },
    ],
    input.attachments.map((a) => [a.file, a.kind, a.uploadedAt, a.sm3]),
    8,
  );
  return writer.finish();
}
