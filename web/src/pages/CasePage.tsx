import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import {
  ATTACHMENT_KIND_LABELS,
  ATTACHMENT_KINDS,
  type AttachmentKind,
  acceptCase,
  CASE_STATE_LABELS,
  CASE_STATES,
  type CaseAttachment,
  type CaseDetail,
  type CaseDocument,
  type CaseEvent,
  type CaseMember,
  type CaseState,
  caseSteps,
  downloadCaseDocument,
  getCase,
  MAX_ATTACHMENT_BYTES,
  resubmitCase,
  returnCase,
  uploadAttachment,
} from '../api/cases';
import { useMe } from '../auth/session';
import { CaseArchiveButton } from '../components/CaseArchiveButton';
import { CASE_STATE_COLOR, CaseDeadlineTags, useAssistanceTypeLabel } from '../components/CaseDeadlines';
import { CaseEscalations } from '../components/CaseEscalations';
import { CaseStepModal, type StepField, type StepValues } from '../components/CaseStepModal';
import { LoadFailed } from '../components/LoadFailed';
import { EXCLUSION_LABEL } from '../domain/assessment';
import { useAsync } from '../hooks/useAsync';
import { describeError, isSessionExpired, useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { EMPTY, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

/** Papers that belong to one member; the others concern the whole household. */
const PER_MEMBER: ReadonlySet<AttachmentKind> = new Set(['authorization', 'id_document']);

function stateLabel(state: string | null): string {
  if (state === null) return EMPTY;
  return (CASE_STATES as readonly string[]).includes(state) ? CASE_STATE_LABELS[state as CaseState] : state;
}

const STEP_KEYS: ReadonlySet<string> = new Set([
  'submit',
  'accept',
  'return',
  'resubmit',
  'assess',
  'submit_report',
  'approve_report',
  'send_back',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'request_suspension',
  'approve_suspension',
  'reject_suspension',
  'report_force_majeure',
  'approve_force_majeure',
  'reject_force_majeure',
  'force_majeure_extend',
  'escalate',
  'approve_escalation',
  'reject_escalation',
  'answer_escalation',
  'terminate',
  'appeal',
  'assign_review',
]);

function stepLabel(step: string, t: (key: MessageKey) => string): string {
  return STEP_KEYS.has(step) ? t(`case.step.${step}` as MessageKey) : step;
}

function documentLabel(kind: string): MessageKey | null {
  const key = `case.doc.${kind}`;
  return (
    (
      [
        'case.doc.receipt',
        'case.doc.return-notice',
        'case.doc.extension-notice',
        'case.doc.force-majeure-notice',
        'case.doc.termination-notice',
        'case.doc.suspension-notice',
        'case.doc.report',
        'case.doc.review-result',
      ] as const
    ).find((candidate) => candidate === key) ?? null
  );
}

const DETAIL_LABEL: Readonly<Record<string, MessageKey>> = {
  acceptanceDue: 'case.detail.acceptanceDue',
  members: 'case.detail.members',
  handlerId: 'case.detail.handlerId',
  reviewerId: 'case.detail.reviewerId',
  reportDue: 'case.detail.reportDue',
  ceilingDate: 'case.detail.ceilingDate',
  lateAcceptance: 'case.detail.lateAcceptance',
  workdays: 'case.detail.workdays',
  reason: 'case.detail.reason',
  reasons: 'case.detail.reasons',
  remarks: 'case.detail.remarks',
  newDue: 'case.detail.newDue',
  approved: 'case.detail.approved',
  assessmentId: 'case.detail.assessmentId',
  appealDue: 'case.detail.appealDue',
  reviewDue: 'case.detail.reviewDue',
  onTime: 'case.detail.onTime',
  review: 'case.detail.review',
  grounds: 'case.detail.grounds',
  event: 'case.detail.event',
  forceMajeureNotice: 'case.detail.forceMajeureNotice',
  escalationId: 'case.detail.escalationId',
};

/** An event's details as short lines (a list of reasons line by line); nested values as JSON. */
function detailLines(details: Record<string, unknown>, t: (key: MessageKey) => string): string[] {
  const lines: string[] = [];
  for (const [name, raw] of Object.entries(details)) {
    const label = DETAIL_LABEL[name];
    const key = label ? t(label) : name;
    const value = typeof raw === 'boolean' ? t(raw ? 'case.yes' : 'case.no') : raw;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      lines.push(...value.map(String));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      lines.push(`${key}: ${value}`);
    else if (value !== null && value !== undefined) lines.push(`${key}: ${JSON.stringify(value)}`);
  }
  return lines;
}

function UploadPaper({ kase, onDone }: { kase: CaseDetail; onDone: (next: CaseDetail) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [kind, setKind] = useState<AttachmentKind>('authorization');
  const [member, setMember] = useState<number | null>(kase.missingAuthorizations[0] ?? 0);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const needsMember = PER_MEMBER.has(kind);

  const upload = async (file: File) => {
    setFailure(null);
    if (file.size > MAX_ATTACHMENT_BYTES) {
      setFailure(t('case.paper.tooLarge'));
      return;
    }
    if (needsMember && member === null) {
      setFailure(t('case.paper.memberRequired'));
      return;
    }
    setBusy(true);
    try {
      const next = await uploadAttachment(kase.id, { kind, memberIndex: needsMember ? member : null, file });
      message.success(t('case.paper.uploaded', { name: file.name }));
      onDone(next);
      setMember(next.missingAuthorizations[0] ?? member);
    } catch (error) {
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={8} data-testid="case-paper-upload">
      <Space wrap>
        <Select<AttachmentKind>
          style={{ width: 160 }}
          value={kind}
          onChange={setKind}
          options={ATTACHMENT_KINDS.map((value) => ({ value, label: ATTACHMENT_KIND_LABELS[value] }))}
          data-testid="case-paper-kind"
        />
        {needsMember && (
          <Select<number>
            style={{ width: 200 }}
            value={member ?? undefined}
            placeholder={t('case.paper.member')}
            onChange={setMember}
            options={kase.members.map((m) => ({
              value: m.index,
              label: t('case.memberN', { n: m.index + 1, name: m.name }),
            }))}
            data-testid="case-paper-member"
          />
        )}
        <input
          ref={input}
          type="file"
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          style={{ display: 'none' }}
          data-testid="case-paper-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void upload(file);
          }}
        />
        <Button
          icon={<UploadOutlined />}
          loading={busy}
          onClick={() => input.current?.click()}
          data-testid="case-paper-choose"
        >
          {t('case.paper.choose')}
        </Button>
      </Space>
      {failure && (
        <Alert
          type="error"
          showIcon
          message={failure}
          closable
          onClose={() => setFailure(null)}
          data-testid="case-paper-error"
        />
      )}
    </Flex>
  );
}

type StepKind =
  | 'accept'
  | 'submitReport'
  | 'approveReport'
  | 'sendBack'
  | 'requestExtension'
  | 'approveExtension'
  | 'rejectExtension'
  | 'requestSuspension'
  | 'approveSuspension'
  | 'rejectSuspension'
  | 'appeal'
  | 'assignReview'
  | 'reportForceMajeure'
  | 'approveForceMajeure'
  | 'rejectForceMajeure'
  | 'forceMajeureExtend'
  | 'terminate';

/** What each verification step asks for, and the call it makes. */
const STEP_SPECS: Record<
  StepKind,
  {
    text: MessageKey | null;
    fields?: StepField[];
    maxWorkdays?: number;
    workdaysLabel?: MessageKey;
    hint?: MessageKey;
    danger?: boolean;
    primary?: boolean;
    run: (id: number, values: StepValues) => Promise<CaseDetail>;
  }
> = {
  accept: {
    text: null,
    fields: ['group'],
    hint: 'case.accept.hint',
    primary: true,
    run: (id, v) => acceptCase(id, { handlerId: v.handlerId ?? 0, reviewerId: v.reviewerId ?? 0 }),
  },
  submitReport: { text: 'case.act.remarks', run: (id, v) => caseSteps.submitReport(id, v.text) },
  approveReport: { text: null, run: (id) => caseSteps.approveReport(id) },
  sendBack: { text: 'case.act.reasons', danger: true, run: (id, v) => caseSteps.sendBackReport(id, v.text) },
  requestExtension: {
    text: 'case.act.reasons',
    fields: ['workdays'],
    run: (id, v) => caseSteps.requestExtension(id, v.workdays, v.text),
  },
  approveExtension: { text: null, run: (id) => caseSteps.decideExtension(id, true, '') },
  rejectExtension: { text: 'case.act.reasons', run: (id, v) => caseSteps.decideExtension(id, false, v.text) },
  requestSuspension: {
    text: 'case.act.reasons',
    fields: ['grounds'],
    danger: true,
    run: (id, v) => caseSteps.requestSuspension(id, v.grounds, v.text),
  },
  approveSuspension: { text: null, danger: true, run: (id) => caseSteps.decideSuspension(id, true, '') },
  rejectSuspension: {
    text: 'case.act.reasons',
    run: (id, v) => caseSteps.decideSuspension(id, false, v.text),
  },
  appeal: { text: 'case.act.reasons', run: (id, v) => caseSteps.appeal(id, v.text) },
  assignReview: {
    text: null,
    fields: ['reviewGroup'],
    run: (id, v) => caseSteps.assignReview(id, v.handlerId ?? 0, v.reviewerId ?? 0),
  },
  reportForceMajeure: { text: 'case.act.event', run: (id, v) => caseSteps.reportForceMajeure(id, v.text) },
  approveForceMajeure: { text: null, run: (id) => caseSteps.decideForceMajeure(id, true, '') },
  rejectForceMajeure: {
    text: 'case.act.reasons',
    run: (id, v) => caseSteps.decideForceMajeure(id, false, v.text),
  },
  forceMajeureExtend: {
    text: 'case.act.request',
    fields: ['workdays'],
    maxWorkdays: 20,
    workdaysLabel: 'case.act.workdaysForceMajeure',
    run: (id, v) => caseSteps.forceMajeureExtend(id, v.workdays, v.text),
  },
  terminate: { text: 'case.act.request', danger: true, run: (id, v) => caseSteps.terminate(id, v.text) },
};

function ReturnModal({
  kase,
  open,
  onClose,
  onDone,
}: {
  kase: CaseDetail;
  open: boolean;
  onClose: () => void;
  onDone: (next: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const reasons = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

  const submit = async () => {
    if (reasons.length === 0) {
      setFailure(t('case.return.reasonsRequired'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const next = await returnCase(kase.id, reasons);
      message.success(t('case.return.done'));
      setText('');
      onDone(next);
    } catch (error) {
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('case.return')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('case.return')}
      okButtonProps={withTestId('case-return-ok', { loading: busy, danger: true })}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {failure && <Alert type="error" showIcon message={failure} data-testid="case-return-error" />}
        <Typography.Text>{t('case.return.reasons')}</Typography.Text>
        <Input.TextArea
          rows={5}
          value={text}
          maxLength={5000}
          onChange={(event) => setText(event.target.value)}
          data-testid="case-return-reasons"
        />
      </Space>
    </Modal>
  );
}

function CaseView({ initial }: { initial: CaseDetail }) {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const typeLabel = useAssistanceTypeLabel();
  const [kase, setKase] = useState(initial);
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [stepOpen, setStepOpen] = useState<StepKind | null>(null);

  const requester = me.roles.includes('requester_staff');
  const agency = me.roles.some((role) => role === 'agency_staff' || role === 'agency_reviewer');
  const paperOpen = requester && (kase.state === 'submitted' || kase.state === 'returned');
  const workGroup = me.id === kase.handlerId || me.id === kase.reviewerId;
  const isHandler = me.id === kase.handlerId;
  const isReviewer = me.id === kase.reviewerId;
  const steps: StepKind[] = [];
  if (agency && kase.state === 'submitted') steps.push('accept');
  if (isHandler && (kase.state === 'verifying' || kase.state === 'reviewing')) steps.push('submitReport');
  if (isHandler && kase.state === 'verifying' && kase.pendingRequest === null)
    steps.push('requestExtension', 'requestSuspension', 'reportForceMajeure');
  if (isReviewer && (kase.state === 'awaiting_approval' || kase.state === 'review_awaiting_approval'))
    steps.push('approveReport', 'sendBack');
  if (isReviewer && kase.pendingRequest === 'extension') steps.push('approveExtension', 'rejectExtension');
  if (isReviewer && kase.pendingRequest === 'suspension') steps.push('approveSuspension', 'rejectSuspension');
  if (isReviewer && kase.pendingRequest === 'force_majeure')
    steps.push('approveForceMajeure', 'rejectForceMajeure');
  if (requester && kase.state === 'verifying' && kase.pendingRequest === 'force_majeure_choice')
    steps.push('forceMajeureExtend', 'terminate');
  if (requester && kase.state === 'reported') steps.push('appeal');
  if (agency && kase.state === 'appealed') steps.push('assignReview');

  const resubmit = async () => {
    setBusy(true);
    try {
      setKase(await resubmitCase(kase.id));
      message.success(t('case.resubmit.done'));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const download = async (document: CaseDocument) => {
    try {
      await downloadCaseDocument(kase.id, document);
    } catch (error) {
      notifyError(error);
    }
  };

  const missing = new Set(kase.missingAuthorizations);
  const memberName = (index: number | null) => {
    if (index === null) return EMPTY;
    const m = kase.members[index];
    return m ? t('case.memberN', { n: index + 1, name: m.name }) : String(index + 1);
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-number">
            {kase.number}
          </Typography.Title>
          <Tag color={CASE_STATE_COLOR[kase.state]} data-testid="case-state">
            {CASE_STATE_LABELS[kase.state] ?? kase.stateLabel}
          </Tag>
        </Space>
        <Space wrap>
          {steps.map((kind) => (
            <Button
              key={kind}
              type={STEP_SPECS[kind].primary ? 'primary' : 'default'}
              danger={STEP_SPECS[kind].danger === true}
              onClick={() => setStepOpen(kind)}
              data-testid={`case-step-${kind}`}
            >
              {t(`case.act.${kind}`)}
            </Button>
          ))}
          {agency && kase.state === 'submitted' && (
            <Button danger onClick={() => setReturning(true)} data-testid="case-return">
              {t('case.return')}
            </Button>
          )}
          {requester && kase.state === 'returned' && (
            <Button type="primary" loading={busy} onClick={() => void resubmit()} data-testid="case-resubmit">
              {t('case.resubmit')}
            </Button>
          )}
          {workGroup && kase.state === 'verifying' && (
            <Link
              to={`/assessments/new?caseRef=${encodeURIComponent(kase.number)}`}
              data-testid="case-verify"
            >
              <Button>{t('case.verify')}</Button>
            </Link>
          )}
          {agency && kase.state === 'suspended' && (
            <Link to={`/dishonesty?draftCase=${kase.id}`} data-testid="case-dishonesty">
              <Button>{t('case.dishonesty')}</Button>
            </Link>
          )}
          <CaseArchiveButton caseId={kase.id} caseNumber={kase.number} />
          <Link to="/cases">
            <Button>{t('case.backToList')}</Button>
          </Link>
        </Space>
      </Flex>

      {kase.state === 'verifying' && kase.pendingRequest === 'force_majeure_choice' && (
        <Alert
          type="warning"
          showIcon
          message={t('case.forceMajeure.choice')}
          data-testid="case-force-majeure"
        />
      )}
      {kase.state === 'verifying' && kase.pendingRequest === 'force_majeure' && (
        <Alert
          type="info"
          showIcon
          message={t('case.forceMajeure.pending')}
          data-testid="case-force-majeure"
        />
      )}

      <Card title={t('case.header')} size="small">
        <Descriptions column={3} size="small">
          <Descriptions.Item label={t('case.assistanceType')}>
            {typeLabel(kase.assistanceType)}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.applicant')}>
            <span data-testid="case-applicant">{kase.members[0]?.name ?? kase.applicant}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('case.memberCount')}>{kase.memberCount}</Descriptions.Item>
          <Descriptions.Item label={t('case.receivedOn')}>{kase.receivedOn}</Descriptions.Item>
          <Descriptions.Item label={t('case.acceptedOn')}>{kase.acceptedOn ?? EMPTY}</Descriptions.Item>
          <Descriptions.Item label={t('case.reportDue')}>{kase.reportDue ?? EMPTY}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('case.deadlines')} size="small">
        {kase.deadlines.length > 0 ? (
          <CaseDeadlineTags deadlines={kase.deadlines} testId="case-deadlines" />
        ) : (
          <Typography.Text type="secondary">{EMPTY}</Typography.Text>
        )}
      </Card>

      <Card title={t('case.members')} size="small">
        {kase.missingAuthorizations.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="case-missing-authorizations"
            message={t('case.missingAuthorizations', {
              members: kase.missingAuthorizations.map((index) => memberName(index)).join('、'),
            })}
          />
        )}
        <Table<CaseMember>
          rowKey="index"
          size="small"
          pagination={false}
          dataSource={kase.members}
          data-testid="case-members"
          columns={[
            { title: '#', dataIndex: 'index', render: (_, m) => m.index + 1 },
            { title: t('assessment.name'), dataIndex: 'name' },
            { title: t('case.idNumber'), dataIndex: 'idNumberMasked' },
            { title: t('case.relation'), dataIndex: 'relation' },
            {
              title: t('case.coResiding'),
              dataIndex: 'coResiding',
              render: (_, m) => (m.coResiding ? t('case.yes') : t('case.no')),
            },
            {
              title: t('case.exclusion'),
              dataIndex: 'exclusion',
              render: (_, m) => {
                const key = m.exclusion
                  ? (EXCLUSION_LABEL as Partial<Record<string, MessageKey>>)[m.exclusion]
                  : undefined;
                return m.exclusion ? (key ? t(key) : m.exclusion) : EMPTY;
              },
            },
            {
              title: t('case.authorization'),
              key: 'authorization',
              render: (_, m) =>
                missing.has(m.index) ? (
                  <CloseCircleFilled
                    style={{ color: '#ff4d4f' }}
                    data-testid={`member-${m.index}-auth-missing`}
                  />
                ) : (
                  <CheckCircleFilled style={{ color: '#52c41a' }} data-testid={`member-${m.index}-auth-ok`} />
                ),
            },
          ]}
        />
      </Card>

      <Card title={t('case.papers')} size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          {paperOpen && <UploadPaper kase={kase} onDone={setKase} />}
          <Table<CaseAttachment>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={kase.attachments}
            locale={{ emptyText: t('case.paper.none') }}
            data-testid="case-papers"
            columns={[
              {
                title: t('case.paper.kind'),
                dataIndex: 'kind',
                render: (_, a) => ATTACHMENT_KIND_LABELS[a.kind],
              },
              {
                title: t('case.paper.member'),
                dataIndex: 'memberIndex',
                render: (_, a) => memberName(a.memberIndex),
              },
              { title: t('case.paper.file'), dataIndex: 'fileName' },
              {
                title: t('case.paper.size'),
                dataIndex: 'bytes',
                align: 'right',
                render: (_, a) => `${Math.max(1, Math.round(a.bytes / 1024))} KB`,
              },
              {
                title: t('case.paper.uploadedAt'),
                dataIndex: 'uploadedAt',
                render: (_, a) => formatDateTime(a.uploadedAt),
              },
            ]}
          />
        </Space>
      </Card>

      <CaseEscalations kase={kase} onChange={setKase} />

      <Card title={t('case.documents')} size="small">
        <Table<CaseDocument>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={kase.documents}
          locale={{ emptyText: t('case.documents.none') }}
          data-testid="case-documents"
          columns={[
            {
              title: t('case.document.kind'),
              dataIndex: 'kind',
              render: (_, d) => {
                const key = documentLabel(d.kind);
                return key ? t(key) : d.kind;
              },
            },
            { title: t('case.document.number'), dataIndex: 'number' },
            {
              title: t('case.document.code'),
              dataIndex: 'shortCode',
              render: (_, d) => <Typography.Text code>{d.shortCode}</Typography.Text>,
            },
            {
              title: t('case.document.issuedAt'),
              dataIndex: 'issuedAt',
              render: (_, d) => formatDateTime(d.issuedAt),
            },
            {
              title: t('common.actions'),
              key: 'download',
              render: (_, d) => (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() => void download(d)}
                  data-testid={`case-document-download-${d.kind}`}
                >
                  {t('case.document.download')}
                </Button>
              ),
            },
          ]}
        />
      </Card>

      <Card title={t('case.history')} size="small">
        <Timeline
          data-testid="case-history"
          items={kase.events.map((event: CaseEvent) => ({
            key: event.id,
            children: (
              <div data-testid={`case-event-${event.step}`}>
                <Typography.Text strong>{formatDateTime(event.at)}</Typography.Text>{' '}
                <Typography.Text>{event.actorName ?? t('case.history.system')}</Typography.Text>{' '}
                <Tag>{stepLabel(event.step, t)}</Tag>
                <Typography.Text type="secondary">
                  {stateLabel(event.fromState)} → {stateLabel(event.toState)}
                </Typography.Text>
                {detailLines(event.details, t).map((line, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: an event's details never change
                  <div key={index}>
                    <Typography.Text type="secondary">{line}</Typography.Text>
                  </div>
                ))}
              </div>
            ),
          }))}
        />
      </Card>

      {stepOpen !== null && (
        <CaseStepModal
          caseId={kase.id}
          testId={`case-step-${stepOpen}-modal`}
          title={t(`case.act.${stepOpen}`)}
          textLabel={STEP_SPECS[stepOpen].text === null ? null : t(STEP_SPECS[stepOpen].text as MessageKey)}
          fields={STEP_SPECS[stepOpen].fields ?? []}
          {...(STEP_SPECS[stepOpen].maxWorkdays !== undefined
            ? { maxWorkdays: STEP_SPECS[stepOpen].maxWorkdays }
            : {})}
          {...(STEP_SPECS[stepOpen].workdaysLabel !== undefined
            ? { workdaysLabel: STEP_SPECS[stepOpen].workdaysLabel }
            : {})}
          {...(STEP_SPECS[stepOpen].hint !== undefined ? { hint: t(STEP_SPECS[stepOpen].hint) } : {})}
          {...(stepOpen === 'accept' ? { initialHandlerId: me.id } : {})}
          danger={STEP_SPECS[stepOpen].danger === true}
          onClose={() => setStepOpen(null)}
          run={(values) => STEP_SPECS[stepOpen].run(kase.id, values)}
          onDone={(next) => {
            setStepOpen(null);
            setKase(next);
            message.success(t('case.act.done'));
          }}
        />
      )}
      <ReturnModal
        kase={kase}
        open={returning}
        onClose={() => setReturning(false)}
        onDone={(next) => {
          setKase(next);
          setReturning(false);
        }}
      />
    </Space>
  );
}

/** 案件: one case with its deadlines, members, papers, documents and every step taken. */
export function CasePage() {
  const { id } = useParams();
  const caseId = Number(id);
  const load = useCallback(() => getCase(caseId), [caseId]);
  const { state, reload } = useAsync(load);
  if (!Number.isSafeInteger(caseId) || caseId <= 0) return <Navigate to="/cases" replace />;
  if (state.status === 'loading') return <Spin />;
  if (state.status === 'failed')
    return <LoadFailed error={state.error} onRetry={() => void reload()} testId="case-load-failed" />;
  return <CaseView key={state.value.id} initial={state.value} />;
}
