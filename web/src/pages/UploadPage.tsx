import {
  ArrowLeftOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  HistoryOutlined,
  InboxOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { downloadErrorReport, getBatch, getImportJob, isImportJob, uploadBatch } from '../api/batches';
import { ABORTED, ApiError } from '../api/client';
import { downloadTemplate } from '../api/datasets';
import type { Batch, BatchKind, Dataset, DeliveryStatusItem, ImportJob, ImportResult } from '../api/types';
import { LoadFailed } from '../components/LoadFailed';
import { RowErrorTable } from '../components/RowErrorTable';
import { fitsFrequency, normalisePeriod, parsePeriod, recentPeriods } from '../domain/periods';
import { type DepartmentDataset, useDepartmentDatasets } from '../hooks/useDepartmentDatasets';
import { describeError, useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDate, nowInShanghai, toDateString, todayInShanghai } from '../utils/datetime';

interface UploadValues {
  kind?: BatchKind;
  dataset?: string;
  period?: string;
  asOf?: Dayjs | null;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number }
  | { kind: 'validating' }
  | { kind: 'queued'; job: ImportJob }
  | { kind: 'done'; result: ImportResult; batch: Batch | null }
  | { kind: 'failed'; error: unknown };

const ACCEPTED = /\.(csv|xlsx)$/i;
/** How often a queued import's status is asked for. */
const POLL_MS = 2000;

/**
 * A queued import that has ended, as the page shows an upload's outcome: its batch's detail (errors, warnings) when
 * there is a batch; an error without a batch (the file could not be imported at all) is thrown.
 */
async function outcomeOfImport(job: ImportJob): Promise<{ result: ImportResult; batch: Batch | null }> {
  if (job.batchId === null || job.outcome === null)
    throw new ApiError(0, job.error?.code ?? 'INTERNAL_ERROR', job.error?.message ?? '', null, null);
  const detail = await getBatch(job.batchId).catch(() => null);
  const result: ImportResult = {
    status: job.outcome,
    batchId: job.batchId,
    dataset: job.dataset,
    period: job.period,
    rows: job.rows ?? 0,
    stored: job.stored ?? 0,
    warnings: detail?.warnings ?? [],
    errors: detail?.errors ?? [],
    fileErrors: detail?.fileErrors ?? (job.error ? [job.error] : []),
  };
  return { result, batch: detail?.batch ?? null };
}
/** How many past delivery periods the period field offers, by granularity. */
const SUGGESTED = { monthly: 12, quarterly: 6, half_yearly: 4, yearly: 3 } as const;

interface PeriodOption {
  value: string;
  label: ReactNode;
}

function periodOptions(
  dataset: Dataset,
  status: DeliveryStatusItem | null,
  today: string,
  t: ReturnType<typeof useI18n>['t'],
): PeriodOption[] {
  const seen = new Set<string>();
  const options: PeriodOption[] = [];
  const add = (value: string, tag?: ReactNode) => {
    if (seen.has(value) || !fitsFrequency(dataset.frequency, value)) return;
    seen.add(value);
    options.push({
      value,
      label: (
        <Flex justify="space-between" gap={8}>
          <span>{value}</span>
          {tag}
        </Flex>
      ),
    });
  };
  for (const overdue of [...(status?.overdue ?? [])].sort((a, b) => a.dueDate.localeCompare(b.dueDate))) {
    add(
      overdue.period,
      <Tag color="red" style={{ marginInlineEnd: 0 }}>
        {t('upload.periodOverdue', { days: overdue.daysOverdue })}
      </Tag>,
    );
  }
  if (status?.nextDue) {
    add(
      status.nextDue.period,
      <Tag color="processing" style={{ marginInlineEnd: 0 }}>
        {t('upload.periodDue', { date: status.nextDue.dueDate })}
      </Tag>,
    );
  }
  for (const period of recentPeriods(dataset.frequency, today, SUGGESTED[dataset.frequency])) {
    const isLatest = period === status?.latestPeriod;
    add(
      period,
      isLatest ? (
        <Tag color="success" style={{ marginInlineEnd: 0 }}>
          {t('upload.periodDelivered')}
        </Tag>
      ) : undefined,
    );
  }
  return options;
}

function defaultPeriod(dataset: Dataset, status: DeliveryStatusItem | null, today: string): string {
  const overdue = [...(status?.overdue ?? [])].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const candidates = [
    overdue[0]?.period,
    status?.nextDue?.period,
    ...recentPeriods(dataset.frequency, today, 1),
  ];
  return candidates.find((period) => period !== undefined && fitsFrequency(dataset.frequency, period)) ?? '';
}

function ImportOutcome({
  result,
  batch,
  datasetName,
  onAgain,
}: {
  result: ImportResult;
  batch: Batch | null;
  datasetName: string;
  onAgain: () => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState(false);

  const downloadReport = async (id: number) => {
    setDownloading(true);
    try {
      const name = await downloadErrorReport(id);
      message.success(t('myData.templateSaved', { name }));
    } catch (error) {
      notifyError(error);
    } finally {
      setDownloading(false);
    }
  };

  const viewBatches = (
    <Button key="batches" icon={<HistoryOutlined />} onClick={() => navigate('/data/batches')}>
      {t('upload.viewBatches')}
    </Button>
  );
  const warnings =
    result.warnings.length > 0 ? (
      <Alert
        type="info"
        showIcon
        message={t('upload.warnings')}
        data-testid="upload-warnings"
        description={
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {result.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        }
      />
    ) : null;

  if (result.status === 'committed') {
    return (
      <Card data-testid="upload-result" data-status="committed">
        <Result
          status="success"
          title={t('upload.committed')}
          subTitle={[
            t('upload.committedDetail', {
              dataset: datasetName,
              period: result.period,
              rows: result.rows,
              stored: result.stored,
              id: result.batchId ?? EMPTY,
            }),
            batch ? t('upload.asOfValue', { date: formatDate(batch.dataAsOf) }) : '',
            result.kind === 'unidentified'
              ? t('upload.unidentifiedDetail', {
                  nearby: result.nearbyIdRows ?? 0,
                  nameBirth: result.nameBirthRows ?? 0,
                })
              : '',
          ].join(' ')}
          extra={[
            viewBatches,
            <Button key="again" type="primary" onClick={onAgain}>
              {t('upload.again')}
            </Button>,
          ]}
        />
        {warnings}
      </Card>
    );
  }

  if (result.status === 'duplicate') {
    return (
      <Card data-testid="upload-result" data-status="duplicate">
        <Result
          status="info"
          title={t('upload.duplicate')}
          subTitle={t('upload.duplicateDetail', { period: result.period, id: result.batchId ?? EMPTY })}
          extra={[
            viewBatches,
            <Button key="again" type="primary" onClick={onAgain}>
              {t('upload.again')}
            </Button>,
          ]}
        />
      </Card>
    );
  }

  const errorTotal = Math.max(batch?.errorCount ?? 0, result.errors.length + result.fileErrors.length);
  const reportId = batch?.hasErrorReport ? batch.id : null;
  return (
    <Card data-testid="upload-result" data-status="rejected">
      <Result
        status="error"
        title={t('upload.rejected')}
        subTitle={
          result.errors.length > 0
            ? t('upload.rejectedDetail', { count: errorTotal })
            : t('upload.rejectedFile')
        }
        extra={[
          reportId !== null && (
            <Button
              key="report"
              type="primary"
              icon={<DownloadOutlined />}
              loading={downloading}
              onClick={() => void downloadReport(reportId)}
              data-testid="download-error-report"
            >
              {t('upload.downloadReport')}
            </Button>
          ),
          viewBatches,
        ]}
      />
      <Flex vertical gap={16}>
        {result.fileErrors.length > 0 && (
          <Alert
            type="error"
            showIcon
            message={t('upload.fileErrors')}
            data-testid="upload-file-errors"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {result.fileErrors.map((error) => (
                  <li key={`${error.code}-${error.message}`}>
                    <Typography.Text code>{error.code}</Typography.Text> {error.message}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        {warnings}
        {result.errors.length > 0 && (
          <div>
            <Typography.Title level={5}>
              {t('upload.rowErrors', { count: result.errors.length })}
            </Typography.Title>
            <RowErrorTable errors={result.errors} testId="upload-errors" />
          </div>
        )}
      </Flex>
    </Card>
  );
}

function QueuedProgress({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  return (
    <Card data-testid="upload-queued" data-state={job.state} data-job={job.id}>
      <Flex vertical gap={8}>
        <Typography.Text strong>{t('upload.queued')}</Typography.Text>
        <Progress percent={job.state === 'running' ? 60 : 20} status="active" showInfo={false} />
        <Space>
          <Spin size="small" />
          <Typography.Text>
            {job.state === 'running' ? t('upload.queuedRunning') : t('upload.queuedWaiting')}
          </Typography.Text>
        </Space>
        <Typography.Text type="secondary">{t('upload.queuedHint')}</Typography.Text>
      </Flex>
    </Card>
  );
}

function UploadProgress({ phase, onCancel }: { phase: Phase; onCancel: () => void }) {
  const { t } = useI18n();
  if (phase.kind === 'queued') return <QueuedProgress job={phase.job} />;
  if (phase.kind !== 'uploading' && phase.kind !== 'validating') return null;
  const uploading = phase.kind === 'uploading';
  return (
    <Card data-testid="upload-progress" data-phase={phase.kind}>
      <Flex vertical gap={8}>
        <Progress percent={uploading ? phase.percent : 100} status="active" />
        <Flex justify="space-between" align="center">
          {uploading ? (
            <Typography.Text>{t('upload.uploading', { percent: phase.percent })}</Typography.Text>
          ) : (
            <Space>
              <Spin size="small" />
              <Typography.Text>{t('upload.validating')}</Typography.Text>
            </Space>
          )}
          {uploading && (
            <Button size="small" onClick={onCancel} data-testid="upload-cancel">
              {t('upload.cancel')}
            </Button>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

function UploadForm({ items, today }: { items: DepartmentDataset[]; today: string }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const [form] = Form.useForm<UploadValues>();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const datasetCode = Form.useWatch('dataset', form);
  const notifyError = useNotifyError();
  const kind: BatchKind = searchParams.get('kind') === 'unidentified' ? 'unidentified' : 'main';

  const byCode = useMemo(() => new Map(items.map((item) => [item.dataset.code, item])), [items]);
  const selected = datasetCode ? byCode.get(datasetCode) : undefined;
  const busy = phase.kind === 'uploading' || phase.kind === 'validating' || phase.kind === 'queued';

  // The dataset in the address (from 我的数据) is chosen on arrival, with its most pressing period.
  const requested = searchParams.get('dataset');
  useEffect(() => {
    const item = requested ? byCode.get(requested) : items.length === 1 ? items[0] : undefined;
    if (!item) return;
    form.setFieldsValue({
      dataset: item.dataset.code,
      period: defaultPeriod(item.dataset, item.status, today),
    });
  }, [requested, byCode, items, form, today]);

  useEffect(() => () => abort.current?.abort(), []);

  // A queued import is followed until it ends, then shown like any upload's outcome.
  const queuedJob = phase.kind === 'queued' ? phase.job : null;
  useEffect(() => {
    if (!queuedJob) return;
    let stopped = false;
    const timer = setTimeout(async () => {
      try {
        const job = await getImportJob(queuedJob.id);
        if (stopped) return;
        if (job.state === 'queued' || job.state === 'running') setPhase({ kind: 'queued', job });
        else setPhase({ kind: 'done', ...(await outcomeOfImport(job)) });
      } catch (error) {
        if (!stopped) setPhase({ kind: 'failed', error });
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [queuedJob]);

  // Choosing another dataset or kind puts it in the address; the effect above then offers its period.
  const address = (next: { dataset?: string; kind: BatchKind }) =>
    setSearchParams(
      {
        ...(next.dataset ? { dataset: next.dataset } : {}),
        ...(next.kind === 'unidentified' ? { kind: next.kind } : {}),
      },
      { replace: true },
    );
  const chooseDataset = (code: string) => address({ dataset: code, kind });
  const chooseKind = (next: BatchKind) => {
    // The register (hukou) takes no unidentified rows: every other record is matched against it.
    const keep = next === 'unidentified' && datasetCode === 'hukou' ? undefined : datasetCode;
    if (!keep) form.setFieldsValue({ dataset: undefined });
    address({ dataset: keep, kind: next });
  };
  const offered = kind === 'unidentified' ? items.filter((item) => item.dataset.code !== 'hukou') : items;
  const saveTemplate = async (code: string) => {
    try {
      const name = await downloadTemplate(code, 'xlsx', 'unidentified');
      message.success(t('myData.templateSaved', { name }));
    } catch (error) {
      notifyError(error);
    }
  };

  const pickFile = (picked: File): false => {
    if (!ACCEPTED.test(picked.name)) {
      message.error(t('upload.fileType'));
      return false;
    }
    setFile(picked);
    return false;
  };

  const submit = async (values: UploadValues) => {
    if (!values.dataset || !values.period) return;
    if (!file) {
      message.error(t('upload.fileRequired'));
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ kind: 'uploading', percent: 0 });
    try {
      const answer = await uploadBatch(
        {
          dataset: values.dataset,
          kind,
          period: normalisePeriod(values.period),
          asOf: values.asOf ? toDateString(values.asOf) : undefined,
          file,
        },
        {
          signal: controller.signal,
          onProgress: (share) =>
            setPhase((current) =>
              current.kind === 'uploading'
                ? { kind: 'uploading', percent: Math.floor(share * 100) }
                : current,
            ),
          onSent: () => setPhase({ kind: 'validating' }),
        },
      );
      if (isImportJob(answer)) {
        setPhase({ kind: 'queued', job: answer });
        return;
      }
      const result = answer;
      // The batch record says whether an error report was written and the data's as-of date.
      const batch =
        result.batchId === null
          ? null
          : await getBatch(result.batchId).then(
              (d) => d.batch,
              () => null,
            );
      setPhase({ kind: 'done', result, batch });
    } catch (error) {
      if (error instanceof ApiError && error.code === ABORTED) {
        message.info(t('upload.cancelled'));
        setPhase({ kind: 'idle' });
      } else setPhase({ kind: 'failed', error });
    } finally {
      abort.current = null;
    }
  };

  const again = () => {
    setFile(null);
    setPhase({ kind: 'idle' });
  };

  const fileList: UploadFile[] = file
    ? [{ uid: 'picked', name: file.name, size: file.size, status: 'done' }]
    : [];
  const options = selected ? periodOptions(selected.dataset, selected.status, today, t) : [];
  const example = selected ? (recentPeriods(selected.dataset.frequency, today, 1)[0] ?? '') : '';
  const outcomeName =
    phase.kind === 'done' ? (byCode.get(phase.result.dataset)?.dataset.name ?? phase.result.dataset) : '';

  return (
    <Flex vertical gap={16} data-testid="upload-page">
      <Card
        title={
          <Space>
            <Button
              type="text"
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate('/data')}
              title={t('upload.back')}
            />
            {t('upload.title')}
          </Space>
        }
      >
        <Form<UploadValues>
          form={form}
          layout="vertical"
          style={{ maxWidth: 720 }}
          onFinish={(values) => void submit(values)}
          disabled={busy}
        >
          <Form.Item label={t('upload.kind')}>
            <Radio.Group
              value={kind}
              onChange={(event) => chooseKind(event.target.value as BatchKind)}
              data-testid="upload-kind"
              options={[
                { value: 'main', label: t('upload.kindMain') },
                { value: 'unidentified', label: t('upload.kindUnidentified') },
              ]}
            />
          </Form.Item>
          {kind === 'unidentified' && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 24 }}
              data-testid="upload-unidentified-hint"
              message={t('upload.kindHint')}
              action={
                datasetCode ? (
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    onClick={() => void saveTemplate(datasetCode)}
                    data-testid="upload-unidentified-template"
                  >
                    {t('upload.unidentifiedTemplate')}
                  </Button>
                ) : undefined
              }
            />
          )}
          <Form.Item
            name="dataset"
            label={t('upload.dataset')}
            rules={[{ required: true, message: t('upload.datasetRequired') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              onChange={chooseDataset}
              data-testid="upload-dataset"
              options={offered.map(({ dataset }) => ({
                value: dataset.code,
                label: `${dataset.name}（${dataset.departmentName} · ${label('frequency', dataset.frequency)}）`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="period"
            label={t('upload.period')}
            extra={
              selected
                ? t('upload.periodHint', {
                    frequency: label('frequency', selected.dataset.frequency),
                    example,
                  })
                : t('upload.periodFormat')
            }
            rules={[
              { required: true, whitespace: true, message: t('upload.periodRequired') },
              {
                validator: async (_, value: string | undefined) => {
                  if (!value?.trim()) return;
                  if (!parsePeriod(value)) throw new Error(t('upload.periodInvalid'));
                  if (selected && !fitsFrequency(selected.dataset.frequency, value))
                    throw new Error(
                      t('upload.periodNotWhole', {
                        frequency: label('frequency', selected.dataset.frequency),
                      }),
                    );
                },
              },
            ]}
          >
            <AutoComplete options={options} style={{ width: 280 }}>
              <Input data-testid="upload-period" placeholder={example} allowClear />
            </AutoComplete>
          </Form.Item>
          <Form.Item name="asOf" label={t('upload.asOf')} extra={t('upload.asOfHint')}>
            <DatePicker
              data-testid="upload-as-of"
              style={{ width: 280 }}
              disabledDate={(day) => day.isAfter(nowInShanghai(), 'day')}
            />
          </Form.Item>
          <Form.Item label={t('upload.file')} required>
            <div data-testid="upload-file">
              <Upload.Dragger
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                multiple={false}
                maxCount={1}
                fileList={fileList}
                beforeUpload={pickFile}
                onRemove={() => {
                  setFile(null);
                  return true;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('upload.fileDrop')}</p>
                <p className="ant-upload-hint">{t('upload.fileHint')}</p>
              </Upload.Dragger>
            </div>
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button
              type="primary"
              htmlType="submit"
              icon={<CloudUploadOutlined />}
              loading={busy}
              data-testid="upload-submit"
            >
              {t('upload.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <UploadProgress phase={phase} onCancel={() => abort.current?.abort()} />
      {phase.kind === 'failed' && (
        <Alert
          type="error"
          showIcon
          data-testid="upload-failed"
          message={t('upload.failed')}
          description={describeError(phase.error, t)}
        />
      )}
      {phase.kind === 'done' && (
        <ImportOutcome result={phase.result} batch={phase.batch} datasetName={outcomeName} onAgain={again} />
      )}
    </Flex>
  );
}

export function UploadPage() {
  const { state, reload } = useDepartmentDatasets();
  if (state.status === 'loading') {
    return (
      <Flex justify="center" style={{ padding: 64 }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;
  return <UploadForm items={state.value.items} today={state.value.today ?? todayInShanghai()} />;
}
