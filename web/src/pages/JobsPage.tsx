import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { getJobs, type JobRun, type JobSchedule, type JobState, retryJob } from '../api/jobs';
import { useAsync } from '../hooks/useAsync';
import { describeError, useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { formatDateTime } from '../utils/datetime';

/** Seconds between refreshes: a retried job is seen moving on without touching the page. */
const REFRESH_SECONDS = 10;

const STATE_COLORS: Record<JobState, string> = {
  created: 'default',
  retry: 'warning',
  active: 'processing',
  completed: 'success',
  cancelled: 'default',
  failed: 'error',
};

/** The platform's jobs by name (src/jobs/jobs.ts); a job without a label shows its name. */
const JOB_LABELS: Readonly<Record<string, MessageKey>> = {
  'deliveries.check': 'jobs.job.deliveries.check',
  'cases.deadlines': 'jobs.job.cases.deadlines',
  'recheck.monthly': 'jobs.job.recheck.monthly',
  'audit.checkpoint': 'jobs.job.audit.checkpoint',
  'retention.purge': 'jobs.job.retention.purge',
  'webhooks.deliver': 'jobs.job.webhooks.deliver',
  'query-interface.retry': 'jobs.job.query-interface.retry',
};

/** 系统管理 → 后台任务: schedules with their next run, recent runs with state, attempts and last error; retry. */
export function JobsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const load = useCallback(async () => {
    const overview = await getJobs();
    setLoadedAt(new Date().toISOString());
    return overview;
  }, []);
  const { state, reload } = useAsync(load);

  useEffect(() => {
    const timer = window.setInterval(() => void reload(), REFRESH_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, [reload]);

  const label = (name: string) => {
    const key = JOB_LABELS[name];
    return key ? (
      <span>
        {t(key)} <Typography.Text type="secondary">{name}</Typography.Text>
      </span>
    ) : (
      name
    );
  };

  const retry = async (job: JobRun) => {
    try {
      await retryJob(job.id);
      message.success(t('jobs.retried'));
      await reload();
    } catch (error) {
      notifyError(error);
    }
  };

  if (state.status === 'loading') return <Card loading />;
  if (state.status === 'failed')
    return <Alert type="error" showIcon message={describeError(state.error, t)} />;
  const { runner, jobs, schedules } = state.value;
  const failed = jobs.filter((job) => job.state === 'failed').length;

  const scheduleColumns: ColumnsType<JobSchedule> = [
    { title: t('jobs.name'), dataIndex: 'name', render: (name: string) => label(name) },
    { title: t('jobs.cron'), dataIndex: 'cron', render: (cron: string) => <code>{cron}</code> },
    { title: t('jobs.nextRunAt'), dataIndex: 'nextRunAt', render: (v: string | null) => formatDateTime(v) },
  ];
  const runColumns: ColumnsType<JobRun> = [
    { title: t('jobs.name'), dataIndex: 'name', render: (name: string) => label(name) },
    {
      title: t('jobs.state'),
      dataIndex: 'state',
      width: 110,
      render: (value: JobState) => <Tag color={STATE_COLORS[value]}>{t(`jobs.state.${value}`)}</Tag>,
    },
    { title: t('jobs.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
    {
      title: t('jobs.lastError'),
      dataIndex: 'lastError',
      ellipsis: true,
      render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—'),
    },
    {
      title: t('jobs.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('jobs.startAfter'),
      dataIndex: 'startAfter',
      width: 170,
      render: (v: string | null) => formatDateTime(v),
    },
    {
      title: t('jobs.completedAt'),
      dataIndex: 'completedAt',
      width: 170,
      render: (v: string | null) => formatDateTime(v),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, job) =>
        job.state === 'failed' ? (
          <Popconfirm title={t('jobs.retryConfirm', { name: job.name })} onConfirm={() => retry(job)}>
            <Button type="link" size="small" data-testid={`job-retry-${job.id}`}>
              {t('jobs.retry')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="jobs-page">
      <Card
        title={t('jobs.title')}
        extra={
          <Space>
            <Typography.Text type="secondary" data-testid="jobs-refreshed">
              {t('jobs.autoRefresh', { n: REFRESH_SECONDS, time: formatDateTime(loadedAt) })}
            </Typography.Text>
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} data-testid="jobs-refresh">
              {t('jobs.refresh')}
            </Button>
          </Space>
        }
      >
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('jobs.runner')}>
            {t(runner === null ? 'jobs.runner.none' : `jobs.runner.${runner}`)}
          </Descriptions.Item>
        </Descriptions>
        {failed > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            message={t('jobs.failedCount', { n: failed })}
            data-testid="jobs-failed"
          />
        )}
      </Card>
      <Card title={t('jobs.schedules')}>
        <Table
          rowKey="name"
          size="small"
          columns={scheduleColumns}
          dataSource={schedules}
          pagination={false}
          data-testid="jobs-schedules"
        />
      </Card>
      <Card title={t('jobs.runs')}>
        <Table
          rowKey="id"
          size="small"
          columns={runColumns}
          dataSource={jobs}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="jobs-runs"
        />
      </Card>
    </Space>
  );
}
