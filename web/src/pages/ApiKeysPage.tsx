import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ModalForm,
  type ProColumns,
  ProFormCheckbox,
  ProFormDependency,
  ProFormSelect,
  ProFormText,
  ProTable,
} from '@ant-design/pro-components';
import { Alert, App, Button, Flex, Input, Modal, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import {
  type ApiScope,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  scopesAllowedFor,
} from '../api/apiKeys';
import { listOrganisations } from '../api/organisations';
import type { ApiKey, IssuedApiKey } from '../api/types';
import { useAsync } from '../hooks/useAsync';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

interface CreateValues {
  organisationId?: number;
  name: string;
  scopes?: ApiScope[];
}

/** How a key is used: a department pushes batches, a requester's system first asks for an OAuth2 token. */
function usageExample(issued: IssuedApiKey): string {
  if (issued.apiKey.scopes.includes('batches:write') || issued.apiKey.scopes.includes('exchanges:write'))
    return `Authorization: Bearer ${issued.key}\nPOST /api/v1/datasets/:code/batches?period=2025-Q2`;
  return `POST /api/v1/oauth/token\ngrant_type=client_credentials&client_id=${issued.apiKey.prefix}&client_secret=${issued.key}\n\nAuthorization: Bearer <access_token>\nPOST /api/v1/entrustments`;
}

/** The secret, shown this once, with a copy button; closing asks for confirmation that it was saved. */
function IssuedKeyModal({ issued, onClose }: { issued: IssuedApiKey; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.key);
      message.success(t('apiKey.copied'));
    } catch {
      message.warning(t('apiKey.copyFailed'));
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t('apiKey.issuedTitle', { name: issued.apiKey.name })}
      closable={false}
      maskClosable={false}
      keyboard={false}
      data-testid="api-key-issued"
      footer={
        <Button type="primary" onClick={onClose} data-testid="api-key-saved">
          {t('apiKey.saved')}
        </Button>
      }
    >
      <Flex vertical gap={16}>
        <Alert
          type="warning"
          showIcon
          message={t('apiKey.issuedWarning', { organisation: issued.apiKey.organisationName })}
        />
        <Space.Compact style={{ width: '100%' }}>
          <Input
            readOnly
            value={issued.key}
            onFocus={(event) => event.target.select()}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
            data-testid="api-key-secret"
          />
          <Button
            type="primary"
            icon={<CopyOutlined />}
            onClick={() => void copy()}
            data-testid="api-key-copy"
          >
            {t('apiKey.copy')}
          </Button>
        </Space.Compact>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('apiKey.issuedUsage')}
        </Typography.Paragraph>
        <pre className="hedui-json" style={{ margin: 0 }}>
          {usageExample(issued)}
        </pre>
      </Flex>
    </Modal>
  );
}

