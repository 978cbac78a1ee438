import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  AutoComplete,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { type CaseDetail, getCase } from '../api/cases';
import {
  decideEscalation,
  ESCALATION_DATA_ITEMS,
  type Escalation,
  type EscalationItem,
  type EscalationProposal,
  type EscalationState,
  proposeEscalation,
} from '../api/escalations';
import { useMe } from '../auth/session';
import { hasAnyRole } from '../domain/access';
import { formatYuan } from '../domain/yuan';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';
import { deadlineColor } from './CaseDeadlines';

export const ESCALATION_STATE_COLOR: Record<EscalationState, string> = {
  proposed: 'purple',
  approved: 'processing',
  rejected: 'default',
  answered: 'green',
  withdrawn: 'default',
};

/** A finding with where it comes from: department, dataset and the date its data stand at. */
export function FindingText({ item }: { item: EscalationItem }) {
  const { t } = useI18n();
  if (item.finding === null)
    return <Typography.Text type="secondary">{t('escalation.noFinding')}</Typography.Text>;
  const { finding, amountFen, sourceDepartment, sourceDataset, dataAsOf } = item.finding;
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text>{finding}</Typography.Text>
      {amountFen !== null && (
        <Typography.Text>{t('escalation.amountShown', { amount: formatYuan(amountFen) })}</Typography.Text>
      )}
      <Typography.Text type="secondary">
        {t('escalation.provenance', { department: sourceDepartment, dataset: sourceDataset, date: dataAsOf })}
      </Typography.Text>
    </Space>
  );
}

