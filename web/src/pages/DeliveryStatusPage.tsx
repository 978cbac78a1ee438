import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Card, Col, Flex, Input, Row, Select, Spin, Statistic, Switch, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { getDeliveryStatus } from '../api/delivery';
import type { DeliveryStatusItem } from '../api/types';
import { FrequencyTag, OverdueTags } from '../components/DataTags';
import { LoadFailed } from '../components/LoadFailed';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n';
import { EMPTY, formatDate, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

function matches(item: DeliveryStatusItem, keyword: string): boolean {
  const needle = keyword.trim().toLowerCase();
  return [item.datasetName, item.dataset, item.departmentName, item.departmentCode].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

export function DeliveryStatusPage() {
  const { t } = useI18n();
  const { state, reload } = useAsync(getDeliveryStatus);
  const [keyword, setKeyword] = useState('');
  const [department, setDepartment] = useState<string | undefined>(undefined);
  const [onlyOverdue, setOnlyOverdue] = useState(false);

  const items = useMemo(() => (state.status === 'ready' ? state.value.items : []), [state]);
  const departments = useMemo(() => {
    const names = new Map<string, string>();
    for (const item of items) names.set(item.departmentCode, item.departmentName);
    return [...names].map(([value, label]) => ({ value, label }));
  }, [items]);

  if (state.status === 'loading') {
    return (
      <Flex justify="center" style={{ padding: 64 }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (state.status === 'failed') {
    return <LoadFailed error={state.error} onRetry={() => void reload()} testId="delivery-status-failed" />;
  }

  const rows = items.filter(
    (item) =>
      (!keyword.trim() || matches(item, keyword)) &&
      (!department || item.departmentCode === department) &&
      (!onlyOverdue || item.overdue.length > 0),
  );
  const overdueDatasets = items.filter((item) => item.overdue.length > 0).length;
  const overduePeriods = items.reduce((sum, item) => sum + item.overdue.length, 0);
  const neverDelivered = items.filter((item) => item.latestPeriod === null).length;

  const columns: ProColumns<DeliveryStatusItem>[] = [
    {
      title: t('delivery.dataset'),
      dataIndex: 'datasetName',
      width: 170,
      render: (_, item) => (
        <Flex vertical>
          <Typography.Text strong>{item.datasetName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.dataset}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('delivery.department'), dataIndex: 'departmentName', width: 120 },
    {
      title: t('delivery.frequency'),
      dataIndex: 'frequency',
      width: 110,
      render: (_, item) => (
        <Flex vertical align="flex-start" gap={2}>
          <FrequencyTag frequency={item.frequency} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('delivery.dueRuleValue', { day: item.dueDay })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('delivery.latestPeriod'),
      dataIndex: 'latestPeriod',
      width: 130,
      render: (_, item) =>
        item.latestPeriod ? (
          <Flex vertical>
            <span>{item.latestPeriod}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('delivery.asOfShort', { date: formatDate(item.dataAsOf) })}
            </Typography.Text>
          </Flex>
        ) : (
          <Typography.Text type="warning">{t('myData.never')}</Typography.Text>
        ),
    },
    {
      title: t('delivery.lastDelivered'),
      dataIndex: 'lastDeliveredAt',
      width: 110,
      render: (_, item) =>
        item.lastDeliveredAt ? (
          <Tooltip title={formatDateTime(item.lastDeliveredAt)}>
            <span>{formatDate(item.lastDeliveredAt)}</span>
          </Tooltip>
        ) : (
          EMPTY
        ),
    },
    {
      title: t('delivery.nextDue'),
      key: 'nextDue',
      width: 130,
      render: (_, item) =>
        item.nextDue ? (
          <Flex vertical>
            <span>{item.nextDue.period}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('delivery.dueBy', { date: item.nextDue.dueDate })}
            </Typography.Text>
          </Flex>
        ) : (
          EMPTY
        ),
    },
    {
      title: t('delivery.overdue'),
      key: 'overdue',
      sorter: (a, b) => a.overdue.length - b.overdue.length,
      render: (_, item) => <OverdueTags overdue={item.overdue} testId={`overdue-${item.dataset}`} max={2} />,
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="delivery-status">
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic title={t('delivery.datasets')} value={items.length} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('delivery.overdueDatasets')}
              value={overdueDatasets}
              valueStyle={overdueDatasets > 0 ? { color: '#cf1322' } : undefined}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('delivery.overduePeriods')}
              value={overduePeriods}
              valueStyle={overduePeriods > 0 ? { color: '#cf1322' } : undefined}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic title={t('delivery.neverDelivered')} value={neverDelivered} />
          </Card>
        </Col>
      </Row>
      <ProTable<DeliveryStatusItem>
        rowKey="dataset"
        headerTitle={
          <Flex vertical>
            <span>{t('delivery.title')}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {t('delivery.today', { date: state.value.today })}
            </Typography.Text>
          </Flex>
        }
        columns={columns}
        dataSource={rows}
        search={false}
        scroll={{ x: 1100 }}
        pagination={false}
        options={{ reload: () => void reload(), density: false, setting: false }}
        onRow={(item) => withTestId(`status-row-${item.dataset}`, {})}
        toolBarRender={() => [
          <Input.Search
            key="search"
            allowClear
            placeholder={t('delivery.searchPlaceholder')}
            onSearch={setKeyword}
            style={{ width: 220 }}
          />,
          <Select
            key="department"
            allowClear
            placeholder={t('delivery.allDepartments')}
            options={departments}
            value={department}
            onChange={setDepartment}
            style={{ width: 200 }}
          />,
          <Flex key="overdue" align="center" gap={8}>
            <Switch checked={onlyOverdue} onChange={setOnlyOverdue} data-testid="status-only-overdue" />
            <span>{t('delivery.onlyOverdue')}</span>
          </Flex>,
        ]}
      />
    </Flex>
  );
}
