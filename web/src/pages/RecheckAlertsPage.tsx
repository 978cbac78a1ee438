import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  type AlertFamilyCase,
  type AlertState,
  type AlertWork,
  listAlertFamilyCases,
  listRecheckAlerts,
  type RecheckAlert,
  workRecheckAlert,
} from '../api/recheck';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { canOpen } from '../domain/access';
import { useAsync } from '../hooks/useAsync';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { EMPTY, formatDateTime } from '../utils/datetime';
import { changeLabel } from './RecheckPage';
import { ForbiddenPage } from './ResultPages';

const STATES: readonly AlertState[] = [
  'open',
  'awaiting_entrustment',
  'confirmed',
  'dismissed',
  'case_opened',
];
const STATE_COLORS: Record<AlertState, string> = {
  open: 'volcano',
  confirmed: 'blue',
  dismissed: 'default',
  case_opened: 'green',
  awaiting_entrustment: 'gold',
};

/**
 * 变化预警 (issue #6): the alerts of the monthly recheck in the agency's region, with their evidence (source
 * dataset, batch, data-as-of date, values before and after); a handler confirms one, dismisses it with a reason,
 * or works it into a case: links it to one of the family's cases at the requester, or — none yet — asks the
 * requester to entrust one (待委托核对) and links it once entrusted. Working an alert never changes the family's
 * assistance.
 */
export function RecheckAlertsPage() {
  return canOpen(useMe().roles, 'recheck-alerts') ? <Alerts /> : <ForbiddenPage />;
}

