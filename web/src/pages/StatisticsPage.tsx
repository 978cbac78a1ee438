import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { lazy, type ReactNode, Suspense, useCallback, useState } from 'react';
import { ASSISTANCE_TYPES } from '../api/policy';
import {
  type StatisticsChart as ChartKey,
  type DepartmentFigures,
  type Distribution,
  exportStatisticsChart,
  getStatistics,
  type Statistics,
  type StatisticsQuery,
} from '../api/statistics';
import { LoadFailed } from '../components/LoadFailed';
import { RegionTreeSelect } from '../components/RegionTreeSelect';
import { ASSISTANCE_TYPE_LABEL } from '../domain/policy';
import { useAsync } from '../hooks/useAsync';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { EMPTY, toDateString } from '../utils/datetime';

// ECharts is the heaviest part of this screen; it loads while the figures already show.
const StatisticsChart = lazy(() =>
  import('../components/StatisticsChart').then((m) => ({ default: m.StatisticsChart })),
);

function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

function formatRate(rate: number | null): string {
  return rate === null ? EMPTY : `${(rate * 100).toFixed(1)}%`;
}

/** 统计分析: case, appeal, department, household and recheck figures; a city's counties side by side. */
export function StatisticsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [query, setQuery] = useState<StatisticsQuery>({});
  const [exporting, setExporting] = useState<ChartKey | null>(null);
  const load = useCallback(() => getStatistics(query), [query]);
  const { state, reload } = useAsync(load);

  const onPeriod = (values: [Dayjs | null, Dayjs | null] | null) => {
    const [from, to] = values ?? [null, null];
    const { from: _f, to: _t, ...rest } = query;
    setQuery({
      ...rest,
      ...(from ? { from: toDateString(from) } : {}),
      ...(to ? { to: toDateString(to) } : {}),
    });
  };
  const set = (key: 'regionCode' | 'assistanceType', value: string | undefined) => {
    const { [key]: _old, ...rest } = query;
    setQuery(value === undefined ? rest : { ...rest, [key]: value });
  };

  const download = async (chart: ChartKey) => {
    setExporting(chart);
    try {
      const name = await exportStatisticsChart(query, chart);
      message.success(t('statistics.exported', { name }));
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(null);
    }
  };

  const card: CardOf = (chart, body, options = {}) => (
    <Card
      size="small"
      title={t(options.title ?? `statistics.chart.${chart}`)}
      data-testid={`statistics-card-${options.id ?? chart}`}
      extra={
        <Space>
          {options.extra}
          <Button
            size="small"
            icon={<DownloadOutlined />}
            loading={exporting === chart}
            onClick={() => void download(chart)}
            data-testid={`statistics-export-${options.id ?? chart}`}
          >
            {t('statistics.exportXlsx')}
          </Button>
        </Space>
      }
    >
      <Suspense fallback={<Spin />}>{body}</Suspense>
    </Card>
  );

  const filterBar = (
    <Flex wrap="wrap" gap={8} align="center" data-testid="statistics-filters">
      <div style={{ minWidth: 240 }}>
        <RegionTreeSelect value={query.regionCode} onChange={(value) => set('regionCode', value)} />
      </div>
      <Select
        allowClear
        style={{ minWidth: 200 }}
        placeholder={t('statistics.allAssistanceTypes')}
        value={query.assistanceType}
        onChange={(value?: string) => set('assistanceType', value)}
        options={ASSISTANCE_TYPES.map((type) => ({ value: type, label: t(ASSISTANCE_TYPE_LABEL[type]) }))}
        data-testid="statistics-assistance-type"
      />
      <DatePicker.RangePicker onChange={onPeriod} data-testid="statistics-period" />
      <Button icon={<ReloadOutlined />} onClick={() => setQuery({})}>
        {t('statistics.reset')}
      </Button>
    </Flex>
  );

  let content: ReactNode;
  if (state.status === 'failed') content = <LoadFailed error={state.error} onRetry={() => void reload()} />;
  else if (state.status === 'loading')
    content = <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  else content = <Dashboard s={state.value} card={card} />;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="statistics-page">
      <Flex justify="space-between" align="center" wrap="wrap" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('statistics.title')}
        </Typography.Title>
        {state.status === 'ready' && (
          <Typography.Text type="secondary">
            {t('statistics.asOf', {
              from: state.value.period.from,
              to: state.value.period.to,
              today: state.value.today,
            })}
          </Typography.Text>
        )}
      </Flex>
      {filterBar}
      {content}
    </Space>
  );
}

