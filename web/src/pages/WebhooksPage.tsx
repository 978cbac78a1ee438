import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ModalForm,
  type ProColumns,
  ProFormCheckbox,
  ProFormText,
  ProTable,
} from '@ant-design/pro-components';
import {
  Alert,
  App,
  Button,
  Drawer,
  Flex,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useState } from 'react';
import {
  createWebhook,
  deleteWebhook,
  type IssuedWebhookSecret,
  listWebhookDeliveries,
  listWebhooks,
  redeliverWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookDeliveryState,
  type WebhookEventType,
  type WebhookSubscription,
} from '../api/webhooks';
import { useAsync } from '../hooks/useAsync';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

const STATE_COLORS: Record<WebhookDeliveryState, string> = {
  pending: 'processing',
  delivering: 'processing',
  delivered: 'success',
  failed: 'error',
};
const MONO = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

interface FormValues {
  url: string;
  eventTypes: WebhookEventType[];
}

/** The signing secret, shown this once (creation or rotation), with a copy button. */
function SecretModal({ issued, onClose }: { issued: IssuedWebhookSecret; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.secret);
      message.success(t('webhook.copied'));
    } catch {
      message.warning(t('webhook.copyFailed'));
    }
  };
  return (
    <Modal
      open
      width={640}
      title={t('webhook.secretTitle')}
      closable={false}
      maskClosable={false}
      keyboard={false}
      data-testid="webhook-secret-modal"
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-saved">
          {t('webhook.secretSaved')}
        </Button>
      }
    >
      <Flex vertical gap={16}>
        <Alert type="warning" showIcon message={t('webhook.secretWarning')} />
        <Space.Compact style={{ width: '100%' }}>
          <Input readOnly value={issued.secret} style={MONO} data-testid="webhook-secret" />
          <Button
            type="primary"
            icon={<CopyOutlined />}
            onClick={() => void copy()}
            data-testid="webhook-copy"
          >
            {t('webhook.copy')}
          </Button>
        </Space.Compact>
        {issued.subscription.previousSecretValidUntil && (
          <Typography.Text type="secondary">
            {t('webhook.previousSecret', {
              time: formatDateTime(issued.subscription.previousSecretValidUntil),
            })}
          </Typography.Text>
        )}
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('webhook.verifyHint')}
        </Typography.Paragraph>
      </Flex>
    </Modal>
  );
}

