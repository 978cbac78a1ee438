/**
 * 核对报告 (Q§19): the facts found for one household — members, income by Q§11 category over the
 * look-back window, assets (Q§12), differences from the declaration, civil-status contradictions, and
 * every source consulted or unavailable. It states facts only and never whether assistance is due.
 */

import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { assertDate, formatArea, formatMonth, formatYuan } from './format.ts';
import { type Column, DocumentWriter, type RenderOptions } from './layout.ts';
import {
  type IncomeFen,
  REPORT_INCOME_CATEGORIES,
  type RenderedCaseDocument,
  type ReportDiscrepancy,
  type ReportIncomeCategory,
  type ReportInput,
} from './types.ts';

export const REPORT_TITLE = '居民家庭经济状况核对报告';
export const REPORT_STATEMENT =
  '本报告仅对本次核对有效，仅作为社会救助主管部门审核或认定对象的依据之一，不得用作其他用途（第十九条）。本报告只陈述核对事实，不作是否给予救助的认定。';

export const INCOME_CATEGORY_LABELS: Readonly<Record<ReportIncomeCategory, string>> = {
  wages: '工资性收入',
  business: '经营净收入',
  property: '财产净收入',
  transferNet: '转移净收入',
  other: '其他收入',
};

export const SEVERITY_LABELS: Readonly<Record<ReportDiscrepancy['severity'], string>> = {
  info: '提示',
  warning: '关注',
  serious: '严重',
};

export const DISCREPANCY_COLUMNS: readonly Column[] = [
  { header: '序号', width: 0.6, align: 'center' },
  { header: '成员', width: 1.2 },
  { header: '项目', width: 1.4 },
  { header: '申报', width: 1.3, align: 'right' },
  { header: '核对所得', width: 1.3, align: 'right' },
  { header: '差额', width: 1.3, align: 'right' },
  { header: '程度', width: 0.7, align: 'center' },
];

function totalFen(income: IncomeFen): number {
  return REPORT_INCOME_CATEGORIES.reduce((sum, category) => sum + income[category], 0);
}

function incomeRow(label: string, income: IncomeFen): string[] {
  return [
    label,
    ...REPORT_INCOME_CATEGORIES.map((category) => formatYuan(income[category])),
    formatYuan(totalFen(income)),
  ];
}

function discrepancyValue(value: number | null, unit: ReportDiscrepancy['unit'], signed = false): string {
  if (value === null) return '—';
  const sign = signed && value > 0 ? '+' : '';
  return unit === 'amount' ? `${sign}${formatYuan(value)}` : `${sign}${value} 项`;
}

function validate(input: ReportInput): void {
  for (const source of input.sources) assertDate(source.dataAsOf, 'sources.dataAsOf');
  if (input.members.length === 0) {
    throw new AppError('VALIDATION_FAILED', '核对报告须列明家庭成员', { field: 'members' });
  }
  if (input.workGroup.handler.trim() === '' || input.workGroup.reviewer.trim() === '') {
    throw new AppError('VALIDATION_FAILED', '核对报告须写明经办人和复核人（第十六条）', {
      field: 'workGroup',
    });
  }
}

