import { describe, expect, it } from 'vitest';
import { checkFindings, type EscalationFinding } from './escalation.ts';

const finding = (itemIndex: number, overrides: Partial<EscalationFinding> = {}): EscalationFinding => ({
  itemIndex,
  finding: '未发现登记信息',
  amountFen: null,
  sourceDepartment: '兰州市自然资源局',
  sourceDataset: '不动产登记信息',
  dataAsOf: '2025-09-20',
  ...overrides,
});

describe(checkFindings.name, () => {
  it('takes one finding per item, trimmed and in item order', () => {
    const result = checkFindings(
      2,
      [finding(1, { finding: '  有住宅一套 ', amountFen: 100 }), finding(0)],
      '2025-09-26',
    );
    expect(result).toEqual({
      ok: true,
      findings: [finding(0), finding(1, { finding: '有住宅一套', amountFen: 100 })],
    });
  });

  it('refuses a missing, repeated or unknown item', () => {
    expect(checkFindings(2, [finding(0)], '2025-09-26')).toMatchObject({ ok: false });
    expect(checkFindings(2, [finding(0), finding(0)], '2025-09-26')).toMatchObject({
      ok: false,
      message: '第 1 项重复答复',
    });
    expect(checkFindings(1, [finding(1)], '2025-09-26')).toMatchObject({ ok: false });
  });

  it('requires the source and a real data date not after today', () => {
    expect(checkFindings(1, [finding(0, { sourceDataset: ' ' })], '2025-09-26')).toMatchObject({ ok: false });
    expect(checkFindings(1, [finding(0, { dataAsOf: '2025-02-30' })], '2025-09-26')).toMatchObject({
      ok: false,
    });
    expect(checkFindings(1, [finding(0, { dataAsOf: '2025-09-27' })], '2025-09-26')).toMatchObject({
      ok: false,
    });
    expect(checkFindings(1, [finding(0, { dataAsOf: '2025-09-26' })], '2025-09-26')).toMatchObject({
      ok: true,
    });
  });

  it('takes amounts only as non-negative whole fen', () => {
    expect(checkFindings(1, [finding(0, { amountFen: 12.5 })], '2025-09-26')).toMatchObject({ ok: false });
    expect(checkFindings(1, [finding(0, { amountFen: -1 })], '2025-09-26')).toMatchObject({ ok: false });
    expect(checkFindings(1, [finding(0, { amountFen: 0 })], '2025-09-26')).toMatchObject({ ok: true });
  });
});
