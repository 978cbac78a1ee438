import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, isCommonPassword } from './password.ts';

describe(checkPasswordStrength.name, () => {
  it('wants at least 8 characters', () => {
    expect(checkPasswordStrength('Ab#1xyz')).toBe('密码至少 8 位');
    expect(checkPasswordStrength('Ab#1xyzq')).toBeNull();
  });

  it('wants three of the four classes', () => {
    expect(checkPasswordStrength('abcdefgh12')).toMatch(/至少三类/);
    expect(checkPasswordStrength('ABCDEFGH!!')).toMatch(/至少三类/);
    expect(checkPasswordStrength('Qingcheng7x')).toBeNull();
    expect(checkPasswordStrength('qingcheng#7x')).toBeNull();
  });

  it.each([
    'Password1',
    'P@ssw0rd',
    'P@$$w0rd1',
    'Password2027!',
    'Woaini1314',
    'Qq123456',
    'A123456!',
    '1Qaz2wsx',
    '1qaz@WSX',
    'Qwerty123',
    'Admin@123',
    'Huawei@123',
    'Zhang1988',
  ])('refuses the common password %s', (password) => {
    expect(checkPasswordStrength(password)).toMatch(/过于常见/);
  });

  it('refuses a password containing the username', () => {
    expect(checkPasswordStrength('Xq#city_staff9', 'city_staff')).toBe('密码不能包含用户名');
  });

  it('ships a list of thousands of common passwords', () => {
    expect(isCommonPassword('123456789')).toBe(true);
    expect(isCommonPassword('qwertyuiop')).toBe(true);
    expect(isCommonPassword('Hedui@2026demo')).toBe(false);
    expect(isCommonPassword('Qc#2025-verify')).toBe(false);
  });
});