export function ApiKeysPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { state, reload } = useAsync(listApiKeys);
  const { state: organisations } = useAsync(listOrganisations);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  // Requesters (委托单位) and departments integrate; the agency and the administration have no machine clients.
  const integrating = useMemo(
    () =>
      organisations.status === 'ready'
        ? organisations.value.filter(
            (organisation) => scopesAllowedFor(organisation.kind).length > 0 && organisation.active,
          )
        : [],
    [organisations],
  );
  const kindOf = useCallback(
    (organisationId: number | undefined) => integrating.find((o) => o.id === organisationId)?.kind,
    [integrating],
  );

  const rotate = useCallback(
    async (key: ApiKey) => {
      setBusy(key.id);
      try {
        setIssued(await rotateApiKey(key.id));
        await reload();
      } catch (error) {
        notifyError(error);
      } finally {
        setBusy(null);
      }
    },
    [notifyError, reload],
  );

  const revoke = useCallback(
    async (key: ApiKey) => {
      setBusy(key.id);
      try {
        await revokeApiKey(key.id);
        message.success(t('apiKey.revokedDone', { name: key.name }));
        await reload();
      } catch (error) {
        notifyError(error);
      } finally {
        setBusy(null);
      }
    },
    [message, notifyError, reload, t],
  );

  const columns: ProColumns<ApiKey>[] = [
    {
      title: t('apiKey.name'),
      dataIndex: 'name',
      render: (_, key) => <Typography.Text strong>{key.name}</Typography.Text>,
    },
    { title: t('apiKey.organisation'), dataIndex: 'organisationName' },
    {
      title: t('apiKey.scopes'),
      dataIndex: 'scopes',
      render: (_, key) => (
        <Flex wrap gap={4} data-testid={`api-key-scopes-${key.id}`}>
          {key.scopes.map((scope) => (
            <Tooltip key={scope} title={t(`apiKey.scope.${scope}`)}>
              <Tag>{scope}</Tag>
            </Tooltip>
          ))}
        </Flex>
      ),
    },
    {
      title: t('apiKey.prefix'),
      dataIndex: 'prefix',
      width: 150,
      render: (_, key) => <Typography.Text code>{key.prefix}…</Typography.Text>,
    },
    {
      title: t('apiKey.status'),
      dataIndex: 'revokedAt',
      width: 110,
      render: (_, key) =>
        key.revokedAt ? (
          <Tooltip title={t('apiKey.revokedAt', { time: formatDateTime(key.revokedAt) })}>
            <Tag data-testid={`api-key-status-${key.id}`}>{t('apiKey.revoked')}</Tag>
          </Tooltip>
        ) : (
          <Tag color="success" data-testid={`api-key-status-${key.id}`}>
            {t('apiKey.active')}
          </Tag>
        ),
    },
    {
      title: t('apiKey.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (_, key) => formatDateTime(key.createdAt),
    },
    {
      title: t('apiKey.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      width: 170,
      render: (_, key) => formatDateTime(key.lastUsedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, key) =>
        key.revokedAt ? null : (
          <Space size={0}>
            <Popconfirm
              title={t('apiKey.rotateConfirm', { name: key.name })}
              onConfirm={() => rotate(key)}
              okButtonProps={withTestId('api-key-rotate-confirm', {})}
            >
              <Button
                type="link"
                size="small"
                loading={busy === key.id}
                data-testid={`api-key-rotate-${key.id}`}
              >
                {t('apiKey.rotate')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('apiKey.revokeConfirm', { name: key.name })}
              onConfirm={() => revoke(key)}
              okButtonProps={withTestId('api-key-revoke-confirm', { danger: true })}
            >
              <Button
                type="link"
                size="small"
                danger
                disabled={busy === key.id}
                data-testid={`api-key-revoke-${key.id}`}
              >
                {t('apiKey.revoke')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <>
      <ProTable<ApiKey>
        rowKey="id"
        headerTitle={t('apiKey.title')}
        columns={columns}
        dataSource={state.status === 'ready' ? state.value : []}
        loading={state.status === 'loading'}
        search={false}
        pagination={{ defaultPageSize: 20 }}
        options={{ reload: () => void reload(), density: false, setting: false }}
        tableExtraRender={() =>
          state.status === 'failed' ? (
            <Alert type="error" showIcon message={t('common.loadFailed')} />
          ) : (
            <Alert type="info" showIcon message={t('apiKey.hint')} />
          )
        }
        toolBarRender={() => [
          <Button
            key="create"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="api-key-create"
          >
            {t('apiKey.create')}
          </Button>,
        ]}
      />
      <ModalForm<CreateValues>
        open={creating}
        title={t('apiKey.createTitle')}
        width={520}
        layout="vertical"
        modalProps={{ destroyOnHidden: true }}
        onOpenChange={setCreating}
        submitter={{ submitButtonProps: withTestId('api-key-submit', {}) }}
        onFinish={async (values) => {
          try {
            const result = await createApiKey({
              organisationId: values.organisationId ?? 0,
              name: values.name.trim(),
              ...(values.scopes ? { scopes: values.scopes } : {}),
            });
            setIssued(result);
            await reload();
            return true;
          } catch (error) {
            notifyError(error);
            return false;
          }
        }}
      >
        <ProFormSelect
          name="organisationId"
          label={t('apiKey.organisation')}
          rules={[{ required: true, message: t('apiKey.organisationRequired') }]}
          options={integrating.map((organisation) => ({
            value: organisation.id,
            label: `${organisation.name}（${t(`apiKey.kind.${organisation.kind}`)}）`,
          }))}
          fieldProps={withTestId('api-key-organisation', { showSearch: true, optionFilterProp: 'label' })}
        />
        <ProFormDependency name={['organisationId']}>
          {({ organisationId }: { organisationId?: number }) => {
            const kind = kindOf(organisationId);
            if (!kind) return null;
            const allowed = scopesAllowedFor(kind);
            return (
              <ProFormCheckbox.Group
                key={kind}
                name="scopes"
                label={t('apiKey.scopes')}
                initialValue={[...allowed]}
                layout="vertical"
                rules={[{ required: true, type: 'array', min: 1, message: t('apiKey.scopesRequired') }]}
                options={allowed.map((scope) => ({
                  value: scope,
                  label: `${t(`apiKey.scope.${scope}`)}（${scope}）`,
                }))}
                fieldProps={withTestId('api-key-scopes', {})}
              />
            );
          }}
        </ProFormDependency>
        <ProFormText
          name="name"
          label={t('apiKey.name')}
          rules={[{ required: true, whitespace: true, message: t('apiKey.nameRequired') }]}
          fieldProps={withTestId('api-key-name', {
            maxLength: 100,
            placeholder: t('apiKey.namePlaceholder'),
          })}
        />
      </ModalForm>
      {issued && <IssuedKeyModal issued={issued} onClose={() => setIssued(null)} />}
    </>
  );
}
