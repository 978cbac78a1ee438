import {
  Card,
  Col,
  Empty,
  Flex,
  Progress,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useMemo, useState } from 'react';
import { getQuality } from '../api/delivery';
import type { DatasetQuality, DepartmentQuality, QualityFigures } from '../api/types';
import { LoadFailed } from '../components/LoadFailed';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime } from '../utils/datetime';

// ECharts is the heaviest part of this screen; it loads while the scorecards already show.
const QualityTrendChart = lazy(() =>
  import('../components/QualityTrendChart').then((m) => ({ default: m.QualityTrendChart })),
);

const GOOD = '#389e0d';
const FAIR = '#d48806';
const POOR = '#cf1322';

function formatRate(rate: number | null): string {
  return rate === null ? EMPTY : `${(rate * 100).toFixed(1)}%`;
}

function rejectionRate(figures: QualityFigures): number | null {
  return figures.batches > 0 ? figures.rejected / figures.batches : null;
}

/** Colour of a rate where less is better (rejections, duplicates, unmatched IDs). */
function lowIsGood(rate: number, fair: number, poor: number): string {
  return rate >= poor ? POOR : rate >= fair ? FAIR : GOOD;
}

function RateBar({
  label,
  rate,
  color,
  hint,
}: {
  label: string;
  rate: number | null;
  color: string;
  hint?: string;
}) {
  return (
    <div>
      <Flex justify="space-between">
        <Tooltip title={hint}>
          <Typography.Text type="secondary">{label}</Typography.Text>
        </Tooltip>
        <Typography.Text strong>{formatRate(rate)}</Typography.Text>
      </Flex>
      <Progress
        percent={rate === null ? 0 : Math.min(100, rate * 100)}
        showInfo={false}
        size="small"
        strokeColor={color}
        status="normal"
      />
    </div>
  );
}

function Scorecard({
  department,
  selected,
  onSelect,
}: {
  department: DepartmentQuality;
  selected: boolean;
  onSelect: () => void;
}) {
  const { t } = useI18n();
  const rejection = rejectionRate(department);
  return (
    <Card
      hoverable
      size="small"
      title={department.departmentName}
      onClick={onSelect}
      data-testid={`quality-dept-${department.departmentCode}`}
      style={selected ? { borderColor: '#1a5fb4', boxShadow: '0 0 0 1px #1a5fb4' } : undefined}
      extra={selected ? <Typography.Text type="secondary">{t('quality.selected')}</Typography.Text> : null}
    >
      <Row gutter={8} style={{ marginBottom: 8 }}>
        <Col span={8}>
          <Statistic title={t('quality.batches')} value={department.batches} />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('quality.rejected')}
            value={department.rejected}
            valueStyle={department.rejected > 0 ? { color: POOR } : undefined}
          />
        </Col>
        <Col span={8}>
          <Statistic title={t('quality.rowsStored')} value={department.rowsStored} />
        </Col>
      </Row>
      <Row gutter={[16, 4]}>
        <Col span={12}>
          <RateBar
            label={t('quality.rejectionRate')}
            rate={rejection}
            color={rejection === null ? GOOD : lowIsGood(rejection, 0.1, 0.3)}
          />
        </Col>
        <Col span={12}>
          <RateBar
            label={t('quality.onTimeRate')}
            rate={department.onTimeRate}
            color={
              department.onTimeRate === null
                ? GOOD
                : department.onTimeRate >= 0.9
                  ? GOOD
                  : department.onTimeRate >= 0.7
                    ? FAIR
                    : POOR
            }
          />
        </Col>
        <Col span={12}>
          <RateBar
            label={t('quality.duplicateRate')}
            rate={department.duplicateRate}
            color={department.duplicateRate === null ? GOOD : lowIsGood(department.duplicateRate, 0.01, 0.05)}
          />
        </Col>
        <Col span={12}>
          <RateBar
            label={t('quality.unmatchedRate')}
            rate={department.unmatchedRate}
            hint={t('quality.unmatchedHint')}
            color={department.unmatchedRate === null ? GOOD : lowIsGood(department.unmatchedRate, 0.02, 0.1)}
          />
        </Col>
      </Row>
    </Card>
  );
}

