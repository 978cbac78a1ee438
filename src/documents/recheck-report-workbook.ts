import ExcelJS from 'exceljs';
import type { RecheckReportBody, RecheckReportWorkbookWriter } from '../domain/cases/documents.ts';
import { RECHECK_REPORT_STATEMENT } from '../domain/recheck/report.ts';
import { neutraliseCell } from './safe-cell.ts';
import { safeXlsxBytes } from './safe-workbook.ts';

/**
 * The XLSX of a monthly recheck report (复核情况报告, issue #6 item 3): the same facts as the PDF, for the requester's
 * own records. Sheet 变化家庭: one row per change (alert) with its evidence; sheet 未复核家庭: the families not
 * rechecked with the reason; sheet 说明: requester, month, run, counts, the document number when the PDF was
 * issued, and the statement that the recheck changes no family's assistance. Every text cell is neutralised
 * against formula injection (family keys, plates and names are data others typed).
 */

export type { RecheckReportBody } from '../domain/cases/documents.ts';

export const CHANGE_SHEET_COLUMNS = [
  '序号',
  '家庭编号',
  '申请人',
  '申请人身份证号码（脱敏）',
  '变化类型',
  '涉及',
  '说明',
  '变化前',
  '变化后',
  '数据集',
  '批次',
  '数据截至',
] as const;

export const SKIPPED_SHEET_COLUMNS = [
  '序号',
  '家庭编号',
  '申请人',
  '申请人身份证号码（脱敏）',
  '原因',
] as const;

type Cell = string | number;

function text(value: Cell): Cell {
  return typeof value === 'string' ? neutraliseCell(value) : value;
}

function addTable(sheet: ExcelJS.Worksheet, header: readonly string[], rows: readonly Cell[][]): void {
  const head = sheet.addRow(header.map(text));
  head.font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(text));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export const recheckReportWorkbook: RecheckReportWorkbookWriter = async (report, meta) => {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hedui';
  const changes = workbook.addWorksheet('变化家庭');
  let n = 0;
  addTable(
    changes,
    CHANGE_SHEET_COLUMNS,
    report.families.flatMap((family) =>
      family.changes.map((change) => {
        n += 1;
        return [
          n,
          family.familyKey,
          family.applicantName,
          family.applicantIdMasked,
          change.kindLabel,
          change.member,
          change.description,
          change.before,
          change.after,
          change.sources.map((s) => s.dataset).join('；'),
          change.sources.map((s) => s.batchId).join('；'),
          change.sources.map((s) => s.dataAsOf).join('；'),
        ];
      }),
    ),
  );
  changes.columns.forEach((column, i) => {
    column.width = [6, 16, 10, 22, 16, 12, 50, 30, 40, 24, 10, 12][i] ?? 14;
  });

  const skipped = workbook.addWorksheet('未复核家庭');
  addTable(
    skipped,
    SKIPPED_SHEET_COLUMNS,
    report.notRechecked.map((family, index) => [
      index + 1,
      family.familyKey,
      family.applicantName,
      family.applicantIdMasked,
      family.reason,
    ]),
  );
  skipped.columns.forEach((column, i) => {
    column.width = [6, 16, 10, 22, 40][i] ?? 14;
  });

  const about = workbook.addWorksheet('说明');
  const { counts } = report;
  const pairs: [string, Cell][] = [
    ['报告', '复核情况报告'],
    ['文书编号', meta.documentNumber ?? '尚未出具 PDF 报告'],
    ['核对机构', meta.agencyName],
    ['委托单位', report.requester],
    ['复核月份', report.month],
    ['复核范围', report.scopeName],
    ['复核批次', report.runId],
    ['开始日期', report.startedOn],
    ['完成日期', report.finishedOn ?? '尚未完成'],
    ['名册家庭（户）', counts.families],
    ['已复核（户）', counts.rechecked],
    ['沿用上次结果（户，无新数据）', counts.carried],
    ['授权书未在案未复核（户）', counts.skipped],
    ['核对未完成（户）', counts.failed],
    ['有变化（户）', counts.changed],
    ['无变化（户，不逐户列出）', Math.max(0, counts.rechecked - counts.changed)],
    ['生成时间', meta.generatedAt],
    ['说明', RECHECK_REPORT_STATEMENT],
  ];
  for (const [label, value] of pairs) about.addRow([text(label), text(value)]);
  about.getColumn(1).width = 26;
  about.getColumn(2).width = 90;
  return safeXlsxBytes(workbook);
};