function EscalationCard({
  escalation,
  canDecide,
  onDecide,
}: {
  escalation: Escalation;
  canDecide: boolean;
  onDecide: (approve: boolean) => void;
}) {
  const { t } = useI18n();
  const pending = escalation.state === 'proposed' || escalation.state === 'approved';
  const columns: ColumnsType<EscalationItem> = [
    {
      title: t('escalation.member'),
      key: 'member',
      width: 180,
      render: (_, i) => `${i.name}（${i.relation}）`,
    },
    { title: t('escalation.idNumber'), dataIndex: 'idNumberMasked', width: 190 },
    { title: t('escalation.dataItem'), dataIndex: 'dataItem', width: 140 },
    { title: t('escalation.finding'), key: 'finding', render: (_, i) => <FindingText item={i} /> },
  ];
  return (
    <Card
      size="small"
      data-testid={`escalation-${escalation.id}`}
      title={
        <Space wrap>
          <Tag color={ESCALATION_STATE_COLOR[escalation.state]} data-testid="escalation-state">
            {escalation.stateLabel}
          </Tag>
          <span>{t('escalation.to', { agency: escalation.targetOrganisationName })}</span>
          {pending && (
            <Tag color={deadlineColor(escalation.workdaysLeft)}>
              {t('escalation.dueOn', { date: escalation.due })}
              {escalation.workdaysLeft !== null &&
                ` · ${t('case.workdaysLeft', { n: escalation.workdaysLeft })}`}
            </Tag>
          )}
        </Space>
      }
      extra={
        canDecide && escalation.state === 'proposed' ? (
          <Space>
            <Button
              type="primary"
              size="small"
              data-testid="escalation-approve"
              onClick={() => onDecide(true)}
            >
              {t('escalation.approve')}
            </Button>
            <Button size="small" danger data-testid="escalation-reject" onClick={() => onDecide(false)}>
              {t('escalation.reject')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('escalation.reason')} span={2}>
          {escalation.reason}
        </Descriptions.Item>
        <Descriptions.Item label={t('escalation.proposedBy')}>
          {`${escalation.proposedByName ?? EMPTY} · ${formatDateTime(escalation.proposedAt)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('escalation.decidedBy')}>
          {escalation.decidedAt === null
            ? EMPTY
            : `${escalation.approvedByName ?? EMPTY} · ${formatDateTime(escalation.decidedAt)}`}
        </Descriptions.Item>
        {escalation.decisionReason !== null && (
          <Descriptions.Item label={t('escalation.rejectReason')} span={2}>
            {escalation.decisionReason}
          </Descriptions.Item>
        )}
        {escalation.answeredAt !== null && (
          <Descriptions.Item label={t('escalation.answeredBy')} span={2}>
            {`${escalation.answeredByName ?? EMPTY} · ${formatDateTime(escalation.answeredAt)}`}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table
        size="small"
        rowKey="index"
        pagination={false}
        columns={columns}
        dataSource={escalation.items}
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}

interface ProposalForm {
  reason: string;
  items: { memberIndex: number | undefined; dataItem: string }[];
}

function ProposeModal({
  kase,
  onClose,
  onDone,
}: {
  kase: CaseDetail;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<ProposalForm>();
  const [saving, setSaving] = useState(false);
  const notifyError = useNotifyError();
  const { message } = App.useApp();

  const submit = async () => {
    const values = await form.validateFields();
    const proposal: EscalationProposal = {
      reason: values.reason,
      items: values.items.map((item) => ({
        memberIndex: item.memberIndex ?? -1,
        dataItem: item.dataItem.trim(),
      })),
    };
    setSaving(true);
    try {
      await proposeEscalation(kase.id, proposal);
      message.success(t('escalation.proposed'));
      onDone();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t('escalation.propose')}
      okText={t('escalation.proposeOk')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={withTestId('escalation-propose-ok', {})}
      destroyOnClose
    >
      <Typography.Paragraph type="secondary">{t('escalation.proposeHint')}</Typography.Paragraph>
      <Form<ProposalForm>
        form={form}
        layout="vertical"
        initialValues={{ reason: '', items: [{ memberIndex: undefined, dataItem: '' }] }}
        data-testid="escalation-propose-form"
      >
        <Form.Item
          name="reason"
          label={t('escalation.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('escalation.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="escalation-reason" />
        </Form.Item>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="baseline">
                  <Form.Item
                    name={[field.name, 'memberIndex']}
                    rules={[{ required: true, message: t('escalation.memberRequired') }]}
                    style={{ flex: 1 }}
                  >
                    <Select
                      placeholder={t('escalation.member')}
                      data-testid={`escalation-member-${field.name}`}
                      options={kase.members.map((member) => ({
                        value: member.index,
                        label: `${member.name}（${member.relation}）`,
                      }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'dataItem']}
                    rules={[{ required: true, whitespace: true, message: t('escalation.dataItemRequired') }]}
                    style={{ flex: 1 }}
                  >
                    <AutoComplete
                      placeholder={t('escalation.dataItem')}
                      data-testid={`escalation-data-item-${field.name}`}
                      options={ESCALATION_DATA_ITEMS.map((item) => ({ value: item }))}
                      filterOption={(input, option) => String(option?.value ?? '').includes(input)}
                      maxLength={50}
                    />
                  </Form.Item>
                  {fields.length > 1 && (
                    <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(field.name)} />
                  )}
                </Flex>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ memberIndex: undefined, dataItem: '' })}
              >
                {t('escalation.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function RejectModal({
  kase,
  escalation,
  onClose,
  onDone,
}: {
  kase: CaseDetail;
  escalation: Escalation;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const notifyError = useNotifyError();
  const submit = async () => {
    setSaving(true);
    try {
      await decideEscalation(kase.id, escalation.id, false, reason);
      onDone();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('escalation.reject')}
      okText={t('escalation.reject')}
      okButtonProps={withTestId('escalation-reject-ok', { danger: true, disabled: reason.trim().length < 2 })}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph>{t('escalation.rejectReason')}</Typography.Paragraph>
      <Input.TextArea
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="escalation-reject-reason"
      />
    </Modal>
  );
}

/**
 * 上级协助核对（子请求）on the case page (庆阳细则第六条): the handler proposes what the county cannot verify, the
 * reviewer approves or refuses it, and the agency above's findings show here with their source. Only for agency
 * users: the requester never sees a sub-request.
 */
export function CaseEscalations({
  kase,
  onChange,
}: {
  kase: CaseDetail;
  /** Receives the case as it stands after a step (read again from the server). */
  onChange: (next: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const [proposing, setProposing] = useState(false);
  const [rejecting, setRejecting] = useState<Escalation | null>(null);
  const refresh = () => {
    getCase(kase.id).then(onChange, notifyError);
  };
  if (!hasAnyRole(me.roles, ['agency_staff', 'agency_reviewer'])) return null;
  const canPropose = me.id === kase.handlerId && (kase.state === 'verifying' || kase.state === 'reviewing');
  const canDecide = me.id === kase.reviewerId;

  const decide = (escalation: Escalation, approve: boolean) => {
    if (!approve) {
      setRejecting(escalation);
      return;
    }
    modal.confirm({
      title: t('escalation.approveConfirm', { agency: escalation.targetOrganisationName }),
      okText: t('escalation.approve'),
      cancelText: t('common.cancel'),
      okButtonProps: withTestId('escalation-approve-ok', {}),
      onOk: async () => {
        try {
          await decideEscalation(kase.id, escalation.id, true);
          message.success(t('escalation.approved'));
          refresh();
        } catch (error) {
          notifyError(error);
        }
      },
    });
  };

  return (
    <Card
      title={t('escalation.title')}
      data-testid="case-escalations"
      extra={
        canPropose ? (
          <Button icon={<PlusOutlined />} data-testid="escalation-propose" onClick={() => setProposing(true)}>
            {t('escalation.propose')}
          </Button>
        ) : null
      }
    >
      {kase.escalations.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('escalation.none')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {kase.escalations.map((escalation) => (
            <EscalationCard
              key={escalation.id}
              escalation={escalation}
              canDecide={canDecide}
              onDecide={(approve) => decide(escalation, approve)}
            />
          ))}
        </Space>
      )}
      {proposing && (
        <ProposeModal
          kase={kase}
          onClose={() => setProposing(false)}
          onDone={() => {
            setProposing(false);
            refresh();
          }}
        />
      )}
      {rejecting !== null && (
        <RejectModal
          kase={kase}
          escalation={rejecting}
          onClose={() => setRejecting(null)}
          onDone={() => {
            setRejecting(null);
            refresh();
          }}
        />
      )}
    </Card>
  );
}