function DatasetTable({ department }: { department: DepartmentQuality }) {
  const { t } = useI18n();
  const columns: ColumnsType<DatasetQuality> = [
    {
      title: t('quality.dataset'),
      dataIndex: 'datasetName',
      render: (_, row) => (
        <Flex vertical>
          <span>{row.datasetName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.dataset}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('quality.batches'),
      dataIndex: 'batches',
      align: 'right',
      sorter: (a, b) => a.batches - b.batches,
    },
    { title: t('quality.committed'), dataIndex: 'committed', align: 'right' },
    {
      title: t('quality.rejected'),
      dataIndex: 'rejected',
      align: 'right',
      render: (value: number) => (value > 0 ? <Typography.Text type="danger">{value}</Typography.Text> : 0),
    },
    {
      title: t('quality.rejectionRate'),
      key: 'rejectionRate',
      align: 'right',
      render: (_, row) => formatRate(rejectionRate(row)),
    },
    { title: t('quality.rowsStored'), dataIndex: 'rowsStored', align: 'right' },
    {
      title: t('quality.duplicateRate'),
      dataIndex: 'duplicateRate',
      align: 'right',
      render: (rate: number | null) => formatRate(rate),
    },
    {
      title: t('quality.unmatchedRate'),
      dataIndex: 'unmatchedRate',
      align: 'right',
      render: (rate: number | null) => formatRate(rate),
    },
    {
      title: t('quality.onTimeRate'),
      dataIndex: 'onTimeRate',
      align: 'right',
      render: (rate: number | null) => formatRate(rate),
    },
    {
      title: t('quality.lastRejection'),
      dataIndex: 'lastRejection',
      render: (_, row) =>
        row.lastRejection
          ? t('quality.lastRejectionValue', {
              time: formatDateTime(row.lastRejection.at),
              count: row.lastRejection.errorCount,
              id: row.lastRejection.batchId,
            })
          : EMPTY,
    },
  ];
  return (
    <Table<DatasetQuality>
      size="small"
      rowKey="dataset"
      columns={columns}
      dataSource={department.datasets}
      pagination={false}
      scroll={{ x: 1000 }}
      data-testid="quality-datasets"
    />
  );
}

export function QualityPage() {
  const { t } = useI18n();
  const { state, reload } = useAsync(getQuality);
  const [chosen, setChosen] = useState<string | null>(null);

  // Departments that delivered anything come first; the others keep the server's order after them.
  const departments = useMemo(() => {
    const all = state.status === 'ready' ? state.value.departments : [];
    return [...all.filter((d) => d.batches > 0), ...all.filter((d) => d.batches === 0)];
  }, [state]);

  if (state.status === 'loading') {
    return (
      <Flex justify="center" style={{ padding: 64 }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (state.status === 'failed') {
    return <LoadFailed error={state.error} onRetry={() => void reload()} testId="quality-failed" />;
  }
  if (departments.length === 0) {
    return (
      <Card data-testid="quality">
        <Empty description={t('quality.empty')} />
      </Card>
    );
  }

  const selected = departments.find((department) => department.departmentCode === chosen) ?? departments[0];
  const totals = departments.reduce(
    (sum, department) => ({
      batches: sum.batches + department.batches,
      rejected: sum.rejected + department.rejected,
      rowsStored: sum.rowsStored + department.rowsStored,
    }),
    { batches: 0, rejected: 0, rowsStored: 0 },
  );

  return (
    <Flex vertical gap={16} data-testid="quality">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('quality.title')}
        </Typography.Title>
        <Flex gap={24} wrap>
          <Statistic title={t('quality.departments')} value={departments.length} />
          <Statistic title={t('quality.batches')} value={totals.batches} />
          <Statistic
            title={t('quality.rejected')}
            value={totals.rejected}
            valueStyle={totals.rejected > 0 ? { color: POOR } : undefined}
          />
          <Statistic title={t('quality.rowsStored')} value={totals.rowsStored} />
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        {departments.map((department) => (
          <Col key={department.departmentCode} xs={24} md={12} xl={8} xxl={6}>
            <Scorecard
              department={department}
              selected={department.departmentCode === selected?.departmentCode}
              onSelect={() => setChosen(department.departmentCode)}
            />
          </Col>
        ))}
      </Row>
      {selected && (
        <>
          <Card
            title={t('quality.trend', { department: selected.departmentName })}
            extra={
              <Select
                value={selected.departmentCode}
                onChange={setChosen}
                style={{ width: 240 }}
                options={departments.map((department) => ({
                  value: department.departmentCode,
                  label: department.departmentName,
                }))}
                data-testid="quality-department"
              />
            }
          >
            {selected.trend.length > 0 ? (
              <Suspense
                fallback={
                  <Flex justify="center" style={{ height: 320 }} align="center">
                    <Spin />
                  </Flex>
                }
              >
                <QualityTrendChart trend={selected.trend} />
              </Suspense>
            ) : (
              <Empty description={t('quality.noData')} />
            )}
          </Card>
          <Card title={t('quality.datasets', { department: selected.departmentName })}>
            <DatasetTable department={selected} />
          </Card>
        </>
      )}
    </Flex>
  );
}