export async function renderVerificationReport(
  input: ReportInput,
  options?: RenderOptions,
): Promise<RenderedCaseDocument> {
  validate(input);
  const window = `${formatMonth(input.window.from)}至${formatMonth(input.window.to)}（共 ${input.window.months} 个月）`;
  const writer = new DocumentWriter(input, REPORT_TITLE, options).head();
  writer.paragraph(
    `受贵单位委托，本机构对核对编号 ${input.caseNumber} 的家庭经济状况进行了核对。现将核对情况报告如下：`,
  );

  writer.section('一、基本情况');
  writer.fields([
    ['核对编号', input.caseNumber],
    ['委托单位', input.requester],
    ['社会救助类型', input.assistanceType],
    ['核对期间', window],
    ['政策配置版本', input.policyVersionLabel],
    ['核对工作组', `经办人：${input.workGroup.handler}    复核人：${input.workGroup.reviewer}`],
  ]);

  writer.section('二、家庭成员');
  writer.table(
    [
      { header: '序号', width: 0.6, align: 'center' },
      { header: '姓名', width: 1.3 },
      { header: '身份证号码', width: 2.2 },
      { header: '与申请人关系', width: 1.2 },
      { header: '共同生活', width: 0.9, align: 'center' },
      { header: '计入家庭', width: 0.9, align: 'center' },
    ],
    input.members.map((member, index) => [
      String(index + 1),
      member.name,
      maskIdNumber(member.idNumber.trim()),
      member.relation,
      member.coResiding ? '是' : '否',
      member.counted ? '是' : '否',
    ]),
    { keepTogether: true },
  );

  writer.section(`三、家庭收入（核对期间 ${input.window.months} 个月合计，单位：元）`, 120);
  writer.table(
    [
      { header: '成员', width: 1.6 },
      ...REPORT_INCOME_CATEGORIES.map((category) => ({
        header: INCOME_CATEGORY_LABELS[category],
        width: 1.1,
        align: 'right' as const,
      })),
      { header: '合计', width: 1.2, align: 'right' },
    ],
    [
      ...input.members.map((member) =>
        incomeRow(member.counted ? member.name : `${member.name}（不计入）`, member.incomeFen),
      ),
      incomeRow('家庭合计', input.householdIncomeFen),
    ],
    { size: 9, keepTogether: true },
  );
  writer.paragraph(
    `家庭收入合计 ${formatYuan(input.householdTotalIncomeFen)} 元，家庭月人均收入 ${formatYuan(input.monthlyPerCapitaIncomeFen)} 元。`,
  );

  writer.section('四、家庭财产');
  const { assets } = input;
  writer.fields([
    ['银行存款等金融资产', `${formatYuan(assets.depositsFen)} 元`],
    ['车辆', `${assets.vehicles} 辆`],
    [
      '不动产',
      `${assets.realEstate.count} 处，建筑面积合计 ${formatArea(assets.realEstate.areaHundredthsM2)} m²`,
    ],
    ['市场主体', `${assets.marketEntities} 个`],
  ]);

  writer.section('五、与申报情况的差异（金额单位：元）');
  if (input.discrepancies.length === 0) writer.paragraph('未发现与申报不一致的情况。');
  else
    writer.table(
      DISCREPANCY_COLUMNS,
      input.discrepancies.map((item, index) => [
        String(index + 1),
        item.memberName,
        item.category,
        discrepancyValue(item.declared, item.unit),
        discrepancyValue(item.found, item.unit),
        discrepancyValue(item.difference, item.unit, true),
        SEVERITY_LABELS[item.severity],
      ]),
      { size: 9 },
    );

  writer.section('六、户籍、婚姻等状况');
  if (input.civilStatus.length === 0) writer.paragraph('未发现户籍、婚姻、死亡等信息与申报不一致的情况。');
  else writer.list(input.civilStatus.map((item) => `${item.memberName}：${item.description}`));

  writer.section('七、数据来源');
  writer.table(
    [
      { header: '部门', width: 1.6 },
      { header: '数据集', width: 1.6 },
      { header: '批次号', width: 1.2 },
      { header: '数据截至', width: 1.2, align: 'center' },
    ],
    input.sources.map((source) => [source.department, source.dataset, source.batchId, source.dataAsOf]),
    { size: 9 },
  );
  if (input.sourcesUnavailable.length > 0) {
    writer.paragraph('下列查询接口在核对时未能返回数据，相关项目未能核对，不能视为“无记录”：');
    writer.table(
      [
        { header: '查询接口', width: 2 },
        { header: '情况', width: 3 },
      ],
      input.sourcesUnavailable.map((source) => [source.interfaceName, source.reason]),
      { size: 9 },
    );
  }

  writer.section('八、说明');
  writer.paragraph(REPORT_STATEMENT);
  return writer.signature().finish();
}
