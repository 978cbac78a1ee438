import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type CaseDetail, getCase } from '../api/cases';
import {
  type DishonestyRecord,
  type DishonestyState,
  type DishonestySummary,
  decideDishonestyRecord,
  downloadDishonestyNotice,
  draftDishonestyRecord,
  getDishonestyRecord,
  listDishonestyRecords,
} from '../api/dishonesty';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { useAsync } from '../hooks/useAsync';
import { useExportRequest } from '../hooks/useExportRequest';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

const PAGE_SIZE = 20;

type StateFilter = DishonestyState | 'all';
type Decision = 'approve' | 'reject' | 'revoke';

export const DISHONESTY_STATE_COLOR: Readonly<Record<DishonestyState, string>> = {
  draft: 'gold',
  approved: 'red',
  rejected: 'default',
  revoked: 'blue',
};

/** Approve (no reason), reject or revoke (written reasons): the server checks four eyes and states again. */
function DecisionModal({
  record,
  decision,
  onClose,
  onDone,
}: {
  record: DishonestyRecord;
  decision: Decision;
  onClose: () => void;
  onDone: (next: DishonestyRecord) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const values = decision === 'approve' ? { reason: '' } : await form.validateFields();
    setSaving(true);
    try {
      const next = await decideDishonestyRecord(record.id, decision, values.reason.trim());
      message.success(t(`dishonesty.${decision}.done`));
      onDone(next);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`${t(`dishonesty.${decision}`)} · ${record.number}`}
      okText={t(`dishonesty.${decision}`)}
      okButtonProps={{
        danger: decision !== 'approve',
        loading: saving,
        ...withTestId('dishonesty-decision-ok', {}),
      }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph>{t(`dishonesty.${decision}.hint`)}</Typography.Paragraph>
      {decision !== 'approve' && (
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('dishonesty.reason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('dishonesty.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={4000} data-testid="dishonesty-decision-reason" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** One record in full (names spelled out; the server keeps a record of the look), with the reviewer's steps. */
function DishonestyDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const notifyError = useNotifyError();
  const [record, setRecord] = useState<DishonestyRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [decision, setDecision] = useState<Decision | null>(null);
  const load = useCallback(() => {
    setError(null);
    getDishonestyRecord(id).then(setRecord, setError);
  }, [id]);
  useEffect(load, [load]);
  const reviewer = me.roles.includes('agency_reviewer');

  return (
    <Drawer open width={860} title={t('dishonesty.detail')} onClose={onClose} data-testid="dishonesty-drawer">
      {error !== null ? (
        <LoadFailed error={error} onRetry={load} />
      ) : record === null ? (
        <Spin />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="info" showIcon message={t('dishonesty.auditedHint')} />
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t('dishonesty.number')}>{record.number}</Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.state')}>
              <Tag color={DISHONESTY_STATE_COLOR[record.state]}>{record.stateLabel}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.case')}>{record.caseNumber ?? EMPTY}</Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.source')}>{record.sourceLabel}</Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.concealed')} span={2}>
              {record.concealed}
            </Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.evidence')} span={2}>
              {record.evidence.length === 0 ? EMPTY : record.evidence.join('；')}
            </Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.legalBasis')} span={2}>
              {record.legalBasis}
            </Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.draftedBy')}>
              {`${record.draftedByName ?? EMPTY} · ${formatDateTime(record.draftedAt)}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('dishonesty.approvedBy')}>
              {record.approvedByName === null
                ? EMPTY
                : `${record.approvedByName} · ${formatDateTime(record.approvedAt)}`}
            </Descriptions.Item>
            {record.rejectionReason !== null && (
              <Descriptions.Item label={t('dishonesty.rejected')} span={2}>
                {`${record.rejectedByName ?? EMPTY} · ${formatDateTime(record.rejectedAt)} · ${record.rejectionReason}`}
              </Descriptions.Item>
            )}
            {record.revocationReason !== null && (
              <Descriptions.Item label={t('dishonesty.revoked')} span={2}>
                {`${record.revokedByName ?? EMPTY} · ${formatDateTime(record.revokedAt)} · ${record.revocationReason}`}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Table
            size="small"
            rowKey={(s) => `${s.name}-${s.idNumberMasked}`}
            pagination={false}
            dataSource={record.subjects}
            columns={[
              { title: t('dishonesty.subjectName'), dataIndex: 'name' },
              { title: t('dishonesty.idNumber'), dataIndex: 'idNumberMasked' },
              { title: t('dishonesty.relation'), dataIndex: 'relation' },
            ]}
          />
          <Space wrap>
            {record.notice !== null && record.caseId !== null && (
              <Button
                data-testid="dishonesty-notice-download"
                onClick={() =>
                  void downloadDishonestyNotice(record.caseId as number, record.notice!).catch(notifyError)
                }
              >
                {t('dishonesty.notice', { number: record.notice.number })}
              </Button>
            )}
            {reviewer && record.state === 'draft' && record.draftedBy !== me.id && (
              <Button type="primary" data-testid="dishonesty-approve" onClick={() => setDecision('approve')}>
                {t('dishonesty.approve')}
              </Button>
            )}
            {reviewer && record.state === 'draft' && record.draftedBy !== me.id && (
              <Button danger data-testid="dishonesty-reject" onClick={() => setDecision('reject')}>
                {t('dishonesty.reject')}
              </Button>
            )}
            {reviewer && record.state === 'draft' && record.draftedBy === me.id && (
              <Typography.Text type="secondary">{t('dishonesty.ownDraft')}</Typography.Text>
            )}
            {reviewer && record.state === 'approved' && (
              <Button danger data-testid="dishonesty-revoke" onClick={() => setDecision('revoke')}>
                {t('dishonesty.revoke')}
              </Button>
            )}
          </Space>
          {decision !== null && (
            <DecisionModal
              record={record}
              decision={decision}
              onClose={() => setDecision(null)}
              onDone={(next) => {
                setDecision(null);
                setRecord(next);
                onChanged();
              }}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}

/** Agency staff draft a record by hand from a suspended case (`/dishonesty?draftCase=<id>`, linked from the case). */
function DraftModal({
  caseId,
  onClose,
  onDone,
}: {
  caseId: number;
  onClose: () => void;
  onDone: (id: number) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [kase, setKase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ concealed: string; evidence: string; members: number[] }>();
  const loadCase = useCallback(() => {
    setError(null);
    getCase(caseId).then(setKase, setError);
  }, [caseId]);
  useEffect(loadCase, [loadCase]);
  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const record = await draftDishonestyRecord(caseId, {
        concealed: values.concealed.trim(),
        evidence: (values.evidence ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== ''),
        memberIndexes: values.members,
      });
      message.success(t('dishonesty.drafted', { number: record.number }));
      onDone(record.id);
    } catch (e) {
      notifyError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      width={720}
      title={t('dishonesty.draftTitle', { case: kase?.number ?? '' })}
      okText={t('dishonesty.draft')}
      okButtonProps={{ loading: saving, disabled: kase === null, ...withTestId('dishonesty-draft-ok', {}) }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      {error !== null ? (
        <LoadFailed error={error} onRetry={loadCase} />
      ) : kase === null ? (
        <Spin />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ members: [0], evidence: '' }}>
          <Typography.Paragraph type="secondary">{t('dishonesty.draftHint')}</Typography.Paragraph>
          <Form.Item
            name="members"
            label={t('dishonesty.subjects')}
            rules={[{ required: true, type: 'array', min: 1, message: t('dishonesty.subjectsRequired') }]}
          >
            <Checkbox.Group
              options={kase.members.map((m) => ({
                value: m.index,
                label: `${m.name}（${m.relation}） ${m.idNumberMasked}`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="concealed"
            label={t('dishonesty.concealed')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('dishonesty.concealedRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={4000} data-testid="dishonesty-draft-concealed" />
          </Form.Item>
          <Form.Item name="evidence" label={t('dishonesty.evidenceLines')}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/**
 * 失信记录 (庆阳细则第二十四条): the register of the agency's region — drafts waiting for a reviewer other than
 * their drafter, approved records (exported to credit systems with the full ID number, every export audited),
 * rejected and revoked ones, which stay.
 */
export function DishonestyPage() {
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<StateFilter>('all');
  const [idNumber, setIdNumber] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const exporting = false;
  const draftCase = Number(params.get('draftCase') ?? '') || null;
  const agency = me.roles.includes('agency_staff') || me.roles.includes('agency_reviewer');
  const load = useCallback(
    () =>
      listDishonestyRecords({
        ...(filter === 'all' ? {} : { state: filter }),
        ...(idNumber.trim() === '' ? {} : { idNumber: idNumber.trim() }),
        page,
        pageSize: PAGE_SIZE,
      }),
    [filter, idNumber, page],
  );
  const { state, reload } = useAsync(load);

  const askExport = useExportRequest();
  // Full ID numbers of many persons: a bulk export, asked for and approved first (issue #8 item 4).
  const download = async (format: 'csv' | 'json') => {
    askExport({ kind: 'dishonesty_records', format }, format.toUpperCase());
  };

  const columns: ColumnsType<DishonestySummary> = [
    { title: t('dishonesty.number'), dataIndex: 'number', width: 200 },
    { title: t('dishonesty.case'), key: 'case', width: 180, render: (_, r) => r.caseNumber ?? EMPTY },
    {
      title: t('dishonesty.subjects'),
      key: 'subjects',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          {r.subjects.map((s) => (
            <Typography.Text key={`${s.name}-${s.idNumberMasked}`}>
              {`${s.name}（${s.relation}） ${s.idNumberMasked}`}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    { title: t('dishonesty.source'), dataIndex: 'sourceLabel', width: 200 },
    {
      title: t('dishonesty.state'),
      key: 'state',
      width: 100,
      render: (_, r) => <Tag color={DISHONESTY_STATE_COLOR[r.state]}>{r.stateLabel}</Tag>,
    },
    {
      title: t('dishonesty.approvedOn'),
      key: 'approvedOn',
      width: 120,
      render: (_, r) => r.approvedOn ?? EMPTY,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, r) => (
        <Button
          size="small"
          type="link"
          data-testid={`dishonesty-open-${r.id}`}
          onClick={() => setOpen(r.id)}
        >
          {t('dishonesty.open')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('dishonesty.title')}
      extra={
        agency && (
          <Space>
            <Button
              loading={exporting}
              onClick={() => void download('csv')}
              data-testid="dishonesty-export-csv"
            >
              {t('dishonesty.exportCsv')}
            </Button>
            <Button
              loading={exporting}
              onClick={() => void download('json')}
              data-testid="dishonesty-export-json"
            >
              {t('dishonesty.exportJson')}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('dishonesty.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<StateFilter>
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('dishonesty.filter.all') },
            { value: 'draft', label: t('dishonesty.filter.draft') },
            { value: 'approved', label: t('dishonesty.filter.approved') },
            { value: 'rejected', label: t('dishonesty.filter.rejected') },
            { value: 'revoked', label: t('dishonesty.filter.revoked') },
          ]}
          {...withTestId('dishonesty-filter', {})}
        />
        {agency && (
          <Input.Search
            allowClear
            placeholder={t('dishonesty.searchIdNumber')}
            style={{ width: 280 }}
            onSearch={(value) => {
              setIdNumber(value);
              setPage(1);
            }}
            data-testid="dishonesty-search-id"
          />
        )}
      </Space>
      {state.status === 'failed' ? (
        <LoadFailed error={state.error} onRetry={() => void reload()} />
      ) : (
        <Table<DishonestySummary>
          rowKey="id"
          data-testid="dishonesty-register"
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
        <DishonestyDrawer id={open} onClose={() => setOpen(null)} onChanged={() => void reload()} />
      )}
      {draftCase !== null && agency && (
        <DraftModal
          caseId={draftCase}
          onClose={() => setParams({})}
          onDone={(id) => {
            setParams({});
            void reload();
            setOpen(id);
          }}
        />
      )}
    </Card>
  );
}
