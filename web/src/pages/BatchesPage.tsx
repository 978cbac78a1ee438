import { CloudUploadOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { downloadErrorReport, listBatches } from '../api/batches';
import { listDatasets } from '../api/datasets';
import { BATCH_STATUSES, type Batch, type BatchStatus } from '../api/types';
import { useMe } from '../auth/session';
import { BatchDrawer } from '../components/BatchDrawer';
import { BatchStatusTag } from '../components/DataTags';
import { RetractBatchModal } from '../components/RetractBatchModal';
import { canManageBatches } from '../domain/access';
import { useAsync } from '../hooks/useAsync';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDate, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

interface BatchSearch {
  dataset?: string;
  status?: BatchStatus;
}

function isBatchStatus(value: unknown): value is BatchStatus {
  return typeof value === 'string' && (BATCH_STATUSES as readonly string[]).includes(value);
}

export function BatchesPage() {
  const { t, label } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const actionRef = useRef<ActionType>(undefined);
  const manage = canManageBatches(me.roles);
  const { state: catalog } = useAsync(listDatasets);
  const [viewing, setViewing] = useState<number | null>(null);
  const [retracting, setRetracting] = useState<Batch | null>(null);

  const datasets = useMemo(() => (catalog.status === 'ready' ? catalog.value : []), [catalog]);
  const departments = useMemo(
    () => new Map(datasets.map((dataset) => [dataset.departmentCode, dataset.departmentName])),
    [datasets],
  );
  const departmentName = useCallback((code: string) => departments.get(code) ?? code, [departments]);

  const reload = () => actionRef.current?.reload();

  const downloadReport = async (batch: Batch) => {
    try {
      const name = await downloadErrorReport(batch.id);
      message.success(t('myData.templateSaved', { name }));
    } catch (error) {
      notifyError(error);
    }
  };

  const columns: ProColumns<Batch>[] = [
    { title: t('batch.id'), dataIndex: 'id', width: 80, hideInSearch: true },
    {
      title: t('batch.dataset'),
      dataIndex: 'dataset',
      valueType: 'select',
      width: 150,
      fieldProps: {
        showSearch: true,
        optionFilterProp: 'label',
        options: datasets.map((dataset) => ({
          value: dataset.code,
          label: manage ? dataset.name : `${dataset.name}（${dataset.departmentName}）`,
        })),
        'data-testid': 'batch-search-dataset',
      },
      render: (_, batch) => (
        <Tooltip title={batch.dataset}>
          <span>{batch.datasetName}</span>
        </Tooltip>
      ),
    },
    { title: t('batch.period'), dataIndex: 'period', width: 100, hideInSearch: true },
    {
      title: t('batch.kind'),
      dataIndex: 'kind',
      width: 110,
      hideInSearch: true,
      render: (_, batch) =>
        batch.kind === 'unidentified' ? (
          <Tooltip
            title={`${t('batch.nearbyIdRows')} ${batch.nearbyIdRows ?? 0} · ${t('batch.nameBirthRows')} ${batch.nameBirthRows ?? 0}`}
          >
            <Tag color="orange" data-testid={`batch-kind-${batch.id}`}>
              {t('batchKind.unidentified')}
            </Tag>
          </Tooltip>
        ) : (
          t('batchKind.main')
        ),
    },
    {
      title: t('batch.department'),
      dataIndex: 'departmentCode',
      hideInSearch: true,
      hideInTable: manage,
      width: 140,
      render: (_, batch) => departmentName(batch.departmentCode),
    },
    {
      title: t('batch.fileName'),
      dataIndex: 'fileName',
      width: 200,
      hideInSearch: true,
      ellipsis: { showTitle: false },
      render: (_, batch) => (
        <Tooltip
          title={`${label('batchSource', batch.source)}${batch.fileName ? `：${batch.fileName}` : ''}`}
        >
          <span>{batch.fileName ?? label('batchSource', batch.source)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('batch.rows'),
      key: 'rows',
      width: 120,
      hideInSearch: true,
      align: 'right',
      render: (_, batch) => (
        <Tooltip title={t('batch.rowsTooltip', { read: batch.rowsRead, stored: batch.rowsStored })}>
          <span>
            {batch.rowsStored} / {batch.rowsRead}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('batch.errorCount'),
      dataIndex: 'errorCount',
      width: 80,
      hideInSearch: true,
      align: 'right',
      render: (_, batch) =>
        batch.errorCount > 0 ? <Typography.Text type="danger">{batch.errorCount}</Typography.Text> : 0,
    },
    {
      title: t('batch.status'),
      dataIndex: 'status',
      valueType: 'select',
      width: 100,
      fieldProps: {
        options: BATCH_STATUSES.map((status) => ({ value: status, label: label('batchStatus', status) })),
        'data-testid': 'batch-search-status',
      },
      render: (_, batch) => <BatchStatusTag status={batch.status} id={batch.id} />,
    },
    {
      title: t('batch.dataAsOf'),
      dataIndex: 'dataAsOf',
      width: 110,
      hideInSearch: true,
      render: (_, batch) => formatDate(batch.dataAsOf),
    },
    {
      title: t('batch.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      hideInSearch: true,
      render: (_, batch) => formatDateTime(batch.createdAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: manage ? 200 : 80,
      hideInSearch: true,
      fixed: 'right',
      render: (_, batch) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            onClick={() => setViewing(batch.id)}
            data-testid={`batch-detail-${batch.id}`}
          >
            {t('common.details')}
          </Button>
          {manage && batch.hasErrorReport && (
            <Button
              type="link"
              size="small"
              onClick={() => void downloadReport(batch)}
              data-testid={`batch-report-${batch.id}`}
            >
              {t('batch.errorReport')}
            </Button>
          )}
          {manage && batch.status === 'committed' && (
            <Button
              type="link"
              size="small"
              danger
              onClick={() => setRetracting(batch)}
              data-testid={`batch-retract-${batch.id}`}
            >
              {t('batch.retract')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <ProTable<Batch, BatchSearch>
        rowKey="id"
        actionRef={actionRef}
        headerTitle={t('batch.title')}
        columns={columns}
        search={{ labelWidth: 'auto' }}
        scroll={{ x: manage ? 1310 : 1430 }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        onRow={(batch) => withTestId(`batch-row-${batch.id}`, {})}
        request={async (params) => {
          try {
            const page = await listBatches({
              dataset: params.dataset || undefined,
              status: isBatchStatus(params.status) ? params.status : undefined,
              page: params.current ?? 1,
              pageSize: params.pageSize ?? 20,
            });
            return { data: page.items, total: page.total, success: true };
          } catch (error) {
            notifyError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() =>
          manage
            ? [
                <Button
                  key="upload"
                  type="primary"
                  icon={<CloudUploadOutlined />}
                  onClick={() => navigate('/data/upload')}
                  data-testid="batches-upload"
                >
                  {t('myData.upload')}
                </Button>,
              ]
            : []
        }
      />
      {viewing !== null && (
        <BatchDrawer
          batchId={viewing}
          departmentName={departmentName}
          manage={manage}
          onDownloadReport={(batch) => void downloadReport(batch)}
          onChanged={reload}
          onClose={() => setViewing(null)}
        />
      )}
      {retracting && (
        <RetractBatchModal
          batch={retracting}
          onClose={() => setRetracting(null)}
          onRetracted={() => {
            setRetracting(null);
            reload();
          }}
        />
      )}
    </>
  );
}
