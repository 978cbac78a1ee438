import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { getRetention, type RetentionRun } from '../api/retention';
import { useAsync } from '../hooks/useAsync';
import { describeError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

/** 数据保存期限：the retention settings (from the server's configuration) and the last runs of the purge. */
export function RetentionPage() {
  const { t } = useI18n();
  const { state } = useAsync(getRetention);
  if (state.status === 'loading') return <Card loading />;
  if (state.status === 'failed')
    return <Alert type="error" showIcon message={describeError(state.error, t)} />;
  const { settings, runs } = state.value;
  const datasets = Object.entries(settings.datasetDays);
  const columns: ColumnsType<RetentionRun> = [
    { title: t('retention.startedAt'), dataIndex: 'startedAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('retention.kind'),
      key: 'kind',
      render: (_, run) => (
        <Space size={4}>
          <Tag color={run.dryRun ? 'default' : 'blue'}>
            {run.dryRun ? t('retention.dryRun') : t('retention.purge')}
          </Tag>
          <Tag>{run.trigger === 'job' ? t('retention.byJob') : t('retention.byCli')}</Tag>
        </Space>
      ),
    },
    { title: t('retention.batchesPurged'), key: 'b', render: (_, run) => run.counts.batchesPurged },
    { title: t('retention.recordsPurged'), key: 'r', render: (_, run) => run.counts.recordsPurged },
    { title: t('retention.keptForReports'), key: 'k', render: (_, run) => run.counts.batchesKeptForReports },
    { title: t('retention.caseFilesPurged'), key: 'f', render: (_, run) => run.counts.caseFilesPurged },
    {
      title: t('retention.auditEntriesPurged'),
      key: 'a',
      render: (_, run) =>
        run.counts.auditPurgedThrough === null
          ? run.counts.auditEntriesPurged
          : t('retention.auditThrough', {
              n: run.counts.auditEntriesPurged,
              seq: run.counts.auditPurgedThrough,
            }),
    },
  ];
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="retention-page">
      <Card title={t('retention.title')}>
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('retention.auditDays')}>
            {t('retention.days', { n: settings.auditDays })}
          </Descriptions.Item>
          <Descriptions.Item label={t('retention.recordDays')}>
            {t('retention.days', { n: settings.recordDays })}
          </Descriptions.Item>
          {datasets.map(([code, days]) => (
            <Descriptions.Item key={code} label={`${t('retention.datasetDays')}：${code}`}>
              {t('retention.days', { n: days })}
            </Descriptions.Item>
          ))}
          <Descriptions.Item label={t('retention.closedCaseDays')}>
            {t('retention.days', { n: settings.closedCaseDays })}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('retention.note')}
        </Typography.Paragraph>
      </Card>
      <Card title={t('retention.runs')}>
        <Table rowKey="id" size="small" columns={columns} dataSource={runs} pagination={false} />
      </Card>
    </Space>
  );
}
