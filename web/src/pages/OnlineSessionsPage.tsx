import { type ActionType, type ProColumns, ProTable } from '@ant-design/pro-components';
import { App, Button, Popconfirm, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { endSession, listOnlineSessions, type OnlineSession } from '../api/account-security';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

/** 在线会话: open sessions of users in the administrator's scope, each with a forced logout (audited). */
export function OnlineSessionsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const actionRef = useRef<ActionType>(undefined);

  const end = async (session: OnlineSession) => {
    try {
      await endSession(session.id);
      message.success(t('sessions.ended'));
      actionRef.current?.reload();
    } catch (error) {
      notifyError(error);
    }
  };

  const columns: ProColumns<OnlineSession>[] = [
    {
      title: t('sessions.user'),
      key: 'user',
      width: 200,
      render: (_, s) => (
        <span>
          {s.displayName} <Typography.Text type="secondary">{s.username}</Typography.Text>
        </span>
      ),
    },
    { title: t('user.organisation'), dataIndex: 'organisationName', width: 240, ellipsis: true },
    {
      title: t('sessions.stage'),
      dataIndex: 'stage',
      width: 120,
      render: (_, s) => (
        <Tag color={s.stage === 'full' ? 'success' : 'warning'}>{t(`sessions.stage.${s.stage}`)}</Tag>
      ),
    },
    {
      title: t('sessions.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (_, s) => formatDateTime(s.createdAt),
    },
    {
      title: t('sessions.lastSeenAt'),
      dataIndex: 'lastSeenAt',
      width: 170,
      render: (_, s) => formatDateTime(s.lastSeenAt),
    },
    {
      title: t('sessions.expiresAt'),
      dataIndex: 'expiresAt',
      width: 170,
      render: (_, s) => formatDateTime(s.expiresAt),
    },
    { title: t('login.ip'), dataIndex: 'ip', width: 130 },
    { title: t('login.userAgent'), dataIndex: 'userAgent', width: 220, ellipsis: true },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, s) => (
        <Popconfirm title={t('sessions.endConfirm', { name: s.displayName })} onConfirm={() => end(s)}>
          <Button type="link" size="small" danger data-testid={`session-end-${s.username}`}>
            {t('sessions.end')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <ProTable<OnlineSession>
      rowKey="id"
      actionRef={actionRef}
      headerTitle={t('sessions.title')}
      tooltip={t('sessions.intro')}
      columns={columns}
      search={false}
      scroll={{ x: 1500 }}
      pagination={{ defaultPageSize: 50 }}
      options={{ density: false, setting: false, reload: true }}
      data-testid="online-sessions"
      request={async () => {
        try {
          const items = await listOnlineSessions();
          return { data: items, total: items.length, success: true };
        } catch (error) {
          notifyError(error);
          return { data: [], total: 0, success: false };
        }
      }}
    />
  );
}
