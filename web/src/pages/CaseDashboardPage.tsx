import {
  Alert,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { type AgencyPunctuality, type DashboardOpenCase, getCaseDashboard } from '../api/case-dashboard';
import { CASE_STATE_LABELS } from '../api/cases';
import { CASE_STATE_COLOR, DEADLINE_LABEL } from '../components/CaseDeadlines';
import { LoadFailed } from '../components/LoadFailed';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n';
import { EMPTY, parseDate, toDateString } from '../utils/datetime';

// ECharts is the heaviest part of this screen; it loads while the figures already show.
const OnTimeRateChart = lazy(() =>
  import('../components/OnTimeRateChart').then((m) => ({ default: m.OnTimeRateChart })),
);

function formatRate(rate: number | null): string {
  return rate === null ? EMPTY : `${(rate * 100).toFixed(1)}%`;
}

/** Red when due today or overdue, orange with one working day left. */
function leftColor(left: number | null): string | undefined {
  if (left === null) return undefined;
  if (left <= 0) return 'red';
  if (left <= 1) return 'orange';
  return undefined;
}

/** 案件期限看板: cases by state, open cases by working days left, overdue acceptance, on-time rate per agency. */
export function CaseDashboardPage() {
  const { t } = useI18n();
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const load = useCallback(() => getCaseDashboard(period), [period]);
  const { state, reload } = useAsync(load);

  const leftText = (left: number | null) =>
    left === null
      ? t('case.notCounted')
      : left < 0
        ? t('caseDashboard.overdueBy', { n: -left })
        : left === 0
          ? t('caseDashboard.dueToday')
          : t('case.workdaysLeft', { n: left });

  const openColumns: TableColumnsType<DashboardOpenCase> = [
    {
      title: t('case.number'),
      dataIndex: 'number',
      render: (_, row) => (
        <Link to={`/cases/${row.id}`} data-testid={`dashboard-case-${row.id}`}>
          {row.number}
        </Link>
      ),
    },
    { title: t('case.applicant'), dataIndex: 'applicant' },
    {
      title: t('case.state'),
      dataIndex: 'state',
      render: (_, row) => (
        <Tag color={CASE_STATE_COLOR[row.state]}>{CASE_STATE_LABELS[row.state] ?? row.stateLabel}</Tag>
      ),
    },
    {
      title: t('caseDashboard.nextDeadline'),
      dataIndex: 'nextDeadline',
      render: (_, row) => (row.nextDeadline === null ? EMPTY : t(DEADLINE_LABEL[row.nextDeadline])),
    },
    { title: t('caseDashboard.due'), dataIndex: 'due', render: (_, row) => row.due ?? EMPTY },
    {
      title: t('caseDashboard.workdaysLeft'),
      dataIndex: 'workdaysLeft',
      render: (_, row) =>
        row.due === null ? (
          EMPTY
        ) : (
          <Tag color={leftColor(row.workdaysLeft)} data-testid={`dashboard-left-${row.id}`}>
            {leftText(row.workdaysLeft)}
          </Tag>
        ),
    },
    { title: t('caseDashboard.calendarVersion'), dataIndex: 'calendarVersion' },
  ];

  const agencyColumns: TableColumnsType<AgencyPunctuality> = [
    { title: t('caseDashboard.agency'), dataIndex: 'agencyName' },
    {
      title: t('caseDashboard.onTimeRate'),
      dataIndex: 'onTimeRate',
      render: (_, row) => `${formatRate(row.onTimeRate)}（${row.reportedOnTime}/${row.reported}）`,
    },
    {
      title: t('caseDashboard.acceptanceOnTimeRate'),
      dataIndex: 'acceptanceOnTimeRate',
      render: (_, row) => `${formatRate(row.acceptanceOnTimeRate)}（${row.acceptedOnTime}/${row.accepted}）`,
    },
    {
      title: t('caseDashboard.averageWorkdays'),
      dataIndex: 'averageWorkdaysToReport',
      align: 'right',
      render: (_, row) => row.averageWorkdaysToReport ?? EMPTY,
    },
    { title: t('caseDashboard.extensions'), dataIndex: 'extensions', align: 'right' },
    { title: t('caseDashboard.suspensions'), dataIndex: 'suspensions', align: 'right' },
    { title: t('caseDashboard.appeals'), dataIndex: 'appeals', align: 'right' },
  ];

  const onPeriod = (values: [Dayjs | null, Dayjs | null] | null) => {
    const [from, to] = values ?? [null, null];
    setPeriod({
      ...(from ? { from: toDateString(from) } : {}),
      ...(to ? { to: toDateString(to) } : {}),
    });
  };

  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;
  if (state.status === 'loading')
    return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  const d = state.value;
  const nonEmptyStates = d.byState.filter((s) => s.count > 0);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-dashboard-page">
      <Flex justify="space-between" align="center" wrap="wrap" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('caseDashboard.title')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('caseDashboard.asOf', { today: d.today, version: d.calendarVersion })}
        </Typography.Text>
      </Flex>

      <Row gutter={[16, 16]}>
        <Col xs={12} md={6} lg={4}>
          <Card size="small">
            <Statistic title={t('caseDashboard.total')} value={d.total} data-testid="dashboard-total" />
          </Card>
        </Col>
        {nonEmptyStates.map((s) => (
          <Col xs={12} md={6} lg={4} key={s.state}>
            <Card size="small">
              <Statistic
                title={CASE_STATE_LABELS[s.state] ?? s.label}
                value={s.count}
                data-testid={`dashboard-state-${s.state}`}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={6} lg={4}>
          <Card size="small">
            <Statistic
              title={t('caseDashboard.overdueAcceptance')}
              value={d.overdueAcceptance.length}
              valueStyle={d.overdueAcceptance.length > 0 ? { color: '#cf1322' } : undefined}
              data-testid="dashboard-overdue-count"
            />
          </Card>
        </Col>
      </Row>

      {d.overdueAcceptance.length > 0 && (
        <Card
          title={t('caseDashboard.overdueAcceptance')}
          size="small"
          data-testid="dashboard-overdue-acceptance"
        >
          <Alert
            type="error"
            showIcon
            message={t('caseDashboard.overdueAcceptanceHint')}
            style={{ marginBottom: 12 }}
          />
          <Table<DashboardOpenCase>
            rowKey="id"
            size="small"
            columns={openColumns}
            dataSource={d.overdueAcceptance}
            pagination={false}
          />
        </Card>
      )}

      <Card title={t('caseDashboard.openCases')} size="small">
        <Table<DashboardOpenCase>
          rowKey="id"
          size="small"
          columns={openColumns}
          dataSource={d.open}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          locale={{ emptyText: <Empty description={t('caseDashboard.noOpenCases')} /> }}
          data-testid="dashboard-open-cases"
        />
      </Card>

      <Card
        title={t('caseDashboard.punctuality')}
        size="small"
        extra={
          <Space>
            <Typography.Text type="secondary">{t('caseDashboard.period')}</Typography.Text>
            <DatePicker.RangePicker
              value={[parseDate(d.period.from), parseDate(d.period.to)]}
              onChange={(values) => onPeriod(values as [Dayjs | null, Dayjs | null] | null)}
              allowClear={false}
              data-testid="dashboard-period"
            />
          </Space>
        }
      >
        {d.agencies.length === 0 ? (
          <Empty description={t('caseDashboard.noAgencies')} />
        ) : (
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            <Suspense fallback={<Spin />}>
              <OnTimeRateChart agencies={d.agencies} />
            </Suspense>
            <Table<AgencyPunctuality>
              rowKey={(row) => String(row.agencyId)}
              size="small"
              columns={agencyColumns}
              dataSource={d.agencies}
              pagination={false}
              data-testid="dashboard-agencies"
            />
            <Typography.Text type="secondary">{t('caseDashboard.punctualityHint')}</Typography.Text>
          </Space>
        )}
      </Card>
    </Space>
  );
}
