/** 复核结果告知书 (Q§20): the review of an appeal, completed within 10 working days, notified in writing. */

import { AppError } from '../../domain/shared/errors.ts';
import { assertDate, formatDate } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { RenderedCaseDocument, ReviewResultInput } from './types.ts';

export const REVIEW_RESULT_TITLE = '居民家庭经济状况核对复核结果告知书';

export async function renderReviewResult(
  input: ReviewResultInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.appealedOn, 'appealedOn');
  if (input.resultSummary.trim() === '') {
    throw new AppError('VALIDATION_FAILED', '复核结果告知书须写明复核结果', { field: 'resultSummary' });
  }
  const writer = new DocumentWriter(input, REVIEW_RESULT_TITLE, options).head();
  writer.paragraph(
    `核对对象（申请人：${input.applicantName}）于${formatDate(input.appealedOn)}通过贵单位对核对报告（编号：${input.originalReportNumber}）提出申诉。依照《居民家庭经济状况核对办法》第二十条的规定，本机构已完成复核，现将复核结果告知如下：`,
  );
  writer.fields([
    ['核对编号', input.caseNumber],
    ['申诉日期', formatDate(input.appealedOn)],
    ['原核对报告编号', input.originalReportNumber],
    ['复核后核对报告编号', input.newReportNumber ?? '未出具新的核对报告'],
    ['复核工作组', input.reviewGroup.join('、')],
  ]);
  writer.section('复核结果');
  writer.paragraph(input.resultSummary.trim());
  writer.paragraph(
    input.newReportNumber
      ? `复核后重新出具的核对报告编号为 ${input.newReportNumber}。本告知书只陈述复核事实，不作是否给予救助的认定。`
      : '复核未重新出具核对报告。本告知书只陈述复核事实，不作是否给予救助的认定。',
  );
  return writer.signature().finish();
}
