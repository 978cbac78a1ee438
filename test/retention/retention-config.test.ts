import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('retention configuration', () => {
  it('keeps audit logs a year and department data three years unless told otherwise', () => {
    expect(loadConfig({}).retention).toEqual({
      auditDays: 365,
      recordDays: 1095,
      datasetDays: {},
      closedCaseDays: 1825,
    });
  });

  it('refuses an audit retention below 180 days', () => {
    expect(() => loadConfig({ HEDUI_AUDIT_RETENTION_DAYS: '179' })).toThrow(ConfigError);
    expect(() => loadConfig({ HEDUI_AUDIT_RETENTION_DAYS: '179' })).toThrow(/180 天/);
    expect(loadConfig({ HEDUI_AUDIT_RETENTION_DAYS: '180' }).retention.auditDays).toBe(180);
  });

  it('reads periods per dataset and refuses a malformed list', () => {
    expect(
      loadConfig({ HEDUI_RETENTION_DATASET_DAYS: 'hukou=3650, bank_deposit = 730' }).retention.datasetDays,
    ).toEqual({
      hukou: 3650,
      bank_deposit: 730,
    });
    expect(() => loadConfig({ HEDUI_RETENTION_DATASET_DAYS: 'hukou:3650' })).toThrow(ConfigError);
  });
});
