import { PlayCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import {
  getRecheck,
  listRechecks,
  type RecheckFamily,
  type RecheckItemStatus,
  type RecheckMode,
  type RecheckRun,
  type RecheckRunState,
  startRecheck,
} from '../api/recheck';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { canOpen } from '../domain/access';
import { useAsync } from '../hooks/useAsync';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { EMPTY, formatDateTime, nowInShanghai } from '../utils/datetime';
import { RecheckReportsCard } from './RecheckReportsCard';
import { ForbiddenPage } from './ResultPages';

const RUN_COLORS: Record<RecheckRunState, string> = { running: 'processing', done: 'green', failed: 'red' };
const ITEM_COLORS: Record<RecheckItemStatus, string> = {
  pending: 'default',
  done: 'green',
  skipped: 'orange',
  failed: 'red',
  carried: 'blue',
};

export function changeLabel(kind: string): MessageKey {
  return `recheck.change.${kind}` as MessageKey;
}

/**
 * 每月复核 (issue #6): the runs of the agency's region with their progress and counts, "run now" for reviewers
 * (a crashed run is resumed), and one run's families (members masked) with the changes found. Alerts never
 * change a family's assistance.
 */
export function RecheckPage() {
  return canOpen(useMe().roles, 'rechecks') ? <Rechecks /> : <ForbiddenPage />;
}

function Rechecks() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const isReviewer = me.roles.includes('agency_reviewer');
  const [month, setMonth] = useState<Dayjs | null>(() => nowInShanghai().startOf('month'));
  const [mode, setMode] = useState<RecheckMode>('changed');
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const load = useCallback(() => listRechecks({ pageSize: 100 }), []);
  const { state, reload } = useAsync(load);

  const runNow = async () => {
    if (!month) return;
    setBusy(true);
    try {
      const summary = await startRecheck({ month: month.format('YYYY-MM'), mode });
      message.success(
        t(summary.resumed ? 'recheck.resumed' : 'recheck.finished', {
          done: summary.counts.doneCount,
          changed: summary.counts.changedCount,
        }),
      );
      setSelected(summary.runId);
    } catch (error) {
      if (!isSessionExpired(error)) message.error(describeError(error, t));
    } finally {
      setBusy(false);
      void reload();
    }
  };

  const columns: TableColumnsType<RecheckRun> = [
    { title: t('recheck.month'), dataIndex: 'month', width: 90 },
    { title: t('recheck.scope'), dataIndex: 'scopeName' },
    {
      title: t('recheck.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: RecheckRunState) => (
        <Tag color={RUN_COLORS[s]}>{t(`recheck.state.${s}` as MessageKey)}</Tag>
      ),
    },
    {
      title: t('recheck.progress'),
      key: 'progress',
      width: 160,
      render: (_, r) => {
        const handled = r.doneCount + r.skippedCount + r.failedCount + r.carriedCount;
        return (
          <Progress
            size="small"
            percent={r.familyCount === 0 ? 100 : Math.floor((handled * 100) / r.familyCount)}
            status={r.state === 'failed' ? 'exception' : r.state === 'running' ? 'active' : 'normal'}
          />
        );
      },
    },
    { title: t('recheck.families'), dataIndex: 'familyCount', align: 'right', width: 80 },
    {
      title: t('recheck.mode'),
      dataIndex: 'mode',
      width: 100,
      render: (m: RecheckMode) => t(`recheck.mode.${m}` as MessageKey),
    },
    { title: t('recheck.done'), dataIndex: 'doneCount', align: 'right', width: 80 },
    { title: t('recheck.carried'), dataIndex: 'carriedCount', align: 'right', width: 80 },
    {
      title: t('recheck.skipped'),
      dataIndex: 'skippedCount',
      align: 'right',
      width: 80,
      render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : 0),
    },
    {
      title: t('recheck.failed'),
      dataIndex: 'failedCount',
      align: 'right',
      width: 80,
      render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0),
    },
    {
      title: t('recheck.changed'),
      dataIndex: 'changedCount',
      align: 'right',
      width: 90,
      render: (n: number) => (n > 0 ? <Tag color="volcano">{n}</Tag> : 0),
    },
    { title: t('recheck.startedAt'), dataIndex: 'startedAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('recheck.finishedAt'),
      dataIndex: 'finishedAt',
      render: (v: string | null) => (v ? formatDateTime(v) : EMPTY),
    },
    {
      title: t('common.actions'),
      key: 'view',
      width: 80,
      render: (_, r) => (
        <Button
          type="link"
          size="small"
          onClick={() => setSelected(r.id)}
          data-testid={`recheck-view-${r.id}`}
        >
          {t('recheck.view')}
        </Button>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="recheck-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('recheck.title')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('recheck.notice')} />
      <Card
        size="small"
        title={t('recheck.runs')}
        extra={
          isReviewer ? (
            <Space>
              <DatePicker picker="month" value={month} onChange={setMonth} allowClear={false} />
              <Select
                style={{ width: 140 }}
                value={mode}
                onChange={setMode}
                options={(['changed', 'full'] as const).map((m) => ({
                  value: m,
                  label: t(`recheck.mode.${m}` as MessageKey),
                }))}
                data-testid="recheck-mode"
              />
              <Button
                type="primary"
                icon={<PlayCircleOutlined />}
                loading={busy}
                onClick={() => void runNow()}
                data-testid="recheck-run-now"
              >
                {t('recheck.runNow')}
              </Button>
            </Space>
          ) : null
        }
      >
        {state.status === 'failed' ? (
          <LoadFailed error={state.error} onRetry={() => void reload()} />
        ) : (
          <Table
            rowKey="id"
            size="small"
            loading={state.status === 'loading'}
            columns={columns}
            dataSource={state.status === 'ready' ? state.value.items : []}
            pagination={false}
            data-testid="recheck-runs"
          />
        )}
      </Card>
      {selected !== null && <RecheckReportsCard key={`reports-${selected}`} runId={selected} />}
      {selected !== null && <RecheckDetailCard key={selected} id={selected} />}
    </Space>
  );
}

