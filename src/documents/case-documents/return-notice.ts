/** 退回补正通知书 (Q§15): an entrustment that does not meet the requirements goes back with its reasons. */

import { AppError } from '../../domain/shared/errors.ts';
import { assertDate, formatDate } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { RenderedCaseDocument, ReturnNoticeInput } from './types.ts';

export const RETURN_NOTICE_TITLE = '核对委托退回补正通知书';

export async function renderReturnNotice(
  input: ReturnNoticeInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.receivedOn, 'receivedOn');
  if (input.reasons.length === 0) {
    throw new AppError('VALIDATION_FAILED', '退回补正通知书须列明退回理由', { field: 'reasons' });
  }
  const writer = new DocumentWriter(input, RETURN_NOTICE_TITLE, options).head();
  writer.paragraph(
    `贵单位于${formatDate(input.receivedOn)}送达的居民家庭经济状况核对委托（核对编号：${input.caseNumber}，申请人：${input.applicantName}），经审查不符合受理要求，现予退回。具体理由如下：`,
  );
  writer.list(input.reasons);
  writer.paragraph('请补正上述材料后重新提交核对委托。');
  return writer.signature().finish();
}
