import { DownloadOutlined, InboxOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useCallback, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { listDatasets } from '../api/datasets';
import {
  type AnswerResult,
  answerExchange,
  createExchange,
  listExchanges,
  type OfflineExchange,
  type PersonError,
} from '../api/exchange';
import type { Dataset, RowError } from '../api/types';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { RowErrorTable } from '../components/RowErrorTable';
import { hasAnyRole } from '../domain/access';
import { parsePersons } from '../domain/offline-exchange';
import { useAsync } from '../hooks/useAsync';
import { useExportRequest } from '../hooks/useExportRequest';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime, toDateString, todayInShanghai } from '../utils/datetime';
import { withTestId } from '../utils/testId';

const PAGE_SIZE = 20;

/**
 * 离线比对交换 (C§3): the agency exports the persons to check for a department without data sharing, downloads
 * the workbook, and uploads the department's answer; the department addressed sees and answers its own.
 */
export function OfflineExchangePage() {
  const { t } = useI18n();
  const me = useMe();
  const canExport = hasAnyRole(me.roles, ['agency_staff', 'agency_reviewer']);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [answering, setAnswering] = useState<OfflineExchange | null>(null);

  const load = useCallback(() => listExchanges({ page, pageSize: PAGE_SIZE }), [page]);
  const { state, reload } = useAsync(load);

  const askExport = useExportRequest();
  // Full ID numbers of many persons: a bulk export, asked for and approved first (issue #8 item 4).
  const download = async (exchange: OfflineExchange) => {
    askExport({ kind: 'offline_exchange', exchangeId: exchange.id }, exchange.reference);
  };

  const columns: ColumnsType<OfflineExchange> = [
    { title: t('exchange.reference'), dataIndex: 'reference', width: 180 },
    {
      title: t('exchange.department'),
      key: 'department',
      render: (_, e) => `${e.departmentName} · ${e.datasetName}`,
    },
    { title: t('exchange.personCount'), dataIndex: 'personCount', width: 90 },
    {
      title: t('exchange.caseRefs'),
      dataIndex: 'caseRefs',
      render: (refs: string[]) =>
        refs.length > 3 ? `${refs.slice(0, 3).join('、')} …（${refs.length}）` : refs.join('、'),
    },
    {
      title: t('exchange.status'),
      dataIndex: 'status',
      width: 100,
      render: (status: OfflineExchange['status']) =>
        status === 'answered' ? (
          <Tag color="green">{t('exchange.statusAnswered')}</Tag>
        ) : (
          <Tag color="orange">{t('exchange.statusExported')}</Tag>
        ),
    },
    {
      title: t('exchange.createdAt'),
      key: 'created',
      render: (_, e) => `${formatDateTime(e.createdAt)} ${e.createdByName ?? ''}`,
    },
    {
      title: t('exchange.answeredAt'),
      dataIndex: 'answeredAt',
      render: (v: string | null) => (v ? formatDateTime(v) : EMPTY),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_, e) => (
        <Space>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            onClick={() => void download(e)}
            data-testid={`exchange-download-${e.id}`}
          >
            {t('exchange.download')}
          </Button>
          {e.status === 'exported' && (
            <Button
              size="small"
              icon={<UploadOutlined />}
              onClick={() => setAnswering(e)}
              data-testid={`exchange-answer-${e.id}`}
            >
              {t('exchange.answer')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('exchange.title')}
        </Typography.Title>
        {canExport && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="exchange-create"
          >
            {t('exchange.create')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('exchange.intro')}
      </Typography.Paragraph>
      {state.status === 'failed' ? (
        <LoadFailed error={state.error} onRetry={() => void reload()} />
      ) : (
        <Card>
          <Table<OfflineExchange>
            rowKey="id"
            size="middle"
            loading={state.status === 'loading'}
            columns={columns}
            dataSource={state.status === 'ready' ? state.value.items : []}
            data-testid="exchange-table"
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: state.status === 'ready' ? state.value.total : 0,
              onChange: setPage,
            }}
          />
        </Card>
      )}
      {creating && (
        <CreateExchangeModal
          onClose={() => setCreating(false)}
          onCreated={(exchange) => {
            setCreating(false);
            void reload();
            void download(exchange);
          }}
        />
      )}
      {answering && (
        <AnswerModal
          exchange={answering}
          onClose={() => {
            setAnswering(null);
            void reload();
          }}
        />
      )}
    </Flex>
  );
}

const FIELD_HEADERS: Record<PersonError['field'], string> = {
  caseRef: '案件编号',
  idNumber: '身份证号',
  name: '姓名',
};

function CreateExchangeModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (exchange: OfflineExchange) => void;
}) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const { state } = useAsync(listDatasets);
  const [department, setDepartment] = useState<string | undefined>();
  const [dataset, setDataset] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<RowError[]>([]);
  const [busy, setBusy] = useState(false);
  const datasets: Dataset[] = state.status === 'ready' ? state.value : [];
  const departments = useMemo(() => {
    const seen = new Map<string, string>();
    for (const d of datasets) seen.set(d.departmentCode, d.departmentName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [datasets]);
  const persons = useMemo(() => parsePersons(text), [text]);

  const readFile = async (file: File) => {
    setText(await file.text());
    return false;
  };

  const submit = async () => {
    if (!department || !dataset) return;
    setBusy(true);
    setErrors([]);
    try {
      onCreated(await createExchange({ departmentCode: department, dataset, persons }));
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as { errors?: PersonError[] } | null) : null;
      if (details?.errors) {
        setErrors(
          details.errors.map((e) => ({
            row: e.row,
            column: FIELD_HEADERS[e.field],
            code: e.code,
            message: e.message,
          })),
        );
      } else notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={900}
      title={t('exchange.create')}
      onCancel={onClose}
      okText={t('exchange.exportAndDownload')}
      okButtonProps={withTestId('exchange-submit', {
        disabled: !department || !dataset || persons.length === 0,
        loading: busy,
      })}
      onOk={() => void submit()}
    >
      <Form layout="vertical">
        <Space wrap>
          <Form.Item label={t('exchange.department')} required>
            <Select
              style={{ width: 220 }}
              options={departments}
              value={department}
              loading={state.status === 'loading'}
              onChange={(value: string) => {
                setDepartment(value);
                setDataset(undefined);
              }}
              data-testid="exchange-department"
            />
          </Form.Item>
          <Form.Item label={t('exchange.dataset')} required>
            <Select
              style={{ width: 260 }}
              value={dataset}
              onChange={setDataset}
              options={datasets
                .filter((d) => d.departmentCode === department)
                .map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }))}
              data-testid="exchange-dataset"
            />
          </Form.Item>
        </Space>
        <Form.Item label={t('exchange.persons')} extra={t('exchange.personsHint')} required>
          <Input.TextArea
            rows={8}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={'案件编号\t身份证号\t姓名\nHD-2025-0001\t621002198503150410\t王建军'}
            data-testid="exchange-persons"
          />
        </Form.Item>
        <Space>
          <Upload accept=".csv,.txt" showUploadList={false} beforeUpload={(file) => readFile(file)}>
            <Button icon={<UploadOutlined />}>{t('exchange.readCsv')}</Button>
          </Upload>
          <Typography.Text type="secondary">
            {t('exchange.personsCount', { count: persons.length })}
          </Typography.Text>
        </Space>
      </Form>
      {errors.length > 0 && (
        <Flex vertical gap={8} style={{ marginTop: 16 }}>
          <Alert type="error" showIcon message={t('exchange.personErrors', { count: errors.length })} />
          <RowErrorTable errors={errors} testId="exchange-person-errors" />
        </Flex>
      )}
    </Modal>
  );
}

