import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Modal, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { endUserSessions, resetSecondFactor, userLogins } from '../api/account-security';
import { listOrganisations } from '../api/organisations';
import type { Organisation, User } from '../api/types';
import { listUsers, unlockUser, updateUser } from '../api/users';
import { useMe } from '../auth/session';
import { LoginLogTable } from '../components/LoginLogTable';
import { RoleTags } from '../components/RoleTags';
import { type UserEditor, UserFormModal } from '../components/UserFormModal';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

interface UserSearch {
  keyword?: string;
  organisationId?: number | string;
}

function UserStatus({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <Space size={[0, 4]} wrap data-testid={`user-status-${user.id}`}>
      {!user.active && <Tag color="default">{t('status.inactive')}</Tag>}
      {user.locked && (
        <Tooltip
          title={
            user.lockedUntil ? t('user.lockedUntil', { time: formatDateTime(user.lockedUntil) }) : undefined
          }
        >
          <Tag color="error">{t('status.locked')}</Tag>
        </Tooltip>
      )}
      {user.active && !user.locked && <Tag color="success">{t('status.normal')}</Tag>}
      {user.secondFactor && <Tag color="blue">{t('user.secondFactorOn')}</Tag>}
    </Space>
  );
}

function parseOrganisationId(value: string | number | null | undefined): number | undefined {
  const id = Number(value);
  return value !== null && value !== undefined && value !== '' && Number.isInteger(id) ? id : undefined;
}

export function UsersPage() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const actionRef = useRef<ActionType>(undefined);
  const [searchParams] = useSearchParams();
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [editor, setEditor] = useState<UserEditor | null>(null);
  const [loginsOf, setLoginsOf] = useState<User | null>(null);
  const initialOrganisationId = parseOrganisationId(searchParams.get('organisationId'));

  useEffect(() => {
    listOrganisations().then(setOrganisations, notifyError);
  }, [notifyError]);

  const reload = () => actionRef.current?.reload();

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
      reload();
    } catch (error) {
      notifyError(error);
    }
  };

  const columns: ProColumns<User>[] = [
    {
      title: t('user.keyword'),
      dataIndex: 'keyword',
      hideInTable: true,
      fieldProps: { placeholder: t('user.keywordPlaceholder'), 'data-testid': 'user-search-keyword' },
    },
    {
      title: t('user.username'),
      dataIndex: 'username',
      hideInSearch: true,
      width: 170,
      render: (_, user) => (
        <Tooltip title={t('user.createdOn', { time: formatDateTime(user.createdAt) })}>
          <Typography.Text>{user.username}</Typography.Text>
        </Tooltip>
      ),
    },
    { title: t('user.displayName'), dataIndex: 'displayName', hideInSearch: true, width: 180 },
    {
      title: t('user.organisation'),
      dataIndex: 'organisationId',
      valueType: 'select',
      fieldProps: {
        showSearch: true,
        optionFilterProp: 'label',
        options: organisations.map((organisation) => ({ value: organisation.id, label: organisation.name })),
        'data-testid': 'user-search-organisation',
      },
      render: (_, user) => user.organisationName,
    },
    {
      title: t('user.roles'),
      dataIndex: 'roles',
      hideInSearch: true,
      render: (_, user) => <RoleTags roles={user.roles} />,
    },
    {
      title: t('user.status'),
      key: 'status',
      hideInSearch: true,
      width: 110,
      render: (_, user) => <UserStatus user={user} />,
    },
    {
      title: t('user.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      hideInSearch: true,
      width: 170,
      render: (_, user) => formatDateTime(user.lastLoginAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      hideInSearch: true,
      width: 300,
      render: (_, user) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            onClick={() => setEditor({ mode: 'edit', user })}
            data-testid={`user-edit-${user.id}`}
          >
            {t('common.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => setEditor({ mode: 'resetPassword', user })}
            data-testid={`user-reset-password-${user.id}`}
          >
            {t('user.resetPassword')}
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() => setLoginsOf(user)}
            data-testid={`user-logins-${user.id}`}
          >
            {t('user.logins')}
          </Button>
          <Popconfirm
            title={t('user.resetSecondFactorConfirm', { name: user.displayName })}
            onConfirm={() =>
              act(() => resetSecondFactor(user.id), t('user.secondFactorReset', { name: user.displayName }))
            }
          >
            <Button type="link" size="small" data-testid={`user-reset-mfa-${user.id}`}>
              {t('user.resetSecondFactor')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('user.endSessionsConfirm', { name: user.displayName })}
            onConfirm={async () => {
              try {
                const { endedSessions } = await endUserSessions(user.id);
                message.success(t('user.sessionsEnded', { name: user.displayName, count: endedSessions }));
              } catch (error) {
                notifyError(error);
              }
            }}
          >
            <Button type="link" size="small" data-testid={`user-end-sessions-${user.id}`}>
              {t('user.endSessions')}
            </Button>
          </Popconfirm>
          {user.locked && (
            <Popconfirm
              title={t('user.unlockConfirm', { name: user.displayName })}
              onConfirm={() => act(() => unlockUser(user.id), t('user.unlocked', { name: user.displayName }))}
            >
              <Button type="link" size="small" data-testid={`user-unlock-${user.id}`}>
                {t('user.unlock')}
              </Button>
            </Popconfirm>
          )}
          <Popconfirm
            title={t(user.active ? 'user.disableConfirm' : 'user.enableConfirm', { name: user.displayName })}
            disabled={user.id === me.id}
            onConfirm={() =>
              act(
                () => updateUser(user.id, { active: !user.active }),
                t(user.active ? 'user.disabled' : 'user.enabled', { name: user.displayName }),
              )
            }
          >
            <Button
              type="link"
              size="small"
              danger={user.active}
              disabled={user.id === me.id}
              title={user.id === me.id ? t('user.cannotDisableSelf') : undefined}
              data-testid={`user-toggle-active-${user.id}`}
            >
              {t(user.active ? 'user.disable' : 'user.enable')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <ProTable<User, UserSearch>
        rowKey="id"
        actionRef={actionRef}
        headerTitle={t('user.title')}
        columns={columns}
        form={{ initialValues: { organisationId: initialOrganisationId } }}
        search={{ labelWidth: 'auto' }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        request={async (params) => {
          try {
            const items = await listUsers({
              q: params.keyword?.trim() || undefined,
              organisationId: parseOrganisationId(params.organisationId),
            });
            return { data: items, total: items.length, success: true };
          } catch (error) {
            notifyError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Button
            key="create"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditor({ mode: 'create' })}
            data-testid="user-create"
          >
            {t('user.create')}
          </Button>,
        ]}
      />
      <Modal
        open={loginsOf !== null}
        title={loginsOf ? t('user.loginsTitle', { name: loginsOf.displayName }) : ''}
        width={960}
        footer={null}
        destroyOnHidden
        onCancel={() => setLoginsOf(null)}
      >
        {loginsOf && (
          <LoginLogTable
            load={(page, pageSize) => userLogins(loginsOf.id, page, pageSize)}
            testId="user-logins-table"
          />
        )}
      </Modal>
      {editor && (
        <UserFormModal
          editor={editor}
          organisations={organisations}
          onClose={() => setEditor(null)}
          onSaved={() => {
            setEditor(null);
            reload();
          }}
        />
      )}
    </>
  );
}