function Alerts() {
  const { t } = useI18n();
  const [state, setState] = useState<AlertState | undefined>('open');
  const [working, setWorking] = useState<RecheckAlert | null>(null);
  const load = useCallback(() => listRecheckAlerts({ state, pageSize: 200 }), [state]);
  const { state: loaded, reload } = useAsync(load);

  const columns: TableColumnsType<RecheckAlert> = [
    { title: t('recheck.month'), dataIndex: 'month', width: 90 },
    { title: t('recheck.requester'), dataIndex: 'requesterName', width: 180 },
    { title: t('recheck.familyKey'), dataIndex: 'familyKey', width: 130 },
    {
      title: t('recheck.alert.kind'),
      dataIndex: 'kind',
      width: 140,
      render: (kind: string) => <Tag color="volcano">{t(changeLabel(kind))}</Tag>,
    },
    {
      title: t('recheck.alert.evidence'),
      key: 'evidence',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <span>{a.evidence.message}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.evidence.sources
              .map((s) =>
                t('recheck.alert.source', { dataset: s.dataset, batch: String(s.batchId), asOf: s.dataAsOf }),
              )
              .join('；')}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('recheck.state'),
      dataIndex: 'state',
      width: 100,
      render: (s: AlertState) => (
        <Tag color={STATE_COLORS[s]}>{t(`recheck.alert.state.${s}` as MessageKey)}</Tag>
      ),
    },
    {
      title: t('recheck.alert.worked'),
      key: 'worked',
      width: 200,
      render: (_, a) =>
        a.workedAt
          ? `${a.workedByName ?? EMPTY} ${formatDateTime(a.workedAt)}${a.reason ? `：${a.reason}` : ''}${a.caseNumber ? ` ${a.caseNumber}` : ''}`
          : EMPTY,
    },
    {
      title: t('common.actions'),
      key: 'work',
      width: 90,
      render: (_, a) =>
        a.state === 'open' || a.state === 'awaiting_entrustment' ? (
          <Button
            type="link"
            size="small"
            onClick={() => setWorking(a)}
            data-testid={`recheck-alert-work-${a.id}`}
          >
            {t('recheck.alert.work')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="recheck-alerts-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('recheck.alerts.title')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('recheck.notice')} />
      <Card
        size="small"
        extra={
          <Select
            allowClear
            style={{ width: 160 }}
            value={state}
            onChange={setState}
            placeholder={t('recheck.alert.allStates')}
            data-testid="recheck-alert-state-filter"
            options={STATES.map((s) => ({ value: s, label: t(`recheck.alert.state.${s}` as MessageKey) }))}
          />
        }
      >
        {loaded.status === 'failed' ? (
          <LoadFailed error={loaded.error} onRetry={() => void reload()} />
        ) : (
          <Table
            rowKey="id"
            size="small"
            loading={loaded.status === 'loading'}
            columns={columns}
            dataSource={loaded.status === 'ready' ? loaded.value.items : []}
            pagination={{ pageSize: 50 }}
            data-testid="recheck-alerts"
          />
        )}
      </Card>
      {working && (
        <WorkDialog
          alert={working}
          onClose={(changed) => {
            setWorking(null);
            if (changed) void reload();
          }}
        />
      )}
    </Space>
  );
}

interface WorkForm {
  action: 'confirm' | 'dismiss' | 'open_case';
  reason?: string;
  /** A case id, or `entrust` when the family has no case to link yet. */
  target?: number | 'entrust';
}

function WorkDialog({ alert, onClose }: { alert: RecheckAlert; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<WorkForm>();
  const action = Form.useWatch('action', form);
  const [busy, setBusy] = useState(false);
  const [cases, setCases] = useState<AlertFamilyCase[] | null>(null);
  const [casesError, setCasesError] = useState<unknown>(null);
  const canAskEntrustment = alert.state === 'open';

  // The family's cases are read (and audited) only when the handler chooses to work the alert into a case.
  useEffect(() => {
    if (action !== 'open_case' || cases !== null) return;
    listAlertFamilyCases(alert.id)
      .then((r) => setCases(r.cases))
      .catch((error: unknown) => setCasesError(error));
  }, [action, alert.id, cases]);

  const submit = async () => {
    const values = await form.validateFields();
    const reason = values.reason ?? null;
    const work: AlertWork =
      values.action === 'dismiss'
        ? { action: 'dismiss', reason: values.reason ?? '' }
        : values.action === 'open_case'
          ? values.target === 'entrust'
            ? { action: 'request_entrustment', reason }
            : { action: 'open_case', caseId: values.target ?? 0, reason }
          : { action: 'confirm', reason };
    setBusy(true);
    try {
      await workRecheckAlert(alert.id, work);
      message.success(t('recheck.alert.workedOk'));
      onClose(true);
    } catch (error) {
      if (!isSessionExpired(error)) message.error(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('recheck.alert.workTitle', { family: alert.familyKey })}
      onCancel={() => onClose(false)}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={t('recheck.alert.submit')}
      okButtonProps={{ 'data-testid': 'recheck-alert-submit' } as Record<string, string>}
      data-testid="recheck-alert-dialog"
    >
      <Alert
        type="warning"
        showIcon
        message={t('recheck.alert.noAssistanceChange')}
        style={{ marginBottom: 12 }}
      />
      <Typography.Paragraph>{alert.evidence.message}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ action: 'confirm' }}>
        <Form.Item name="action" label={t('recheck.alert.action')}>
          <Radio.Group>
            <Radio value="confirm" data-testid="recheck-alert-action-confirm">
              {t('recheck.alert.confirm')}
            </Radio>
            <Radio value="dismiss" data-testid="recheck-alert-action-dismiss">
              {t('recheck.alert.dismiss')}
            </Radio>
            <Radio value="open_case" data-testid="recheck-alert-action-open_case">
              {t('recheck.alert.toCase')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {action === 'open_case' &&
          (casesError !== null ? (
            <LoadFailed error={casesError} onRetry={() => setCasesError(null)} />
          ) : cases === null ? (
            <Spin />
          ) : (
            <Form.Item
              name="target"
              label={t('recheck.alert.familyCases')}
              extra={cases.length === 0 && canAskEntrustment ? t('recheck.alert.noFamilyCase') : undefined}
              rules={[{ required: true, message: t('recheck.alert.pickCase') }]}
            >
              <Radio.Group>
                <Space direction="vertical">
                  {cases.map((c) => (
                    <Radio key={c.id} value={c.id} data-testid={`recheck-alert-case-${c.number}`}>
                      {t('recheck.alert.caseLine', {
                        number: c.number,
                        state: c.stateLabel,
                        received: c.receivedOn,
                        accepted: c.acceptedOn ? t('recheck.alert.acceptedOn', { date: c.acceptedOn }) : '',
                        name: c.applicantName,
                        matched: c.matchedMembers,
                        count: c.memberCount,
                      })}
                    </Radio>
                  ))}
                  {canAskEntrustment && (
                    <Radio value="entrust" data-testid="recheck-alert-entrust">
                      {t('recheck.alert.requestEntrustment')}
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        {t('recheck.alert.entrustmentHint')}
                      </Typography.Text>
                    </Radio>
                  )}
                </Space>
              </Radio.Group>
            </Form.Item>
          ))}
        <Form.Item
          name="reason"
          label={t('recheck.alert.reason')}
          rules={
            action === 'dismiss'
              ? [{ required: true, whitespace: true, message: t('recheck.alert.reasonRequired') }]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="recheck-alert-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
