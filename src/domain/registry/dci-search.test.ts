import { describe, expect, it } from 'vitest';
import { computeCheckChar } from '../identity/id-number.ts';
import {
  envelopeStatus,
  parseSearchRequest,
  REASON_MESSAGES,
  type ReportFigures,
  verificationConclusion,
  verificationRecord,
} from './dci-search.ts';

const TODAY = '2025-09-26';
const ID17 = '62100219800101001';
const ID = `${ID17}${computeCheckChar(ID17)}`;
const SM3 = 'ab'.repeat(32);

function item(criteria: Record<string, unknown>, referenceId: unknown = 'r1') {
  return {
    reference_id: referenceId,
    search_criteria: {
      reg_type: 'ns:org:RegistryType:Social',
      query_type: 'idtype-value',
      query: { type: 'UIN', value: ID },
      authorize: { ref: '西峰核〔2025〕1号' },
      consent: { ref: SM3 },
      ...criteria,
    },
  };
}

describe(parseSearchRequest.name, () => {
  it('reads a UIN search, normalising the ID number and the consent fingerprint', () => {
    const parsed = parseSearchRequest(
      item({
        query: { type: 'UIN', value: ` ${ID.slice(0, 9)} ${ID.slice(9)}` },
        consent: { ref: SM3.toUpperCase() },
        pagination: { page_size: 5 },
      }),
      TODAY,
    );
    expect(parsed).toEqual({
      ok: true,
      search: {
        referenceId: 'r1',
        query: { type: 'UIN', value: ID },
        authorizeRef: '西峰核〔2025〕1号',
        consentRef: SM3,
        pageSize: 5,
      },
    });
  });

  it('refuses each malformed part with its own stable reason code', () => {
    const cases: [unknown, string][] = [
      [item({}, ''), 'rjct.reference_id.invalid'],
      [{ reference_id: 'r1', search_criteria: 'x' }, 'rjct.search_criteria.invalid'],
      [item({ reg_type: 'ns:org:RegistryType:Civil' }), 'rjct.reg_type.invalid'],
      [item({ query_type: 'expression' }), 'rjct.query_type.not_supported'],
      [item({ query: { type: 'MOBILE', value: '13800000000' } }), 'rjct.query.type.not_supported'],
      [
        item({ query: { type: 'UIN', value: `${ID17}${ID.endsWith('0') ? '1' : '0'}` } }),
        'rjct.query.value.invalid',
      ],
      [item({ query: { type: 'CASE_NUMBER', value: 'a b' } }), 'rjct.query.value.invalid'],
      [item({ authorize: undefined }), 'rjct.authorize.missing'],
      [item({ consent: { ref: '' } }), 'rjct.consent.missing'],
      [item({ consent: { ref: 'not-a-fingerprint' } }), 'rjct.consent.invalid'],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseSearchRequest(input, TODAY);
      expect(parsed.ok ? null : parsed.reason).toBe(reason);
      expect(REASON_MESSAGES[reason as keyof typeof REASON_MESSAGES]).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});

describe(envelopeStatus.name, () => {
  it('is succ when all were answered, rjct when none was, part in between', () => {
    expect(envelopeStatus(['succ', 'succ'])).toBe('succ');
    expect(envelopeStatus(['rjct', 'rjct'])).toBe('rjct');
    expect(envelopeStatus(['succ', 'rjct', 'succ'])).toBe('part');
  });
});

const REPORT: ReportFigures = {
  number: '西峰核报〔2025〕1号',
  issuedOn: '2025-09-26',
  window: { from: '2024-09', to: '2025-08', months: 12 },
  memberCount: 2,
  countedMembers: 2,
  householdIncomeFen: { wages: 3_000_000, business: 0, property: 0, transferNet: 5, other: 0 },
  householdTotalIncomeFen: 3_000_005,
  monthlyPerCapitaIncomeFen: 125_000,
  assets: {
    depositsFen: 1_200_050,
    vehicles: 1,
    realEstate: { count: 0, areaHundredthsM2: 0 },
    marketEntities: 0,
  },
  discrepancies: [{ severity: 'serious' }, { severity: 'info' }],
  policyVersionLabel: 'default-v1',
};

describe(verificationRecord.name, () => {
  it('states the report figures in fen, masks the ID number and gives the conclusion as facts only', () => {
    const record = verificationRecord({
      caseNumber: '西峰核〔2025〕1号',
      state: 'reported',
      stateLabel: '已出具报告',
      subject: {
        idNumber: ID,
        relation: '本人',
        counted: true,
        incomeFen: REPORT.householdIncomeFen,
      },
      report: REPORT,
    });
    expect(record.member_identifier).toEqual([
      { identifier_type: 'UIN', identifier_value: `${ID.slice(0, 4)}**********${ID.slice(-4)}` },
    ]);
    expect(JSON.stringify(record)).not.toContain(ID);
    expect(record.verification_result).toMatchObject({
      household_total_income_fen: 3_000_005,
      assets: { deposits_fen: 1_200_050, vehicles: 1 },
      discrepancy_count: 2,
      serious_discrepancy_count: 1,
    });
    expect(verificationConclusion(REPORT)).toBe(
      '核对期间 2024-09 至 2025-08（12 个月），计入家庭成员 2 人，家庭收入合计 30000.05 元，月人均收入 1250.00 元；' +
        '存款及金融资产 12000.50 元，车辆 1 辆，不动产 0 处，市场主体 0 个；发现申报与核对数据不一致 2 项（其中严重 1 项）。' +
        '本结果只陈述核对事实，不作是否给予救助的认定。',
    );
  });
});
