import { describe, expect, it } from 'vitest';
import { nextLoginStage, passwordExpired, type StageFacts } from './login-stage.ts';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const base: StageFacts = {
  roles: ['agency_staff'],
  hasSecondFactor: false,
  passwordChangedAt: '2025-12-01T00:00:00.000Z',
  now: NOW,
  mode: 'required',
  passwordMaxAgeDays: 90,
};

describe(nextLoginStage.name, () => {
  it('asks for the code after the password when a factor is enrolled', () => {
    expect(nextLoginStage('password', { ...base, hasSecondFactor: true })).toBe('second_factor');
  });
  it('forces enrolment when the factor is required and missing, not when optional', () => {
    expect(nextLoginStage('password', base)).toBe('enrol');
    expect(nextLoginStage('password', { ...base, mode: 'optional' })).toBe('full');
  });
  it('asks for a new password after the factor when the password has expired', () => {
    const old = { ...base, hasSecondFactor: true, passwordChangedAt: '2025-10-01T00:00:00.000Z' };
    expect(nextLoginStage('second_factor', old)).toBe('password_change');
    expect(nextLoginStage('enrol', { ...old, hasSecondFactor: true })).toBe('password_change');
    expect(nextLoginStage('password_change', old)).toBe('full');
    expect(nextLoginStage('second_factor', { ...base, hasSecondFactor: true })).toBe('full');
  });
});

describe(passwordExpired.name, () => {
  it('expires a password on its 90th day, never with 0', () => {
    expect(passwordExpired('2025-10-03T00:00:00.000Z', NOW, 90)).toBe(true);
    expect(passwordExpired('2025-10-03T00:00:00.001Z', NOW, 90)).toBe(false);
    expect(passwordExpired('2000-01-01T00:00:00.000Z', NOW, 0)).toBe(false);
  });
});
