import { describe, expect, it } from 'vitest';
import { RECHECK_REPORT_STATEMENT } from '../../domain/recheck/report.ts';
import { renderCaseDocument } from './index.ts';
import { pdfPages, squeeze } from './pdf-readback.fixture.ts';
import type { RecheckReportInput } from './types.ts';

const REPORT: RecheckReportInput = {
  kind: 'recheck-report',
  agencyName: '庆阳市西峰区居民家庭经济状况核对中心',
  documentNumber: '西峰核查〔2025〕1号',
  recipient: '西峰区民政局社会救助股',
  issuedOn: '2025-10-03',
  verification: { code: 'K7M2Q-9XAB3', url: 'https://hedui.example.gov.cn/verify?code=K7M2Q-9XAB3' },
  requester: '西峰区民政局社会救助股',
  month: '2025-10',
  runId: 7,
  scopeName: '庆阳市西峰区居民家庭经济状况核对中心',
  startedOn: '2025-10-02',
  finishedOn: '2025-10-03',
  counts: { families: 40, rechecked: 30, carried: 7, skipped: 2, failed: 1, changed: 2 },
  notRechecked: [
    {
      familyKey: 'F-0031',
      applicantName: '王𠈌䶮',
      applicantIdMasked: '6210**********001X',
      reason: '授权书未在案，未查询（先授权、后核对）',
    },
  ],
  families: [
    {
      familyKey: 'F-0002',
      applicantName: '李梅',
      applicantIdMasked: '6210**********0021',
      changes: [
        {
          kindLabel: '收入增加超过容差',
          member: '家庭',
          description: '家庭回溯期收入增加超过容差',
          before: '工资性收入 0.00 元',
          after: '工资性收入 8000.00 元（增加 8000.00 元，容差 500.00 元）',
          sources: [{ dataset: '个人所得（税务）', batchId: '12', dataAsOf: '2025-10-01' }],
        },
        {
          kindLabel: '新增车辆',
          member: '成员（配偶）',
          description: '成员（配偶）新增登记车辆「甘M20001」',
          before: '无',
          after: '甘M20001',
          sources: [{ dataset: '机动车登记（公安）', batchId: '9', dataAsOf: '2025-09-30' }],
        },
      ],
    },
    {
      familyKey: 'F-0017',
      applicantName: '张强',
      applicantIdMasked: '6210**********0056',
      changes: [
        {
          kindLabel: '成员死亡',
          member: '成员（子女）',
          description: '',
          before: '无死亡记录',
          after: '死亡（2025-09-10）',
          sources: [{ dataset: '死亡殡葬（民政）', batchId: '4', dataAsOf: '2025-09-30' }],
        },
      ],
    },
  ],
};

describe('复核情况报告', () => {
  it('reports counts, the families not rechecked, each change with its evidence, and the statement', async () => {
    const rendered = await renderCaseDocument(REPORT);
    const text = squeeze(pdfPages(rendered.pdf).join(''));
    for (const expected of [
      '复核情况报告',
      '西峰核查〔2025〕1号',
      '2025年10月',
      '名册家庭40户',
      '已复核30户',
      '沿用上次结果7户',
      '未复核3户（授权书未在案2户，核对未完成1户）',
      '有变化2户',
      '无变化28户（不逐户列出）',
      'F-0031王𠈌䶮6210**********001X授权书未在案',
      '1.家庭编号F-0002申请人李梅（6210**********0021）',
      '变化1收入增加超过容差',
      '变化前工资性收入0.00元',
      '变化后工资性收入8000.00元（增加8000.00元，容差500.00元）',
      '数据来源个人所得（税务）批次12数据截至2025-10-01',
      '变化2新增车辆',
      '甘M20001',
      '2.家庭编号F-0017申请人张强',
      '变化成员死亡',
      '死亡（2025-09-10）',
      squeeze(RECHECK_REPORT_STATEMENT),
      'K7M2Q-9XAB3',
    ])
      expect(text).toContain(expected);
  });

  it('gives the same bytes for the same input, and says so when nothing changed', async () => {
    const [a, b] = await Promise.all([renderCaseDocument(REPORT), renderCaseDocument(REPORT)]);
    expect(a.sm3).toBe(b.sm3);
    expect(a.pdf.equals(b.pdf)).toBe(true);
    const none = await renderCaseDocument({
      ...REPORT,
      families: [],
      notRechecked: [],
      counts: { ...REPORT.counts, changed: 0 },
    });
    const text = squeeze(pdfPages(none.pdf).join(''));
    expect(text).toContain('本月复核未发现变化');
    expect(text).not.toContain('F-0002');
    expect(text).toContain('二、未复核的家庭无。');
  });

  it('refuses an invalid run date', async () => {
    await expect(renderCaseDocument({ ...REPORT, startedOn: '2025-10-32' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
