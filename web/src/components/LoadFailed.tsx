import { ReloadOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import { describeError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';

/** A screen whose data could not be loaded: the server's reason and a way to try again. */
export function LoadFailed({
  error,
  onRetry,
  testId,
}: {
  error: unknown;
  onRetry: () => void;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <div data-testid={testId ?? 'load-failed'}>
      <Result
        status="warning"
        title={t('common.loadFailed')}
        subTitle={describeError(error, t)}
        extra={
          <Button icon={<ReloadOutlined />} onClick={onRetry}>
            {t('common.retry')}
          </Button>
        }
      />
    </div>
  );
}
