import { App, Input, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { type ExportTarget, requestExport } from '../api/exports';
import { useI18n } from '../i18n';
import { useNotifyError } from './useNotifyError';

/**
 * Asks for a bulk export instead of downloading it (issue #8 item 4): the user writes why, the request goes to an
 * agency reviewer, and the file is downloaded once from 导出审批 after approval.
 */
export function useExportRequest(): (target: ExportTarget, what: string) => void {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const navigate = useNavigate();
  return (target, what) => {
    let reason = '';
    modal.confirm({
      title: t('exports.request.title', { what }),
      okText: t('exports.request.submit'),
      cancelText: t('common.cancel'),
      content: (
        <>
          <Typography.Paragraph type="secondary">{t('exports.request.hint')}</Typography.Paragraph>
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder={t('exports.request.reason')}
            data-testid="export-request-reason"
            onChange={(e) => {
              reason = e.target.value;
            }}
          />
        </>
      ),
      okButtonProps: { 'data-testid': 'export-request-submit' } as Record<`data-${string}`, string>,
      onOk: async () => {
        try {
          await requestExport(target, reason);
          message.success(t('exports.request.sent'));
          navigate('/exports');
        } catch (error) {
          notifyError(error);
          throw error;
        }
      },
    });
  };
}
