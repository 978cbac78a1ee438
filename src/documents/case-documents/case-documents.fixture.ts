/** Realistic inputs for the case-document tests; names carry rare characters on purpose. */

import type {
  DocumentHeader,
  ExtensionNoticeInput,
  ForceMajeureNoticeInput,
  ReceiptInput,
  ReportDiscrepancy,
  ReportInput,
  ReturnNoticeInput,
  ReviewResultInput,
  SuspensionNoticeInput,
  TerminationNoticeInput,
} from './types.ts';

export const RARE_NAME = '王𠈌䶮';
export const OTHER_RARE_NAMES = ['李堃赟', '张旸昇', '陈喆玥', '刘珺琇', '赵璟龑'];

function header(documentNumber: string, code: string): DocumentHeader {
  return {
    agencyName: '兰州市城关区居民家庭经济状况核对中心',
    documentNumber,
    recipient: '兰州市城关区民政局',
    issuedOn: '2026-03-12',
    verification: { code, url: `https://hedui.example.gov.cn/verify?code=${code}` },
  };
}

export const receipt: ReceiptInput = {
  ...header('城核受〔2026〕0015号', 'K7M2-Q9XA'),
  kind: 'receipt',
  caseNumber: 'HD-620102-2026-000153',
  applicantName: RARE_NAME,
  memberCount: 4,
  assistanceType: '最低生活保障',
  receivedOn: '2026-03-10',
  acceptedOn: '2026-03-12',
  reportDueOn: '2026-03-23',
  reportDueWorkingDays: 7,
  workGroup: ['李堃赟', '张旸昇'],
};

export const returnNotice: ReturnNoticeInput = {
  ...header('城核退〔2026〕0003号', 'R3TN-88PD'),
  kind: 'return-notice',
  caseNumber: 'HD-620102-2026-000154',
  applicantName: '刘珺琇',
  receivedOn: '2026-03-10',
  reasons: [
    '家庭成员赵璟龑未签署授权书（第十四条）。',
    '未附申请人户口簿复印件。',
    '诚信承诺书缺少申请人签名及日期。',
  ],
};

export const extensionNotice: ExtensionNoticeInput = {
  ...header('城核延〔2026〕0007号', 'EXT5-2WQM'),
  kind: 'extension-notice',
  caseNumber: 'HD-620102-2026-000153',
  applicantName: RARE_NAME,
  reason: '不动产登记部门查询接口维护，需线下交换数据。',
  extensionWorkingDays: 5,
  originalDueOn: '2026-03-23',
  newDueOn: '2026-03-30',
};

export const forceMajeureNotice: ForceMajeureNoticeInput = {
  ...header('城核告〔2026〕0001号', 'FMN4-8KQP'),
  kind: 'force-majeure-notice',
  caseNumber: 'HD-620102-2026-000153',
  applicantName: RARE_NAME,
  event: '特大暴雨致区数据中心停电，部门数据交换中断。',
  reportDueOn: '2026-03-23',
};

export const terminationNotice: TerminationNoticeInput = {
  ...header('城核终〔2026〕0001号', 'TRM6-3XWD'),
  kind: 'termination-notice',
  caseNumber: 'HD-620102-2026-000153',
  applicantName: RARE_NAME,
  event: '特大暴雨致区数据中心停电，部门数据交换中断。',
  forceMajeureNoticeNumber: '城核告〔2026〕0001号',
  requestedOn: '2026-03-16',
  requestReason: '灾后重新委托，请终止本次核对。',
};

export const suspensionNotice: SuspensionNoticeInput = {
  ...header('城核止〔2026〕0002号', 'SUS2-7HJK'),
  kind: 'suspension-notice',
  caseNumber: 'HD-620102-2026-000160',
  applicantName: '陈喆玥',
  grounds: ['concealment-or-false-materials', 'refusal-to-cooperate'],
  reasons:
    '经核对，申请人配偶名下登记有小型普通客车一辆及个体工商户一户，申请时均未申报；经两次书面通知，申请人未在规定期限内补充说明，也未到场配合核实。',
};

const SEVERITIES: ReportDiscrepancy['severity'][] = ['info', 'warning', 'serious'];

