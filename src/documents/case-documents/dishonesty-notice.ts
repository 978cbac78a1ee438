/**
 * 失信信息告知书 (庆阳细则第二十四条): the family is told in writing, through the entrusting unit, that a dishonesty
 * record about them was approved — the facts, the evidence, the legal basis, that it is reported to credit
 * systems, and how to appeal against it. It records a fact the agency confirmed; it decides nothing about
 * eligibility (Q§3 只核对、不认定).
 */

import { AppError } from '../../domain/shared/errors.ts';
import { assertDate, formatDate } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { DishonestyNoticeInput, RenderedCaseDocument } from './types.ts';

export const DISHONESTY_NOTICE_TITLE = '失信信息告知书';
export const DISHONESTY_APPEAL_TEXT =
  '如对本记录有异议，可通过户籍所在地或经常居住地的社会救助主管部门向本机构提出申诉，并提供相关证明材料。本机构复核后认定记录有误的，将撤销该记录并停止向信用信息系统报送，已报送的一并通知更正。';

export async function renderDishonestyNotice(
  input: DishonestyNoticeInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  assertDate(input.approvedOn, 'approvedOn');
  if (input.subjects.length === 0)
    throw new AppError('VALIDATION_FAILED', '失信信息告知书须列明当事人', { field: 'subjects' });
  if (input.concealed.trim() === '' || input.legalBasis.trim() === '')
    throw new AppError('VALIDATION_FAILED', '失信信息告知书须写明失信事实和法律依据', { field: 'concealed' });
  const writer = new DocumentWriter(input, DISHONESTY_NOTICE_TITLE, options).head();
  const source = input.caseNumber ? `在核对编号为 ${input.caseNumber} 的居民家庭经济状况核对中，` : '';
  writer.paragraph(
    `${source}本机构查实申请人${input.applicantName}家庭存在下列故意隐瞒收入、财产等失信情形，经审核人审核，已于${formatDate(input.approvedOn)}登记为失信记录（编号：${input.recordNumber}），现予书面告知，请贵单位转告当事人。`,
  );
  writer.section('一、当事人');
  writer.table(
    [
      { header: '姓名', width: 1.2 },
      { header: '公民身份号码', width: 2 },
      { header: '与申请人关系', width: 1.2 },
    ],
    input.subjects.map((subject) => [subject.name, subject.idNumberMasked, subject.relation]),
  );
  writer.section('二、失信事实');
  writer.paragraph(input.concealed.trim());
  if (input.evidence.length > 0) {
    writer.section('三、证据');
    writer.list(input.evidence);
  }
  writer.section(input.evidence.length > 0 ? '四、法律依据' : '三、法律依据');
  writer.paragraph(input.legalBasis.trim());
  writer.paragraph('依照上述规定，本记录将记入相关行业或个人信用信息系统。');
  writer.section(input.evidence.length > 0 ? '五、申诉权利' : '四、申诉权利');
  writer.paragraph(DISHONESTY_APPEAL_TEXT);
  writer.paragraph('本告知书仅告知失信记录的事实和依据，不作是否给予救助的认定。');
  return writer.signature().finish();
}
