/** 受理回执 (Q§15): accepted within 3 working days of receipt; the report due within 7 working days. */

import { assertDate, formatDate } from './format.ts';
import { DocumentWriter, type RenderOptions } from './layout.ts';
import type { ReceiptInput, RenderedCaseDocument } from './types.ts';

export const RECEIPT_TITLE = '居民家庭经济状况核对受理回执';

export async function renderReceipt(
  input: ReceiptInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  for (const field of ['receivedOn', 'acceptedOn', 'reportDueOn'] as const) assertDate(input[field], field);
  const writer = new DocumentWriter(input, RECEIPT_TITLE, options).head();
  writer.paragraph(
    `贵单位于${formatDate(input.receivedOn)}送达的居民家庭经济状况核对委托（申请人：${input.applicantName}），经审查符合要求，本机构已于${formatDate(input.acceptedOn)}受理。受理信息如下：`,
  );
  writer.fields([
    ['核对编号', input.caseNumber],
    ['申请人', input.applicantName],
    ['家庭成员人数', `${input.memberCount} 人`],
    ['社会救助类型', input.assistanceType],
    ['收到委托日期', formatDate(input.receivedOn)],
    ['受理日期', formatDate(input.acceptedOn)],
    [
      '核对报告出具期限',
      `${formatDate(input.reportDueOn)}前（受理后 ${input.reportDueWorkingDays} 个工作日内）`,
    ],
    ['核对工作组', input.workGroup.join('、')],
  ]);
  writer.paragraph(
    '本机构将依照《居民家庭经济状况核对办法》第十五条、第十六条的规定，由工作组实行专人专岗、一事一授权开展核对，并在上述期限内出具核对报告。因故需要延期的，将另行书面告知。',
  );
  return writer.signature().finish();
}
