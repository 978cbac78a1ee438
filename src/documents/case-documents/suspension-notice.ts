/**
 * 中止通知书 (Q§18): the verification stops, the case goes back with written reasons and a
 * recommendation that the assistance authority suspend its review of the application. The document
 * recommends; it decides nothing about eligibility (Q§3 只核对、不认定).
 */

import { AppError } from '../../domain/shared/errors.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { RenderedCaseDocument, SuspensionGround, SuspensionNoticeInput } from './types.ts';

export const SUSPENSION_NOTICE_TITLE = '居民家庭经济状况核对中止通知书';
export const SUSPENSION_RECOMMENDATION = '建议中止其社会救助申请的审核审批';

/** The grounds as Q§18 words them. */
export const SUSPENSION_GROUND_TEXT: Readonly<Record<SuspensionGround, string>> = {
  'concealment-or-false-materials': '故意隐瞒家庭户籍、收入、财产情况或提供虚假材料（第十八条第一项）',
  'refusal-to-cooperate': '无正当理由拒不配合居民家庭经济状况核对工作（第十八条第二项）',
  'programme-rule': '相关专项社会救助和保障部门有中止规定（第十八条第三项）',
};

export async function renderSuspensionNotice(
  input: SuspensionNoticeInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  if (input.grounds.length === 0) {
    throw new AppError('VALIDATION_FAILED', '中止通知书须列明第十八条规定的中止情形', { field: 'grounds' });
  }
  if (input.reasons.trim() === '') {
    throw new AppError('VALIDATION_FAILED', '中止通知书须书面说明理由', { field: 'reasons' });
  }
  if (input.grounds.includes('programme-rule') && !input.programmeRule?.trim()) {
    throw new AppError('VALIDATION_FAILED', '依专项救助中止规定中止的，须写明所依据的规定', {
      field: 'programmeRule',
    });
  }
  const grounds = [...new Set(input.grounds)].map((ground) =>
    ground === 'programme-rule'
      ? `${SUSPENSION_GROUND_TEXT[ground]}：${input.programmeRule!.trim()}`
      : SUSPENSION_GROUND_TEXT[ground],
  );
  const writer = new DocumentWriter(input, SUSPENSION_NOTICE_TITLE, options).head();
  writer.paragraph(
    `贵单位委托的居民家庭经济状况核对（核对编号：${input.caseNumber}，申请人：${input.applicantName}），在核对过程中发现下列情形，依照《居民家庭经济状况核对办法》第十八条的规定，本机构中止核对工作，将该委托退回贵单位。`,
  );
  writer.section('一、中止情形');
  writer.list(grounds);
  writer.section('二、理由说明');
  writer.paragraph(input.reasons.trim());
  writer.section('三、建议');
  writer.paragraph(`根据上述情形，${SUSPENSION_RECOMMENDATION}。`);
  writer.paragraph('本通知仅说明中止核对的事实和理由，不作是否给予救助的认定。');
  return writer.signature().finish();
}
