/** 延期告知书 (Q§17): at most 5 working days, written notice, not counted in the deadline. */

import { FORCE_MAJEURE_MAX_WORKDAYS } from '../../domain/cases/deadlines.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { assertDate, formatDate } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { ExtensionNoticeInput, RenderedCaseDocument } from './types.ts';

export const EXTENSION_NOTICE_TITLE = '居民家庭经济状况核对延期告知书';
export const EXTENSION_RULE = '延期核对时间不计入核对工作期限（第十七条）';
/** Q§17: 延期核对的时间一般不得超过5个工作日. */
export const MAX_EXTENSION_WORKING_DAYS = 5;

export async function renderExtensionNotice(
  input: ExtensionNoticeInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.originalDueOn, 'originalDueOn');
  assertDate(input.newDueOn, 'newDueOn');
  const days = input.extensionWorkingDays;
  const max = input.forceMajeure ? FORCE_MAJEURE_MAX_WORKDAYS : MAX_EXTENSION_WORKING_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > max) {
    throw new AppError('VALIDATION_FAILED', `延期天数须为 1 至 ${max} 个工作日（第十七条），而不是 ${days}`, {
      field: 'extensionWorkingDays',
    });
  }
  if (input.newDueOn <= input.originalDueOn) {
    throw new AppError('VALIDATION_FAILED', '延期后的期限须晚于原期限', { field: 'newDueOn' });
  }
  const writer = new DocumentWriter(input, EXTENSION_NOTICE_TITLE, options).head();
  const fm = input.forceMajeure;
  if (fm) assertDate(fm.requestedOn, 'forceMajeure.requestedOn');
  writer.paragraph(
    fm
      ? `贵单位委托的居民家庭经济状况核对（核对编号：${input.caseNumber}，申请人：${input.applicantName}），因不可抗力无法在规定期限内完成。根据贵单位${formatDate(fm.requestedOn)}提出的要求，依照《居民家庭经济状况核对办法》第十七条第二款的规定，现书面告知延长核对时间：`
      : `贵单位委托的居民家庭经济状况核对（核对编号：${input.caseNumber}，申请人：${input.applicantName}），因下列原因无法在原定期限内完成，依照《居民家庭经济状况核对办法》第十七条的规定，现书面告知延期核对：`,
  );
  writer.fields([
    ['核对编号', input.caseNumber],
    [fm ? '不可抗力情况' : '延期原因', input.reason],
    ['原定报告期限', formatDate(input.originalDueOn)],
    ['延期天数', `${days} 个工作日`],
    ['延期后报告期限', formatDate(input.newDueOn)],
  ]);
  writer.paragraph(`${EXTENSION_RULE}。本机构将在延期后的期限内出具核对报告。`);
  return writer.signature().finish();
}
