import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useCallback, useState } from 'react';
import {
  downloadRecheckReport,
  type ListedRecheckReport,
  listRecheckReports,
  type RecheckReportFormat,
} from '../api/recheck-reports';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { canOpen } from '../domain/access';
import { useAsync } from '../hooks/useAsync';
import { useExportRequest } from '../hooks/useExportRequest';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { ForbiddenPage } from './ResultPages';

/**
 * 复核报告 (issue #6 item 3, Q§6): the monthly recheck reports issued to the requester, to download as PDF or
 * XLSX (audited). A report states facts only; it changes no family's assistance.
 */
export function RecheckReportsPage() {
  return canOpen(useMe().roles, 'recheck-reports') ? <RecheckReports /> : <ForbiddenPage />;
}

function RecheckReports() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const load = useCallback(() => listRecheckReports({ pageSize: 200 }), []);
  const { state, reload } = useAsync(load);

  const askExport = useExportRequest();
  const download = async (r: ListedRecheckReport, format: RecheckReportFormat) => {
    // The XLSX lists every family's members: a bulk export, asked for and approved first (issue #8 item 4).
    if (format === 'xlsx') {
      askExport(
        { kind: 'recheck_report_xlsx', runId: r.runId, requesterId: r.requesterOrganisationId },
        r.number,
      );
      return;
    }
    setBusy(`${format}-${r.id}`);
    try {
      await downloadRecheckReport(r.runId, r.requesterOrganisationId, format, `${r.number}.${format}`);
    } catch (error) {
      if (!isSessionExpired(error)) message.error(describeError(error, t));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<ListedRecheckReport> = [
    { title: t('recheck.month'), dataIndex: 'month', width: 100 },
    { title: t('recheckReport.number'), dataIndex: 'number' },
    { title: t('recheck.requester'), dataIndex: 'requesterName' },
    { title: t('recheckReport.agency'), dataIndex: 'agencyName' },
    { title: t('recheckReport.issuedOn'), dataIndex: 'issuedOn', width: 120 },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            loading={busy === `pdf-${r.id}`}
            onClick={() => void download(r, 'pdf')}
            data-testid={`recheck-report-pdf-${r.id}`}
          >
            {t('recheckReport.downloadPdf')}
          </Button>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            loading={busy === `xlsx-${r.id}`}
            onClick={() => void download(r, 'xlsx')}
            data-testid={`recheck-report-xlsx-${r.id}`}
          >
            {t('recheckReport.downloadXlsx')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="recheck-reports-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('recheckReport.title')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('recheckReport.notice')} />
      <Card size="small">
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
            locale={{ emptyText: t('recheckReport.none') }}
          />
        )}
      </Card>
    </Space>
  );
}
