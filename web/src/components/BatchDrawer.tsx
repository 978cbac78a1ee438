import { DownloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Flex, Space, Spin, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { getBatch } from '../api/batches';
import type { Batch } from '../api/types';
import { useAsync } from '../hooks/useAsync';
import { describeError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDate, formatDateTime } from '../utils/datetime';
import { BatchStatusTag } from './DataTags';
import { RetractBatchModal } from './RetractBatchModal';
import { RowErrorTable } from './RowErrorTable';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Props {
  batchId: number;
  departmentName: (code: string) => string;
  /** Whether the user's department may download the error report and retract (department officers). */
  manage: boolean;
  onDownloadReport: (batch: Batch) => void;
  /** The batch changed (retracted): the list behind the drawer should reload. */
  onChanged: () => void;
  onClose: () => void;
}

export function BatchDrawer({
  batchId,
  departmentName,
  manage,
  onDownloadReport,
  onChanged,
  onClose,
}: Props) {
  const { t, label } = useI18n();
  const load = useCallback(() => getBatch(batchId), [batchId]);
  const { state, reload } = useAsync(load);
  const [retracting, setRetracting] = useState<Batch | null>(null);

  const detail = state.status === 'ready' ? state.value : null;
  const batch = detail?.batch ?? null;

  return (
    <Drawer
      open
      width={880}
      title={t('batch.detailTitle', { id: batchId })}
      onClose={onClose}
      data-testid="batch-drawer"
      extra={
        batch &&
        manage && (
          <Space>
            {batch.hasErrorReport && (
              <Button icon={<DownloadOutlined />} onClick={() => onDownloadReport(batch)}>
                {t('upload.downloadReport')}
              </Button>
            )}
            {batch.status === 'committed' && (
              <Button
                danger
                icon={<RollbackOutlined />}
                onClick={() => setRetracting(batch)}
                data-testid="batch-drawer-retract"
              >
                {t('batch.retract')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {state.status === 'loading' && (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      )}
      {state.status === 'failed' && <Alert type="error" showIcon message={describeError(state.error, t)} />}
      {detail && batch && (
        <Flex vertical gap={16}>
          <Descriptions bordered size="small" column={2} styles={{ label: { width: 120 } }}>
            <Descriptions.Item label={t('batch.dataset')}>
              {batch.datasetName} <Typography.Text type="secondary">({batch.dataset})</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.period')}>{batch.period}</Descriptions.Item>
            <Descriptions.Item label={t('batch.kind')}>
              {t(batch.kind === 'unidentified' ? 'batchKind.unidentified' : 'batchKind.main')}
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.department')}>
              {departmentName(batch.departmentCode)}
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.status')}>
              <BatchStatusTag status={batch.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.source')}>
              {label('batchSource', batch.source)}
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.fileName')}>{batch.fileName ?? EMPTY}</Descriptions.Item>
            <Descriptions.Item label={t('batch.format')}>
              {batch.format === 'unknown' ? EMPTY : batch.format.toUpperCase()}
              {batch.encoding ? ` · ${batch.encoding}` : ''} · {formatBytes(batch.bytes)}
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.dataAsOf')}>{formatDate(batch.dataAsOf)}</Descriptions.Item>
            <Descriptions.Item label={t('batch.rowsRead')}>{batch.rowsRead}</Descriptions.Item>
            <Descriptions.Item label={t('batch.rowsStored')}>{batch.rowsStored}</Descriptions.Item>
            <Descriptions.Item label={t('batch.duplicateRows')}>{batch.duplicateRows}</Descriptions.Item>
            <Descriptions.Item label={t('batch.errorCount')}>{batch.errorCount}</Descriptions.Item>
            {batch.kind === 'unidentified' && batch.status !== 'rejected' && (
              <>
                <Descriptions.Item label={t('batch.nearbyIdRows')}>
                  {batch.nearbyIdRows ?? 0}
                </Descriptions.Item>
                <Descriptions.Item label={t('batch.nameBirthRows')}>
                  {batch.nameBirthRows ?? 0}
                </Descriptions.Item>
              </>
            )}
            <Descriptions.Item label={t('batch.createdAt')}>
              {formatDateTime(batch.createdAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('batch.finishedAt')}>
              {formatDateTime(batch.finishedAt)}
            </Descriptions.Item>
            {batch.supersededBy !== null && (
              <Descriptions.Item label={t('batch.supersededBy')} span={2}>
                {t('batch.supersededByValue', { id: batch.supersededBy })}
              </Descriptions.Item>
            )}
            {batch.retractedAt && (
              <>
                <Descriptions.Item label={t('batch.retractedAt')}>
                  {formatDateTime(batch.retractedAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t('batch.retractReason')}>
                  {batch.retractReason ?? EMPTY}
                </Descriptions.Item>
              </>
            )}
            <Descriptions.Item label={t('batch.fingerprint')} span={2}>
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {batch.fingerprint}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {detail.fileErrors.length > 0 && (
            <Alert
              type="error"
              showIcon
              message={t('upload.fileErrors')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {detail.fileErrors.map((error) => (
                    <li key={`${error.code}-${error.message}`}>
                      <Typography.Text code>{error.code}</Typography.Text> {error.message}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          {detail.warnings.length > 0 && (
            <Alert
              type="info"
              showIcon
              message={t('upload.warnings')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {detail.warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              }
            />
          )}
          {detail.errors.length > 0 && (
            <div>
              <Typography.Title level={5}>
                {detail.errors.length < batch.errorCount
                  ? t('batch.errorsShown', { shown: detail.errors.length, total: batch.errorCount })
                  : t('upload.rowErrors', { count: detail.errors.length })}
              </Typography.Title>
              <RowErrorTable errors={detail.errors} testId="batch-errors" />
            </div>
          )}
        </Flex>
      )}
      {retracting && (
        <RetractBatchModal
          batch={retracting}
          onClose={() => setRetracting(null)}
          onRetracted={() => {
            setRetracting(null);
            void reload();
            onChanged();
          }}
        />
      )}
    </Drawer>
  );
}
