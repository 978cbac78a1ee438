import { describe, expect, it } from 'vitest';
import { ARTICLE_24, legalBasisFor } from '../../domain/dishonesty/records.ts';
import { renderCaseDocument } from './index.ts';
import { pdfPages, squeeze } from './pdf-readback.fixture.ts';
import type { DishonestyNoticeInput } from './types.ts';

const NOTICE: DishonestyNoticeInput = {
  kind: 'dishonesty-notice',
  agencyName: '庆阳市西峰区居民家庭经济状况核对中心',
  documentNumber: '西峰核信〔2025〕1号',
  recipient: '西峰区民政局社会救助股',
  issuedOn: '2025-09-26',
  verification: { code: 'K7M2Q-9XAB3', url: 'https://hedui.example.gov.cn/verify?code=K7M2Q-9XAB3' },
  caseNumber: 'HD-2025-000012',
  recordNumber: '西峰核失〔2025〕3号',
  applicantName: '王𠈌䶮',
  subjects: [{ name: '王𠈌䶮', idNumberMasked: '6210**********001X', relation: '本人' }],
  concealed: '申请人隐瞒了名下两辆小型汽车',
  evidence: ['中止通知书 西峰核止〔2025〕1号'],
  legalBasis: legalBasisFor('suspension'),
  approvedOn: '2025-09-26',
};

describe('失信信息告知书', () => {
  it('names the persons, the facts, the evidence, the legal basis and the right to appeal', async () => {
    const rendered = await renderCaseDocument(NOTICE);
    const text = squeeze(pdfPages(rendered.pdf).join(''));
    for (const expected of [
      '失信信息告知书',
      '西峰核信〔2025〕1号',
      '西峰核失〔2025〕3号',
      'HD-2025-000012',
      '王𠈌䶮',
      '6210**********001X',
      '申请人隐瞒了名下两辆小型汽车',
      '中止通知书西峰核止〔2025〕1号',
      squeeze(ARTICLE_24),
      '信用信息系统',
      '申诉权利',
      '不作是否给予救助的认定',
    ])
      expect(text).toContain(expected);
    expect(rendered.sm3).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a notice without persons or without facts', async () => {
    await expect(renderCaseDocument({ ...NOTICE, subjects: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(renderCaseDocument({ ...NOTICE, concealed: ' ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