/** `count` discrepancy rows, alternating members and categories, amounts in fen. */
export function discrepancies(count: number): ReportDiscrepancy[] {
  const members = [RARE_NAME, ...OTHER_RARE_NAMES];
  return Array.from({ length: count }, (_, index) => {
    const declared = 1_200_000 + index * 137;
    const found = declared + (index % 2 === 0 ? 86_055 : -4_321);
    return {
      memberName: members[index % members.length]!,
      category: index % 3 === 0 ? '工资性收入' : index % 3 === 1 ? '财产净收入' : '银行存款',
      unit: 'amount',
      declared,
      found,
      difference: found - declared,
      severity: SEVERITIES[index % 3]!,
    };
  });
}

export const report: ReportInput = {
  ...header('城核报〔2026〕0153号', 'RPT8-4CZN'),
  kind: 'report',
  caseNumber: 'HD-620102-2026-000153',
  requester: '兰州市城关区民政局',
  assistanceType: '最低生活保障',
  members: [
    {
      name: RARE_NAME,
      idNumber: '620102198503151234',
      relation: '本人',
      coResiding: true,
      counted: true,
      incomeFen: { wages: 3_612_345, business: 0, property: 120_000, transferNet: -45_600, other: 0 },
    },
    {
      name: '李堃赟',
      idNumber: '62010219870621002X',
      relation: '配偶',
      coResiding: true,
      counted: true,
      incomeFen: { wages: 2_400_000, business: 1_234_567, property: 0, transferNet: 0, other: 5_000 },
    },
    {
      name: '王旸昇',
      idNumber: '620102201009098765',
      relation: '子女',
      coResiding: true,
      counted: true,
      incomeFen: { wages: 0, business: 0, property: 0, transferNet: 0, other: 0 },
    },
    {
      name: '王喆',
      idNumber: '620102195501011111',
      relation: '父母',
      coResiding: false,
      counted: false,
      incomeFen: { wages: 0, business: 0, property: 0, transferNet: 360_000, other: 0 },
    },
  ],
  window: { from: '2025-03', to: '2026-02', months: 12 },
  householdIncomeFen: {
    wages: 6_012_345,
    business: 1_234_567,
    property: 120_000,
    transferNet: -45_600,
    other: 5_000,
  },
  householdTotalIncomeFen: 7_326_312,
  monthlyPerCapitaIncomeFen: 203_509,
  assets: {
    depositsFen: 8_765_432,
    vehicles: 1,
    realEstate: { count: 2, areaHundredthsM2: 15_632 },
    marketEntities: 1,
  },
  discrepancies: discrepancies(4),
  civilStatus: [{ memberName: '李堃赟', description: '婚姻登记显示 2019 年已离婚，申报为配偶关系。' }],
  sources: [
    { department: '市公安局', dataset: '户籍信息', batchId: 'B-20260301-0012', dataAsOf: '2026-02-28' },
    {
      department: '市人力资源和社会保障局',
      dataset: '社会保险缴费',
      batchId: 'B-20260305-0031',
      dataAsOf: '2026-02-28',
    },
    { department: '市自然资源局', dataset: '不动产登记', batchId: 'Q-20260312-0007', dataAsOf: '2026-03-12' },
  ],
  sourcesUnavailable: [{ interfaceName: '市公安局交警支队 车辆登记查询', reason: '接口超时（已重试 3 次）' }],
  policyVersionLabel: '甘肃省兰州市 2026 年第 1 版（2026-01-01 起）',
  workGroup: { handler: '李堃赟', reviewer: '张旸昇' },
};

export const reviewResult: ReviewResultInput = {
  ...header('城核复〔2026〕0004号', 'REV4-6YTB'),
  kind: 'review-result',
  caseNumber: 'HD-620102-2026-000153',
  applicantName: RARE_NAME,
  appealedOn: '2026-03-25',
  reviewGroup: ['刘珺琇', '赵璟龑'],
  resultSummary:
    '经复核，申请人配偶名下工资性收入中 2025 年 6 月至 8 月的记录属同名人员误配，已剔除；其余核对事实无误。家庭收入合计由 73,263.12 元更正为 65,063.12 元。',
  originalReportNumber: '城核报〔2026〕0153号',
  newReportNumber: '城核报〔2026〕0171号',
};
