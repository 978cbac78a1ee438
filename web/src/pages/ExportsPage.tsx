import { App, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback } from 'react';
import { approveExport, downloadExport, type ExportRequest, listExports, refuseExport } from '../api/exports';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { hasAnyRole } from '../domain/access';
import { useAsync } from '../hooks/useAsync';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

const STATE_COLORS: Record<ExportRequest['state'], string> = {
  pending: 'gold',
  approved: 'green',
  refused: 'red',
  downloaded: 'default',
};

/**
 * 导出审批 (issue #8 item 4): my export requests with their one download once approved; for agency reviewers the
 * requests of their scope to approve or refuse (never their own: four eyes). No personal data is shown here.
 */
export function ExportsPage() {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const me = useMe();
  const reviewer = hasAnyRole(me.roles, ['agency_reviewer']);
  const { state, reload } = useAsync(useCallback(() => listExports(), []));

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
    } catch (error) {
      notifyError(error);
    }
    await reload();
  };
  const refuse = (r: ExportRequest) => {
    let note = '';
    modal.confirm({
      title: t('exports.refuse.title'),
      content: (
        <Input.TextArea
          rows={3}
          data-testid="export-refuse-note"
          placeholder={t('exports.refuse.note')}
          onChange={(e) => {
            note = e.target.value;
          }}
        />
      ),
      onOk: () => act(() => refuseExport(r.id, note), t('exports.refused')),
    });
  };

  const base: ColumnsType<ExportRequest> = [
    { title: t('exports.id'), dataIndex: 'id', width: 80 },
    { title: t('exports.kind'), dataIndex: 'kindLabel', width: 200 },
    { title: t('exports.target'), dataIndex: 'target', width: 220 },
    { title: t('exports.reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('exports.requestedBy'), dataIndex: 'requestedByName', width: 160 },
    {
      title: t('exports.requestedAt'),
      key: 'at',
      width: 170,
      render: (_, r) => formatDateTime(r.requestedAt),
    },
    {
      title: t('exports.state'),
      key: 'state',
      width: 150,
      render: (_, r) => (
        <Tag color={STATE_COLORS[r.state]} data-testid={`export-state-${r.id}`}>
          {r.stateLabel}
        </Tag>
      ),
    },
  ];
  const mineColumns: ColumnsType<ExportRequest> = [
    ...base,
    {
      title: t('exports.action'),
      key: 'action',
      width: 200,
      render: (_, r) =>
        r.state === 'approved' ? (
          <Button
            type="primary"
            size="small"
            data-testid={`export-download-${r.id}`}
            onClick={() => void act(() => downloadExport(r.id), t('exports.downloaded'))}
          >
            {t('exports.download')}
          </Button>
        ) : r.state === 'refused' ? (
          <Typography.Text type="secondary">{r.decisionNote}</Typography.Text>
        ) : null,
    },
  ];
  const queueColumns: ColumnsType<ExportRequest> = [
    ...base,
    {
      title: t('exports.action'),
      key: 'action',
      width: 200,
      render: (_, r) => (
        <Space>
          <Button
            type="primary"
            size="small"
            data-testid={`export-approve-${r.id}`}
            onClick={() => void act(() => approveExport(r.id), t('exports.approved'))}
          >
            {t('exports.approve')}
          </Button>
          <Button danger size="small" data-testid={`export-refuse-${r.id}`} onClick={() => refuse(r)}>
            {t('exports.refuse')}
          </Button>
        </Space>
      ),
    },
  ];

  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;
  const data = state.status === 'ready' ? state.value : { mine: [], toDecide: [], decided: [] };
  const loading = state.status === 'loading';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('exports.intro')}</Typography.Paragraph>
      <Card title={t('exports.mine')}>
        <Table
          rowKey="id"
          size="small"
          loading={loading}
          columns={mineColumns}
          dataSource={data.mine}
          pagination={false}
          data-testid="exports-mine"
        />
      </Card>
      {reviewer && (
        <Card title={t('exports.toDecide')}>
          <Table
            rowKey="id"
            size="small"
            loading={loading}
            columns={queueColumns}
            dataSource={data.toDecide}
            pagination={false}
            data-testid="exports-to-decide"
          />
        </Card>
      )}
      {reviewer && (
        <Card title={t('exports.decided')}>
          <Table
            rowKey="id"
            size="small"
            loading={loading}
            columns={base}
            dataSource={data.decided}
            pagination={false}
          />
        </Card>
      )}
    </Space>
  );
}
