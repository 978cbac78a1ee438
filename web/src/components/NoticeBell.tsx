import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, Popover, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { listNotices, listUnreadNotices, markNoticeRead } from '../api/delivery';
import type { Notice, NoticeList } from '../api/types';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

/** How often the header checks for new notices. */
const POLL_MS = 60_000;

type BellState = { state: 'loading' } | { state: 'ready'; list: NoticeList } | { state: 'unavailable' };

/** The server has no notices for this user's role (or does not offer them): the bell stays out of the way. */
function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

function NoticeItem({ notice, onRead }: { notice: Notice; onRead: (notice: Notice) => void }) {
  const { t } = useI18n();
  const unread = notice.readAt === null;
  return (
    <Flex
      vertical
      gap={2}
      style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}
      data-testid={`notice-${notice.id}`}
    >
      <Flex gap={8} align="flex-start" justify="space-between">
        <Flex gap={8} align="baseline" style={{ minWidth: 0 }}>
          {unread && <Badge status="processing" />}
          <Typography.Text strong={unread}>{notice.title}</Typography.Text>
        </Flex>
        {unread && (
          <Button
            type="link"
            size="small"
            onClick={() => onRead(notice)}
            data-testid={`notice-mark-read-${notice.id}`}
          >
            {t('notice.markRead')}
          </Button>
        )}
      </Flex>
      <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{notice.body}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(notice.createdAt)}
      </Typography.Text>
    </Flex>
  );
}

export function NoticeBell() {
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const [bell, setBell] = useState<BellState>({ state: 'loading' });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const list = await listNotices();
      setBell({ state: 'ready', list });
    } catch (error) {
      if (isUnavailable(error)) setBell({ state: 'unavailable' });
      // Other failures (network) keep the last known list; the next poll tries again.
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  if (bell.state === 'unavailable') return null;

  const list = bell.state === 'ready' ? bell.list : null;
  const unread = list?.unread ?? 0;

  const markRead = async (pick: () => Promise<readonly Notice[]>) => {
    setBusy(true);
    try {
      for (const notice of await pick()) await markNoticeRead(notice.id);
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const content = (
    <div style={{ width: 380, maxHeight: 440, overflow: 'auto' }} data-testid="notice-list">
      <Spin spinning={busy || bell.state === 'loading'}>
        {list && list.items.length > 0 ? (
          list.items.map((notice) => (
            <NoticeItem
              key={notice.id}
              notice={notice}
              onRead={(item) => void markRead(async () => [item])}
            />
          ))
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notice.empty')} />
        )}
        {list && list.total > list.items.length && (
          <Typography.Text type="secondary" style={{ display: 'block', paddingTop: 8, fontSize: 12 }}>
            {t('notice.newestOnly', { shown: list.items.length, total: list.total })}
          </Typography.Text>
        )}
      </Spin>
    </div>
  );

  const title = (
    <Flex justify="space-between" align="center">
      <span>
        {t('notice.title')}
        {unread > 0 && (
          <Tag color="processing" style={{ marginInlineStart: 8 }} data-testid="notice-unread-count">
            {t('notice.unreadCount', { n: unread })}
          </Tag>
        )}
      </span>
      {unread > 0 && (
        <Button
          type="link"
          size="small"
          disabled={busy}
          onClick={() => void markRead(listUnreadNotices)}
          data-testid="notice-mark-all"
        >
          {t('notice.markAllRead')}
        </Button>
      )}
    </Flex>
  );

  return (
    <Popover
      content={content}
      title={title}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) void refresh();
      }}
    >
      <Button
        type="text"
        data-testid="notice-bell"
        title={t('notice.bellTitle', { n: unread })}
        style={{ color: 'rgba(255,255,255,0.85)', paddingInline: 8 }}
      >
        <Badge count={unread} size="small" offset={[4, -2]} data-testid="notice-unread">
          <BellOutlined style={{ color: 'rgba(255,255,255,0.85)', fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
