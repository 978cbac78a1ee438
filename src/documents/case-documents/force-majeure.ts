/**
 * Force majeure (Q§17 ¶2: 因自然灾害等不可抗力导致无法在规定期限内完成核对工作的，应当及时告知委托部门，并根据委托部门要求，
 * 延长核对时间或终止核对): the 不可抗力告知书 that asks the requester to choose, and the 终止核对通知书 when the requester
 * asks to terminate. Neither says anything about eligibility.
 */

import { AppError } from '../../domain/shared/errors.ts';
import { assertDate, formatDate } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { ForceMajeureNoticeInput, RenderedCaseDocument, TerminationNoticeInput } from './types.ts';

export const FORCE_MAJEURE_NOTICE_TITLE = '居民家庭经济状况核对不可抗力告知书';
export const TERMINATION_NOTICE_TITLE = '居民家庭经济状况核对终止通知书';
export const FORCE_MAJEURE_CHOICE = '请贵单位书面告知本机构延长核对时间或者终止核对';

function requireText(value: string, field: string, message: string): string {
  const text = value.trim();
  if (text === '') throw new AppError('VALIDATION_FAILED', message, { field });
  return text;
}

export async function renderForceMajeureNotice(
  input: ForceMajeureNoticeInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.reportDueOn, 'reportDueOn');
  const event = requireText(input.event, 'event', '不可抗力告知书须写明不可抗力情况');
  const writer = new DocumentWriter(input, FORCE_MAJEURE_NOTICE_TITLE, options).head();
  writer.paragraph(
    `贵单位委托的居民家庭经济状况核对（核对编号：${input.caseNumber}，申请人：${input.applicantName}），因下列不可抗力情况，本机构无法在规定期限（${formatDate(input.reportDueOn)}）内完成核对工作。依照《居民家庭经济状况核对办法》第十七条第二款的规定，现予告知：`,
  );
  writer.fields([
    ['核对编号', input.caseNumber],
    ['不可抗力情况', event],
    ['原定报告期限', formatDate(input.reportDueOn)],
  ]);
  writer.paragraph(
    `${FORCE_MAJEURE_CHOICE}。本机构将根据贵单位的要求延长核对时间（并书面告知延长后的期限）或终止核对。`,
  );
  return writer.signature().finish();
}

export async function renderTerminationNotice(
  input: TerminationNoticeInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.requestedOn, 'requestedOn');
  const event = requireText(input.event, 'event', '终止通知书须写明不可抗力情况');
  const writer = new DocumentWriter(input, TERMINATION_NOTICE_TITLE, options).head();
  writer.paragraph(
    `贵单位委托的居民家庭经济状况核对（核对编号：${input.caseNumber}，申请人：${input.applicantName}），本机构已以${input.forceMajeureNoticeNumber}告知因不可抗力无法在规定期限内完成核对。根据贵单位${formatDate(input.requestedOn)}提出的要求，依照《居民家庭经济状况核对办法》第十七条第二款的规定，本机构终止该项核对工作。`,
  );
  writer.fields([
    ['核对编号', input.caseNumber],
    ['不可抗力情况', event],
    ['委托单位要求', requireText(input.requestReason, 'requestReason', '终止通知书须写明委托单位的要求')],
  ]);
  writer.paragraph('终止核对后，本机构不出具核对报告。本通知不作是否给予救助的认定；如需核对，可重新委托。');
  return writer.signature().finish();
}
