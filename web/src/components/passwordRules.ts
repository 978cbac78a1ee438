import type { FormRule } from 'antd';
import type { I18n } from '../i18n';

/** Checks that a confirmation field repeats the password typed in `field`. */
export function confirmPasswordRule(field: string, t: I18n['t']): FormRule {
  return ({ getFieldValue }) => ({
    validator(_, value: unknown) {
      if (!value || getFieldValue(field) === value) return Promise.resolve();
      return Promise.reject(new Error(t('password.mismatch')));
    },
  });
}
