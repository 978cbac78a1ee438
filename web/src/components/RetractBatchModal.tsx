import { ModalForm, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, App } from 'antd';
import { retractBatch } from '../api/batches';
import type { Batch } from '../api/types';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { withTestId } from '../utils/testId';

interface Props {
  batch: Batch;
  onClose: () => void;
  onRetracted: (batch: Batch) => void;
}

/** Retracting a committed batch needs a reason; the server records it in the audit log. */
export function RetractBatchModal({ batch, onClose, onRetracted }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  return (
    <ModalForm<{ reason: string }>
      open
      title={t('batch.retractTitle', { id: batch.id })}
      width={520}
      layout="vertical"
      modalProps={{ destroyOnHidden: true }}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      submitter={{
        searchConfig: { submitText: t('batch.retract') },
        submitButtonProps: withTestId('retract-submit', { danger: true }),
      }}
      onFinish={async ({ reason }) => {
        try {
          const retracted = await retractBatch(batch.id, reason.trim());
          message.success(t('batch.retracted', { id: batch.id }));
          onRetracted(retracted);
          return true;
        } catch (error) {
          notifyError(error);
          return false;
        }
      }}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message={t('batch.retractSubject', { dataset: batch.datasetName, period: batch.period })}
        description={t('batch.retractHint')}
      />
      <ProFormTextArea
        name="reason"
        label={t('batch.retractReason')}
        rules={[{ required: true, whitespace: true, message: t('batch.reasonRequired') }]}
        fieldProps={withTestId('retract-reason', { maxLength: 500, showCount: true, rows: 4 })}
      />
    </ModalForm>
  );
}