function RecheckDetailCard({ id }: { id: number }) {
  const { t } = useI18n();
  const [changedOnly, setChangedOnly] = useState(false);
  const load = useCallback(() => getRecheck(id, { changedOnly, pageSize: 200 }), [id, changedOnly]);
  const { state, reload } = useAsync(load);
  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;
  const detail = state.status === 'ready' ? state.value : null;

  const columns: TableColumnsType<RecheckFamily> = [
    { title: t('recheck.familyKey'), dataIndex: 'familyKey', width: 140 },
    {
      title: t('recheck.assistanceType'),
      dataIndex: 'assistanceTypeLabel',
      width: 140,
      render: (v: string | null) => v ?? EMPTY,
    },
    {
      title: t('recheck.members'),
      key: 'members',
      render: (_, f) =>
        f.members.map((m) => `${m.name}（${m.relation}，${m.idNumberMasked}）`).join('；') || EMPTY,
    },
    {
      title: t('recheck.itemStatus'),
      dataIndex: 'status',
      width: 100,
      render: (s: RecheckItemStatus, f) => (
        <Tag color={ITEM_COLORS[s]}>
          {t(`recheck.item.${s}` as MessageKey)}
          {f.errorCode ? ` · ${f.errorCode}` : ''}
        </Tag>
      ),
    },
    {
      title: t('recheck.changes'),
      dataIndex: 'changes',
      render: (changes: string[]) =>
        changes.length === 0
          ? EMPTY
          : changes.map((c) => (
              <Tag key={c} color="volcano">
                {t(changeLabel(c))}
              </Tag>
            )),
    },
  ];

  return (
    <Card
      size="small"
      title={detail ? t('recheck.detailTitle', { month: detail.run.month, scope: detail.run.scopeName }) : ''}
      extra={
        <Button size="small" onClick={() => setChangedOnly(!changedOnly)}>
          {t(changedOnly ? 'recheck.showAll' : 'recheck.changedOnly')}
        </Button>
      }
      data-testid="recheck-detail"
    >
      <Table
        rowKey="id"
        size="small"
        loading={state.status === 'loading'}
        columns={columns}
        dataSource={detail?.families ?? []}
        pagination={false}
      />
    </Card>
  );
}
