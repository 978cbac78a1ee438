import {
  CloudUploadOutlined,
  DownloadOutlined,
  DownOutlined,
  FileExcelOutlined,
  FileTextOutlined,
  ProfileOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Dropdown,
  Empty,
  Flex,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { downloadTemplate } from '../api/datasets';
import type { Dataset, TemplateFormat } from '../api/types';
import { useMe } from '../auth/session';
import { DatasetColumnsModal } from '../components/DatasetColumnsModal';
import { FrequencyTag, OverdueTags } from '../components/DataTags';
import { LoadFailed } from '../components/LoadFailed';
import { type DepartmentDataset, useDepartmentDatasets } from '../hooks/useDepartmentDatasets';
import { describeError, useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDate, formatDateTime } from '../utils/datetime';

function DatasetCard({
  item,
  onColumns,
}: {
  item: DepartmentDataset;
  onColumns: (dataset: Dataset) => void;
}) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const navigate = useNavigate();
  const [downloading, setDownloading] = useState<TemplateFormat | null>(null);
  const { dataset, status } = item;

  const download = async (format: TemplateFormat) => {
    setDownloading(format);
    try {
      const name = await downloadTemplate(dataset.code, format);
      message.success(t('myData.templateSaved', { name }));
    } catch (error) {
      notifyError(error);
    } finally {
      setDownloading(null);
    }
  };

  const overdue = status?.overdue ?? [];
  return (
    <Card
      data-testid={`dataset-card-${dataset.code}`}
      title={
        <Space size={8} wrap>
          <span>{dataset.name}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {dataset.code}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space size={0}>
          <FrequencyTag frequency={status?.frequency ?? dataset.frequency} />
          <Tag>{label('datasetKind', dataset.kind)}</Tag>
        </Space>
      }
      style={overdue.length > 0 ? { borderColor: '#ff7875' } : undefined}
      actions={[
        <Dropdown
          key="template"
          trigger={['click']}
          menu={{
            items: [
              {
                key: 'xlsx',
                icon: <FileExcelOutlined />,
                label: t('myData.templateXlsx'),
                'data-testid': `template-xlsx-${dataset.code}`,
              },
              {
                key: 'csv',
                icon: <FileTextOutlined />,
                label: t('myData.templateCsv'),
                'data-testid': `template-csv-${dataset.code}`,
              },
            ],
            onClick: ({ key }) => void download(key === 'csv' ? 'csv' : 'xlsx'),
          }}
        >
          <Button
            type="link"
            icon={<DownloadOutlined />}
            loading={downloading !== null}
            data-testid={`template-${dataset.code}`}
          >
            {t('myData.downloadTemplate')} <DownOutlined style={{ fontSize: 10 }} />
          </Button>
        </Dropdown>,
        <Button
          key="columns"
          type="link"
          icon={<ProfileOutlined />}
          onClick={() => onColumns(dataset)}
          data-testid={`columns-${dataset.code}`}
        >
          {t('myData.columns')}
        </Button>,
        <Button
          key="upload"
          type="link"
          icon={<CloudUploadOutlined />}
          onClick={() => navigate(`/data/upload?dataset=${encodeURIComponent(dataset.code)}`)}
          data-testid={`upload-${dataset.code}`}
        >
          {t('myData.upload')}
        </Button>,
      ]}
    >
      <Descriptions column={1} size="small" styles={{ label: { width: 110 } }}>
        <Descriptions.Item label={t('myData.latestPeriod')}>
          <span data-testid={`latest-period-${dataset.code}`}>
            {status ? (status.latestPeriod ?? t('myData.never')) : EMPTY}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('myData.dataAsOf')}>{formatDate(status?.dataAsOf)}</Descriptions.Item>
        <Descriptions.Item label={t('myData.lastDelivered')}>
          {formatDateTime(status?.lastDeliveredAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('myData.nextDue')}>
          {status?.nextDue ? (
            <span data-testid={`next-due-${dataset.code}`}>
              {t('myData.nextDueValue', { period: status.nextDue.period, date: status.nextDue.dueDate })}
            </span>
          ) : (
            EMPTY
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('myData.overdue')}>
          {status ? <OverdueTags overdue={overdue} testId={`overdue-${dataset.code}`} max={8} /> : EMPTY}
        </Descriptions.Item>
      </Descriptions>
      {status && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('myData.dueRule', { day: status.dueDay })}
        </Typography.Text>
      )}
    </Card>
  );
}

export function MyDataPage() {
  const { t } = useI18n();
  const me = useMe();
  const { state, reload } = useDepartmentDatasets();
  const [columnsOf, setColumnsOf] = useState<Dataset | null>(null);

  if (state.status === 'loading') {
    return (
      <Flex justify="center" style={{ padding: 64 }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;

  const { items, today, statusError } = state.value;
  const overdueCount = items.reduce((sum, item) => sum + (item.status?.overdue.length ?? 0), 0);

  return (
    <Flex vertical gap={16} data-testid="my-data">
      <Flex justify="space-between" align="flex-end" wrap gap={8}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('myData.title')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('myData.subtitle', { department: me.organisation.name })}
          </Typography.Text>
        </div>
        {today && <Typography.Text type="secondary">{t('delivery.today', { date: today })}</Typography.Text>}
      </Flex>
      {statusError !== null && (
        <Alert
          type="warning"
          showIcon
          data-testid="delivery-unavailable"
          message={t('myData.statusUnavailable')}
          description={`${describeError(statusError, t)} ${t('myData.statusUnavailableHint')}`}
        />
      )}
      {overdueCount > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="my-data-overdue"
          message={t('myData.overdueSummary', { n: overdueCount })}
        />
      )}
      {items.length === 0 ? (
        <Card>
          <Empty description={t('myData.empty')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {items.map((item) => (
            <Col key={item.dataset.code} xs={24} xl={12} xxl={8}>
              <DatasetCard item={item} onColumns={setColumnsOf} />
            </Col>
          ))}
        </Row>
      )}
      {columnsOf && <DatasetColumnsModal dataset={columnsOf} onClose={() => setColumnsOf(null)} />}
    </Flex>
  );
}