function AnswerModal({ exchange, onClose }: { exchange: OfflineExchange; onClose: () => void }) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [file, setFile] = useState<File | null>(null);
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AnswerResult | null>(null);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    try {
      setResult(await answerExchange(exchange.id, { file, ...(asOf ? { asOf: toDateString(asOf) } : {}) }));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={900}
      title={t('exchange.answerTitle', { reference: exchange.reference })}
      onCancel={onClose}
      footer={
        result?.status === 'answered' ? (
          <Button type="primary" onClick={onClose}>
            {t('exchange.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              disabled={!file}
              loading={busy}
              onClick={() => void submit()}
              data-testid="exchange-answer-submit"
            >
              {t('exchange.answerSubmit')}
            </Button>
          </Space>
        )
      }
    >
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item
          label={t('exchange.department')}
        >{`${exchange.departmentName} · ${exchange.datasetName}`}</Descriptions.Item>
        <Descriptions.Item label={t('exchange.personCount')}>{exchange.personCount}</Descriptions.Item>
      </Descriptions>
      {result?.status === 'answered' ? (
        <Result
          status="success"
          title={t('exchange.answered')}
          subTitle={t('exchange.answeredSummary', {
            stored: result.stored,
            withRecords: result.personsWithRecords,
            withoutRecords: result.personsWithoutRecords,
          })}
          data-testid="exchange-answered"
        />
      ) : (
        <Flex vertical gap={12}>
          <Upload.Dragger
            accept=".xlsx"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setResult(null);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>{t('exchange.answerHint')}</p>
          </Upload.Dragger>
          <Space>
            <Typography.Text>{t('exchange.asOf')}</Typography.Text>
            <DatePicker value={asOf} onChange={setAsOf} placeholder={todayInShanghai()} />
          </Space>
          {result?.status === 'rejected' && (
            <Flex vertical gap={8} data-testid="exchange-rejected">
              <Alert type="error" showIcon message={t('exchange.rejected')} />
              {result.fileErrors.map((e) => (
                <Alert key={e.code} type="warning" message={`${e.code}：${e.message}`} />
              ))}
              {result.errors.length > 0 && (
                <RowErrorTable errors={result.errors} testId="exchange-answer-errors" />
              )}
            </Flex>
          )}
        </Flex>
      )}
    </Modal>
  );
}
