import { Table, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { LoginEvent } from '../api/account-security';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { type MessageKey, zhCN } from '../i18n/zh-CN';
import { formatDateTime } from '../utils/datetime';

const OUTCOME_COLOURS = { success: 'success', failure: 'error', denied: 'warning' } as const;

/** 登录记录: one page of a user's login attempts, loaded through `load` (own log or an administrator's view). */
export function LoginLogTable({
  load,
  testId,
}: {
  load: (page: number, pageSize: number) => Promise<{ items: LoginEvent[]; total: number }>;
  testId: string;
}) {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [data, setData] = useState<{ items: LoginEvent[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);

  // The loader may be a new function on every render of the parent: the page alone decides when to load.
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    setLoading(true);
    loadRef
      .current(page.current, page.pageSize)
      .then(setData, notifyError)
      .finally(() => setLoading(false));
  }, [page, notifyError]);

  return (
    <Table<LoginEvent>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={data.items}
      data-testid={testId}
      pagination={{
        current: page.current,
        pageSize: page.pageSize,
        total: data.total,
        onChange: (current, pageSize) => setPage({ current, pageSize }),
      }}
      columns={[
        { title: t('login.at'), dataIndex: 'at', width: 170, render: (at: string) => formatDateTime(at) },
        {
          title: t('login.step'),
          dataIndex: 'step',
          width: 110,
          render: (step: LoginEvent['step']) => t(`login.step.${step}`),
        },
        {
          title: t('login.outcome'),
          dataIndex: 'outcome',
          width: 90,
          render: (outcome: LoginEvent['outcome']) => (
            <Tag color={OUTCOME_COLOURS[outcome]}>{t(`login.outcome.${outcome}`)}</Tag>
          ),
        },
        {
          title: t('login.reason'),
          dataIndex: 'reason',
          width: 190,
          render: (reason: string | null) => {
            if (!reason) return null;
            const key = `login.reason.${reason}`;
            return key in zhCN ? t(key as MessageKey) : reason;
          },
        },
        { title: t('login.ip'), dataIndex: 'ip', width: 140 },
        {
          title: t('login.userAgent'),
          dataIndex: 'userAgent',
          ellipsis: true,
          render: (ua: string | null) => <Typography.Text type="secondary">{ua}</Typography.Text>,
        },
      ]}
    />
  );
}