/** A subscription's delivery log: each delivery's state and attempts, with 重新推送 for delivered or failed ones. */
function DeliveriesDrawer({
  subscription,
  onClose,
}: {
  subscription: WebhookSubscription;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [page, setPage] = useState(1);
  const load = useCallback(() => listWebhookDeliveries(subscription.id, page, 20), [subscription.id, page]);
  const { state, reload } = useAsync(load);

  const redeliver = async (delivery: WebhookDelivery) => {
    try {
      await redeliverWebhook(delivery.id);
      message.success(t('webhook.redelivered'));
      await reload();
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <Drawer
      open
      width={900}
      title={t('webhook.deliveriesTitle', { url: subscription.url })}
      onClose={onClose}
      data-testid="webhook-deliveries"
      extra={
        <Button onClick={() => void reload()} data-testid="webhook-deliveries-reload">
          {t('webhook.refresh')}
        </Button>
      }
    >
      <Table<WebhookDelivery>
        rowKey="id"
        size="small"
        loading={state.status === 'loading'}
        dataSource={state.status === 'ready' ? state.value.items : []}
        pagination={{
          current: page,
          pageSize: 20,
          total: state.status === 'ready' ? state.value.total : 0,
          onChange: setPage,
        }}
        expandable={{
          expandedRowRender: (d) => (
            <Flex vertical gap={8}>
              <Typography.Text type="secondary" style={MONO}>
                webhook-id: {d.messageId}
              </Typography.Text>
              <Table
                rowKey="at"
                size="small"
                pagination={false}
                dataSource={d.attemptLog ?? []}
                columns={[
                  { title: t('webhook.attempt'), dataIndex: 'attempt', width: 70 },
                  {
                    title: t('webhook.attemptAt'),
                    dataIndex: 'at',
                    render: (v: string) => formatDateTime(v),
                  },
                  {
                    title: t('webhook.statusCode'),
                    dataIndex: 'statusCode',
                    render: (v: number | null) => v ?? '—',
                  },
                  { title: t('webhook.error'), dataIndex: 'error', render: (v: string | null) => v ?? '—' },
                  { title: t('webhook.duration'), dataIndex: 'durationMs', render: (v: number) => `${v} ms` },
                ]}
              />
              <pre className="hedui-json" style={{ margin: 0 }}>
                {JSON.stringify(JSON.parse(d.payload), null, 2)}
              </pre>
            </Flex>
          ),
        }}
        columns={[
          { title: t('webhook.event'), dataIndex: 'eventLabel' },
          {
            title: t('webhook.state'),
            dataIndex: 'state',
            render: (_, d) => (
              <Tooltip title={d.lastError ?? undefined}>
                <Tag color={STATE_COLORS[d.state]} data-testid={`webhook-delivery-state-${d.id}`}>
                  {d.stateLabel}
                </Tag>
              </Tooltip>
            ),
          },
          { title: t('webhook.attempts'), dataIndex: 'attempts', width: 80 },
          { title: t('webhook.lastStatus'), dataIndex: 'lastStatus', render: (v: number | null) => v ?? '—' },
          {
            title: t('webhook.nextAttempt'),
            dataIndex: 'nextAttemptAt',
            render: (_, d) => (d.state === 'pending' ? formatDateTime(d.nextAttemptAt) : '—'),
          },
          { title: t('webhook.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) =>
              d.state === 'delivered' || d.state === 'failed' ? (
                <Button
                  type="link"
                  size="small"
                  onClick={() => void redeliver(d)}
                  data-testid={`webhook-redeliver-${d.id}`}
                >
                  {t('webhook.redeliver')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Drawer>
  );
}

export function WebhooksPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { state, reload } = useAsync(listWebhooks);
  const [editing, setEditing] = useState<WebhookSubscription | 'new' | null>(null);
  const [issued, setIssued] = useState<IssuedWebhookSecret | null>(null);
  const [viewing, setViewing] = useState<WebhookSubscription | null>(null);

  const act = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) message.success(done);
      await reload();
    } catch (error) {
      notifyError(error);
    }
  };

  const eventLabel = (type: WebhookEventType) => t(`webhook.eventType.${type}`);
  const columns: ProColumns<WebhookSubscription>[] = [
    {
      title: t('webhook.url'),
      dataIndex: 'url',
      render: (_, s) => <Typography.Text style={MONO}>{s.url}</Typography.Text>,
    },
    {
      title: t('webhook.events'),
      dataIndex: 'eventTypes',
      render: (_, s) => s.eventTypes.map((type) => <Tag key={type}>{eventLabel(type)}</Tag>),
    },
    {
      title: t('webhook.status'),
      dataIndex: 'active',
      width: 110,
      render: (_, s) => (
        <Tooltip title={s.disabledReason ?? undefined}>
          <Tag color={s.active ? 'success' : 'default'} data-testid={`webhook-status-${s.id}`}>
            {s.active ? t('webhook.active') : t('webhook.inactive')}
          </Tag>
        </Tooltip>
      ),
    },
    { title: t('webhook.createdBy'), dataIndex: 'createdByName', width: 140 },
    {
      title: t('webhook.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (_, s) => formatDateTime(s.createdAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 360,
      render: (_, s) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setViewing(s)} data-testid={`webhook-log-${s.id}`}>
            {t('webhook.log')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => void act(() => testWebhook(s.id), t('webhook.tested'))}
            data-testid={`webhook-test-${s.id}`}
          >
            {t('webhook.test')}
          </Button>
          <Button type="link" size="small" onClick={() => setEditing(s)} data-testid={`webhook-edit-${s.id}`}>
            {t('webhook.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => void act(() => updateWebhook(s.id, { active: !s.active }))}
            data-testid={`webhook-toggle-${s.id}`}
          >
            {s.active ? t('webhook.disable') : t('webhook.enable')}
          </Button>
          <Popconfirm
            title={t('webhook.rotateConfirm')}
            onConfirm={() => act(async () => setIssued(await rotateWebhookSecret(s.id)))}
            okButtonProps={withTestId('webhook-rotate-confirm', {})}
          >
            <Button type="link" size="small" data-testid={`webhook-rotate-${s.id}`}>
              {t('webhook.rotate')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('webhook.deleteConfirm')}
            onConfirm={() => act(() => deleteWebhook(s.id), t('webhook.deleted'))}
            okButtonProps={withTestId('webhook-delete-confirm', { danger: true })}
          >
            <Button type="link" size="small" danger data-testid={`webhook-delete-${s.id}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const current = editing === 'new' ? null : editing;
  return (
    <>
      <ProTable<WebhookSubscription>
        rowKey="id"
        headerTitle={t('webhook.title')}
        columns={columns}
        dataSource={state.status === 'ready' ? state.value : []}
        loading={state.status === 'loading'}
        search={false}
        pagination={false}
        options={{ reload: () => void reload(), density: false, setting: false }}
        tableExtraRender={() =>
          state.status === 'failed' ? (
            <Alert type="error" showIcon message={t('common.loadFailed')} />
          ) : (
            <Alert type="info" showIcon message={t('webhook.hint')} />
          )
        }
        toolBarRender={() => [
          <Button
            key="create"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="webhook-create"
          >
            {t('webhook.create')}
          </Button>,
        ]}
      />
      <ModalForm<FormValues>
        key={current?.id ?? 'new'}
        open={editing !== null}
        title={current ? t('webhook.editTitle') : t('webhook.createTitle')}
        width={560}
        layout="vertical"
        modalProps={{ destroyOnHidden: true }}
        initialValues={
          current
            ? { url: current.url, eventTypes: current.eventTypes }
            : { eventTypes: [...WEBHOOK_EVENT_TYPES] }
        }
        onOpenChange={(open) => !open && setEditing(null)}
        submitter={{ submitButtonProps: withTestId('webhook-submit', {}) }}
        onFinish={async (values) => {
          try {
            const input = { url: values.url.trim(), eventTypes: values.eventTypes };
            if (current) await updateWebhook(current.id, input);
            else setIssued(await createWebhook(input));
            await reload();
            return true;
          } catch (error) {
            notifyError(error);
            return false;
          }
        }}
      >
        <ProFormText
          name="url"
          label={t('webhook.url')}
          rules={[{ required: true, whitespace: true, message: t('webhook.urlRequired') }]}
          fieldProps={withTestId('webhook-url', { maxLength: 2000, placeholder: 'https://' })}
        />
        <ProFormCheckbox.Group
          name="eventTypes"
          label={t('webhook.events')}
          rules={[{ required: true, message: t('webhook.eventsRequired') }]}
          options={WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, label: eventLabel(type) }))}
          fieldProps={withTestId('webhook-events', {})}
        />
      </ModalForm>
      {issued && <SecretModal issued={issued} onClose={() => setIssued(null)} />}
      {viewing && <DeliveriesDrawer subscription={viewing} onClose={() => setViewing(null)} />}
    </>
  );
}
