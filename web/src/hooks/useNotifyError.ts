import { App } from 'antd';
import { useCallback } from 'react';
import { ABORTED, ApiError, BAD_RESPONSE, NETWORK_ERROR } from '../api/client';
import { type I18n, useI18n } from '../i18n';

export function describeError(error: unknown, t: I18n['t']): string {
  if (error instanceof ApiError) {
    if (error.code === NETWORK_ERROR) return t('error.network');
    if (error.code === ABORTED) return t('error.aborted');
    if (error.code === BAD_RESPONSE || !error.message)
      return t('error.badResponse', { status: error.status });
    return error.message;
  }
  return t('error.unexpected', { message: error instanceof Error ? error.message : String(error) });
}

/** True when the error means the session ended; the app is already on its way to the login page. */
export function isSessionExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS';
}

/** Shows a server error's (Chinese) message to the user. */
export function useNotifyError(): (error: unknown) => void {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (error: unknown) => {
      if (isSessionExpired(error)) return;
      message.error(describeError(error, t));
    },
    [message, t],
  );
}
