/**
 * 复核情况报告 (issue #6 item 3, Q§6): the monthly recheck of one requester's recipient roster, reported to that
 * requester. Counts; the families not rechecked, listed with the reason; then each family with changes — its key,
 * the applicant (ID number masked), and every change in Chinese with its evidence (dataset, batch, data-as-of,
 * before → after). Families without changes are counted, not listed. It states facts only (只核对、不认定).
 */

import { RECHECK_REPORT_STATEMENT, RECHECK_REPORT_TITLE, sourcesText } from '../../domain/recheck/report.ts';
import { assertDate, formatDate, formatMonth } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { RecheckReportInput, RenderedCaseDocument } from './types.ts';

export async function renderRecheckReport(
  input: RecheckReportInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.startedOn, 'startedOn');
  if (input.finishedOn !== null) assertDate(input.finishedOn, 'finishedOn');
  const month = formatMonth(input.month);
  const { counts } = input;
  const writer = new DocumentWriter(input, RECHECK_REPORT_TITLE, options).head();
  writer.paragraph(
    `本机构对贵单位${month}救助对象名册中的家庭进行了每月复核，将其与上一次复核时的数据进行了比对。现将复核情况报告如下：`,
  );

  writer.section('一、基本情况');
  writer.fields([
    ['委托单位', input.requester],
    ['复核月份', month],
    ['复核范围', input.scopeName],
    [
      '复核日期',
      `${formatDate(input.startedOn)}开始，${input.finishedOn === null ? '尚未完成' : `${formatDate(input.finishedOn)}完成`}（复核批次 ${input.runId}）`,
    ],
    ['名册家庭', `${counts.families} 户`],
    ['已复核', `${counts.rechecked} 户`],
    ['沿用上次结果', `${counts.carried} 户（自上次复核以来无新数据，未重新核对）`],
    [
      '未复核',
      `${counts.skipped + counts.failed} 户（授权书未在案 ${counts.skipped} 户，核对未完成 ${counts.failed} 户）`,
    ],
    ['有变化', `${counts.changed} 户`],
    ['无变化', `${Math.max(0, counts.rechecked - counts.changed)} 户（不逐户列出）`],
  ]);

  writer.section('二、未复核的家庭');
  if (input.notRechecked.length === 0) writer.paragraph('无。');
  else
    writer.table(
      [
        { header: '序号', width: 0.6, align: 'center' },
        { header: '家庭编号', width: 1.4 },
        { header: '申请人', width: 1 },
        { header: '身份证号码', width: 1.9 },
        { header: '原因', width: 2.4 },
      ],
      input.notRechecked.map((family, index) => [
        String(index + 1),
        family.familyKey,
        family.applicantName,
        family.applicantIdMasked,
        family.reason,
      ]),
      { size: 9 },
    );

  writer.section('三、有变化的家庭及证据（金额单位：元）', 120);
  if (input.families.length === 0) writer.paragraph('本月复核未发现变化。');
  input.families.forEach((family, index) => {
    writer.keep(80);
    writer.text(
      `${index + 1}. 家庭编号 ${family.familyKey}    申请人 ${family.applicantName}（${family.applicantIdMasked}）`,
      { size: 11, weight: 'bold' },
    );
    writer.gap(4);
    family.changes.forEach((change, n) => {
      writer.fields(
        [
          [`变化${family.changes.length > 1 ? ` ${n + 1}` : ''}`, change.kindLabel],
          ['涉及', change.member],
          ['变化前', change.before],
          ['变化后', change.after],
          ['数据来源', sourcesText(change.sources)],
        ],
        10,
      );
    });
  });

  writer.section('四、说明');
  writer.paragraph(RECHECK_REPORT_STATEMENT);
  writer.paragraph('本报告中的身份证号码均已脱敏；数据截至日期为各部门数据批次的截至日期。');
  return writer.signature().finish();
}