type CardOf = (
  chart: ChartKey,
  body: ReactNode,
  options?: { extra?: ReactNode; title?: MessageKey; id?: string },
) => ReactNode;

function Dashboard({ s, card }: { s: Statistics; card: CardOf }) {
  const { t } = useI18n();
  const counties = s.cases.counties.map((c) => c.countyName);
  const total = s.cases.total;
  const distribution = (pick: (d: Distribution) => { label: string; count: number }[]) => {
    const labels = pick(s.households.total).map((b) => b.label);
    const series =
      s.households.counties.length > 1
        ? s.households.counties.map((c) => ({ name: c.countyName, data: pick(c).map((b) => b.count) }))
        : [{ name: t('statistics.households'), data: pick(s.households.total).map((b) => b.count) }];
    return { labels, series };
  };
  const income = distribution((d) => d.income);
  const noHouseholds = s.households.total.households === 0;
  const pie = (testId: string, slices: { name: string; value: number }[]) =>
    noHouseholds ? (
      <Empty description={t('statistics.noHouseholds')} />
    ) : (
      <StatisticsChart kind="pie" testId={testId} slices={slices} />
    );
  const deposits = distribution((d) => d.deposits);

  const departmentColumns: TableColumnsType<DepartmentFigures> = [
    { title: t('statistics.department'), dataIndex: 'departmentName' },
    { title: t('statistics.due'), dataIndex: 'due', align: 'right' },
    { title: t('statistics.deliveredOnTime'), dataIndex: 'onTime', align: 'right' },
    { title: t('statistics.deliveredLate'), dataIndex: 'late', align: 'right' },
    { title: t('statistics.missing'), dataIndex: 'missing', align: 'right' },
    {
      title: t('statistics.timeliness'),
      dataIndex: 'onTimeRate',
      render: (v: number | null) => formatRate(v),
    },
    { title: t('statistics.batches'), dataIndex: 'batches', align: 'right' },
    {
      title: t('statistics.rejectionRate'),
      dataIndex: 'rejectionRate',
      render: (v: number | null) => formatRate(v),
    },
    {
      title: t('statistics.duplicateRate'),
      dataIndex: 'duplicateRate',
      render: (v: number | null) => formatRate(v),
    },
    {
      title: t('statistics.unmatchedRate'),
      dataIndex: 'unmatchedRate',
      render: (v: number | null) => formatRate(v),
    },
  ];
  const departmentsDue = s.departments.filter((d) => d.due > 0 || d.batches > 0);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        {(
          [
            ['statistics.received', total.received],
            ['statistics.accepted', total.accepted],
            ['statistics.completed', total.completed],
            ['statistics.onTimeRate', formatRate(total.onTimeRate)],
            ['statistics.averageWorkdays', total.averageWorkdaysToReport ?? EMPTY],
            ['statistics.appeals', total.appeals],
          ] as const
        ).map(([key, value]) => (
          <Col xs={12} md={8} lg={4} key={key}>
            <Card size="small">
              <Statistic title={t(key)} value={value} data-testid={`statistics-total-${key.split('.')[1]}`} />
            </Card>
          </Col>
        ))}
      </Row>

      {card(
        'cases',
        <StatisticsChart
          kind="bar"
          testId="statistics-chart-cases"
          categories={counties}
          series={[
            { name: t('statistics.received'), data: s.cases.counties.map((c) => c.received) },
            { name: t('statistics.accepted'), data: s.cases.counties.map((c) => c.accepted) },
            { name: t('statistics.completed'), data: s.cases.counties.map((c) => c.completed) },
            { name: t('statistics.extensions'), data: s.cases.counties.map((c) => c.extensions) },
            { name: t('statistics.suspensions'), data: s.cases.counties.map((c) => c.suspensions) },
          ]}
        />,
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {card(
            'cases',
            <>
              <StatisticsChart
                kind="bar"
                percent
                testId="statistics-chart-on-time"
                categories={counties}
                series={[
                  {
                    name: t('statistics.onTimeRate'),
                    data: s.cases.counties.map((c) => percent(c.onTimeRate)),
                  },
                ]}
              />
              <Typography.Text type="secondary" data-testid="statistics-average-workdays">
                {t('statistics.averageWorkdays')}：
                {s.cases.counties
                  .map((c) => `${c.countyName} ${c.averageWorkdaysToReport ?? EMPTY}`)
                  .join('，')}
              </Typography.Text>
            </>,
            { id: 'on-time', title: 'statistics.chart.onTime' },
          )}
        </Col>
        <Col xs={24} lg={12}>
          {card(
            'appeals',
            <StatisticsChart
              kind="bar"
              testId="statistics-chart-appeals"
              categories={counties}
              series={[
                { name: t('statistics.appeals'), data: s.cases.counties.map((c) => c.appeals) },
                { name: t('statistics.reviewsDone'), data: s.cases.counties.map((c) => c.reviewsDone) },
                { name: t('statistics.reviewsChanged'), data: s.cases.counties.map((c) => c.reviewsChanged) },
                {
                  name: t('statistics.reviewsUnchanged'),
                  data: s.cases.counties.map((c) => c.reviewsUnchanged),
                },
              ]}
            />,
          )}
        </Col>
      </Row>

      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('statistics.householdsTitle', { n: s.households.total.households })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {card(
            'income',
            <StatisticsChart
              kind="bar"
              testId="statistics-chart-income"
              categories={income.labels}
              series={income.series}
            />,
          )}
        </Col>
        <Col xs={24} lg={12}>
          {card(
            'deposits',
            <StatisticsChart
              kind="bar"
              testId="statistics-chart-deposits"
              categories={deposits.labels}
              series={deposits.series}
            />,
          )}
        </Col>
        <Col xs={24} lg={12}>
          {card(
            'vehicles',
            pie(
              'statistics-chart-vehicles',
              s.households.total.vehicles.map((b) => ({
                name: t('statistics.vehiclesCount', { n: b.label }),
                value: b.count,
              })),
            ),
          )}
        </Col>
        <Col xs={24} lg={12}>
          {card(
            'realEstate',
            pie(
              'statistics-chart-real-estate',
              s.households.total.realEstate.map((b) => ({
                name: t('statistics.realEstateCount', { n: b.label }),
                value: b.count,
              })),
            ),
          )}
        </Col>
      </Row>

      {card(
        'departments',
        <Space direction="vertical" style={{ width: '100%' }}>
          <StatisticsChart
            kind="bar"
            percent
            testId="statistics-chart-departments"
            categories={departmentsDue.map((d) => d.departmentName)}
            series={[
              { name: t('statistics.timeliness'), data: departmentsDue.map((d) => percent(d.onTimeRate)) },
              {
                name: t('statistics.rejectionRate'),
                data: departmentsDue.map((d) => percent(d.rejectionRate)),
              },
            ]}
          />
          <Table
            size="small"
            rowKey="departmentCode"
            columns={departmentColumns}
            dataSource={departmentsDue}
            pagination={false}
            scroll={{ x: true }}
          />
        </Space>,
      )}

      {s.recheck.available ? (
        card(
          'recheck',
          <StatisticsChart
            kind="bar"
            testId="statistics-chart-recheck"
            categories={s.recheck.counties.map((c) => c.countyName)}
            series={[
              {
                name: t('statistics.familiesRechecked'),
                data: s.recheck.counties.map((c) => c.familiesRechecked),
              },
              {
                name: t('statistics.familiesChanged'),
                data: s.recheck.counties.map((c) => c.familiesChanged),
              },
              ...Object.entries(s.labels.changeKinds).map(([kind, label]) => ({
                name: label,
                data: s.recheck.available ? s.recheck.counties.map((c) => c.changesByKind[kind] ?? 0) : [],
              })),
              { name: t('statistics.alertsWorked'), data: s.recheck.counties.map((c) => c.alertsWorked) },
              { name: t('statistics.alertsOpen'), data: s.recheck.counties.map((c) => c.alertsOpen) },
            ]}
          />,
        )
      ) : (
        <Alert type="info" showIcon message={t('statistics.chart.recheck')} description={s.recheck.message} />
      )}
    </Space>
  );
}
