import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  Segmented,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import {
  answerEscalation,
  type Escalation,
  type FindingInput,
  getEscalation,
  listEscalations,
} from '../api/escalations';
import { deadlineColor } from '../components/CaseDeadlines';
import { ESCALATION_STATE_COLOR, FindingText } from '../components/CaseEscalations';
import { LoadFailed } from '../components/LoadFailed';
import { yuanToFen } from '../domain/yuan';
import { useAsync } from '../hooks/useAsync';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime, toDateString, todayInShanghai } from '../utils/datetime';
import { withTestId } from '../utils/testId';

const PAGE_SIZE = 20;

type StateFilter = 'approved' | 'answered' | 'all';

interface FindingForm {
  finding: string;
  amountYuan: string;
  sourceDepartment: string;
  sourceDataset: string;
  dataAsOf: Dayjs | undefined;
}

/** The answer form: one block per item — the finding, an amount in 元 (kept in 分), the source and its data date. */
function AnswerForm({ escalation, onDone }: { escalation: Escalation; onDone: (next: Escalation) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ findings: FindingForm[] }>();
  const [saving, setSaving] = useState(false);
  const notifyError = useNotifyError();
  const { message } = App.useApp();
  const today = todayInShanghai();

  const submit = async () => {
    const values = await form.validateFields();
    const findings: FindingInput[] = values.findings.map((f, itemIndex) => ({
      itemIndex,
      finding: f.finding.trim(),
      amountFen: f.amountYuan.trim() === '' ? null : yuanToFen(f.amountYuan),
      sourceDepartment: f.sourceDepartment.trim(),
      sourceDataset: f.sourceDataset.trim(),
      dataAsOf: f.dataAsOf ? toDateString(f.dataAsOf) : '',
    }));
    setSaving(true);
    try {
      const next = await answerEscalation(escalation.id, findings);
      message.success(t('escalation.answered'));
      onDone(next);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<{ findings: FindingForm[] }>
      form={form}
      layout="vertical"
      data-testid="escalation-answer-form"
      initialValues={{
        findings: escalation.items.map(() => ({
          finding: '',
          amountYuan: '',
          sourceDepartment: '',
          sourceDataset: '',
          dataAsOf: undefined,
        })),
      }}
    >
      {escalation.items.map((item) => (
        <Card
          key={item.index}
          size="small"
          style={{ marginBottom: 12 }}
          title={`${item.index + 1}. ${item.name}（${item.relation}） · ${item.dataItem}`}
          data-testid={`escalation-answer-item-${item.index}`}
        >
          <Form.Item
            name={['findings', item.index, 'finding']}
            label={t('escalation.finding')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('escalation.findingRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={2000} data-testid={`escalation-finding-${item.index}`} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item
              name={['findings', item.index, 'amountYuan']}
              label={t('escalation.amountYuan')}
              style={{ minWidth: 160 }}
              rules={[
                {
                  validator: async (_, value: string | undefined) => {
                    if (value === undefined || value.trim() === '' || yuanToFen(value) !== null) return;
                    throw new Error(t('escalation.amountInvalid'));
                  },
                },
              ]}
            >
              <Input suffix="元" data-testid={`escalation-amount-${item.index}`} />
            </Form.Item>
            <Form.Item
              name={['findings', item.index, 'sourceDepartment']}
              label={t('escalation.sourceDepartment')}
              style={{ minWidth: 200, flex: 1 }}
              rules={[{ required: true, whitespace: true, message: t('escalation.sourceRequired') }]}
            >
              <Input maxLength={100} data-testid={`escalation-source-department-${item.index}`} />
            </Form.Item>
            <Form.Item
              name={['findings', item.index, 'sourceDataset']}
              label={t('escalation.sourceDataset')}
              style={{ minWidth: 200, flex: 1 }}
              rules={[{ required: true, whitespace: true, message: t('escalation.sourceRequired') }]}
            >
              <Input maxLength={100} data-testid={`escalation-source-dataset-${item.index}`} />
            </Form.Item>
            <Form.Item
              name={['findings', item.index, 'dataAsOf']}
              label={t('escalation.dataAsOf')}
              rules={[{ required: true, message: t('escalation.dataAsOfRequired') }]}
            >
              <DatePicker
                disabledDate={(day) => toDateString(day) > today}
                data-testid={`escalation-data-as-of-${item.index}`}
              />
            </Form.Item>
          </Flex>
        </Card>
      ))}
      <Button
        type="primary"
        loading={saving}
        onClick={() => void submit()}
        data-testid="escalation-answer-submit"
      >
        {t('escalation.answer')}
      </Button>
    </Form>
  );
}

/** One sub-request in full (ID numbers spelled out; the server keeps a record of the look), and its answer. */
function EscalationDrawer({
  id,
  onClose,
  onAnswered,
}: {
  id: number;
  onClose: () => void;
  onAnswered: () => void;
}) {
  const { t } = useI18n();
  const [escalation, setEscalation] = useState<Escalation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setError(null);
    getEscalation(id).then(setEscalation, setError);
  }, [id]);
  useEffect(load, [load]);

  return (
    <Drawer open width={860} title={t('escalation.detail')} onClose={onClose} data-testid="escalation-drawer">
      {error !== null ? (
        <LoadFailed error={error} onRetry={load} />
      ) : escalation === null ? (
        <Spin />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="info" showIcon message={t('escalation.auditedHint')} />
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t('escalation.case')}>{escalation.caseNumber}</Descriptions.Item>
            <Descriptions.Item label={t('escalation.from')}>
              {escalation.requestingOrganisationName}
            </Descriptions.Item>
            <Descriptions.Item label={t('escalation.due')}>{escalation.due}</Descriptions.Item>
            <Descriptions.Item label={t('escalation.state')}>
              <Tag color={ESCALATION_STATE_COLOR[escalation.state]}>{escalation.stateLabel}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('escalation.reason')} span={2}>
              {escalation.reason}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="index"
            pagination={false}
            dataSource={escalation.items}
            columns={[
              { title: '#', key: 'n', width: 40, render: (_, i) => i.index + 1 },
              { title: t('escalation.member'), key: 'm', render: (_, i) => `${i.name}（${i.relation}）` },
              {
                title: t('escalation.idNumber'),
                key: 'id',
                render: (_, i) => i.idNumber ?? i.idNumberMasked,
              },
              { title: t('escalation.dataItem'), dataIndex: 'dataItem' },
              ...(escalation.state === 'answered'
                ? [
                    {
                      title: t('escalation.finding'),
                      key: 'f',
                      render: (_: unknown, i: (typeof escalation.items)[number]) => <FindingText item={i} />,
                    },
                  ]
                : []),
            ]}
          />
          {escalation.state === 'approved' && (
            <AnswerForm
              escalation={escalation}
              onDone={(next) => {
                setEscalation(next);
                onAnswered();
              }}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}

/**
 * 协助核对 (庆阳细则第六条): the city agency's queue of sub-requests its counties sent after their reviewer's
 * approval — only the items and members named, masked — and the answer, item by item, with its source.
 */
export function EscalationsPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<StateFilter>('approved');
  const [open, setOpen] = useState<number | null>(null);
  const load = useCallback(
    () => listEscalations({ ...(filter === 'all' ? {} : { state: filter }), page, pageSize: PAGE_SIZE }),
    [filter, page],
  );
  const { state, reload } = useAsync(load);

  const columns: ColumnsType<Escalation> = [
    { title: t('escalation.case'), dataIndex: 'caseNumber', width: 200 },
    { title: t('escalation.from'), dataIndex: 'requestingOrganisationName' },
    {
      title: t('escalation.items'),
      key: 'items',
      render: (_, e) => (
        <Space direction="vertical" size={0}>
          {e.items.map((i) => (
            <Typography.Text key={i.index}>{`${i.name} ${i.idNumberMasked} · ${i.dataItem}`}</Typography.Text>
          ))}
        </Space>
      ),
    },
    {
      title: t('escalation.due'),
      key: 'due',
      width: 200,
      render: (_, e) =>
        e.workdaysLeft === null ? (
          e.due
        ) : (
          <Tag color={deadlineColor(e.workdaysLeft)}>
            {e.due} ·{' '}
            {e.workdaysLeft <= 0
              ? t('case.overdue', { n: e.workdaysLeft })
              : t('case.workdaysLeft', { n: e.workdaysLeft })}
          </Tag>
        ),
    },
    {
      title: t('escalation.state'),
      key: 'state',
      width: 120,
      render: (_, e) => <Tag color={ESCALATION_STATE_COLOR[e.state]}>{e.stateLabel}</Tag>,
    },
    {
      title: t('escalation.answeredAt'),
      key: 'answeredAt',
      width: 170,
      render: (_, e) => (e.answeredAt === null ? EMPTY : formatDateTime(e.answeredAt)),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, e) => (
        <Button
          size="small"
          type="link"
          data-testid={`escalation-open-${e.id}`}
          onClick={() => setOpen(e.id)}
        >
          {e.state === 'approved' ? t('escalation.openAndAnswer') : t('escalation.open')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('escalation.queueTitle')}
      extra={
        <Segmented<StateFilter>
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setPage(1);
          }}
          options={[
            { value: 'approved', label: t('escalation.filter.pending') },
            { value: 'answered', label: t('escalation.filter.answered') },
            { value: 'all', label: t('escalation.filter.all') },
          ]}
          {...withTestId('escalation-filter', {})}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('escalation.queueHint')}</Typography.Paragraph>
      {state.status === 'failed' ? (
        <LoadFailed error={state.error} onRetry={() => void reload()} />
      ) : (
        <Table<Escalation>
          rowKey="id"
          data-testid="escalation-queue"
          loading={state.status === 'loading'}
          columns={columns}
          dataSource={state.status === 'ready' ? state.value.items : []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: state.status === 'ready' ? state.value.total : 0,
            onChange: setPage,
          }}
          scroll={{ x: 'max-content' }}
        />
      )}
      {open !== null && (
        <EscalationDrawer id={open} onClose={() => setOpen(null)} onAnswered={() => void reload()} />
      )}
    </Card>
  );
}
