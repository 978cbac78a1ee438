import { DownloadOutlined, FileDoneOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useCallback, useState } from 'react';
import {
  downloadRecheckReport,
  issueRecheckReport,
  listRunReports,
  type RecheckReportFormat,
  type RunRequesterReport,
} from '../api/recheck-reports';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { useAsync } from '../hooks/useAsync';
import { useExportRequest } from '../hooks/useExportRequest';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY } from '../utils/datetime';

/**
 * The monthly recheck report per requester (复核情况报告, issue #6 item 3) on a run's detail: each requester's
 * counts, "出具报告" for reviewers once the run is done (issued once; again answers the same document), and the
 * PDF and XLSX downloads (audited). The report only states facts (只核对、不认定).
 */
export function RecheckReportsCard({ runId }: { runId: number }) {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const isReviewer = me.roles.includes('agency_reviewer');
  const [busy, setBusy] = useState<string | null>(null);
  const load = useCallback(() => listRunReports(runId), [runId]);
  const { state, reload } = useAsync(load);
  const askExport = useExportRequest();
  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;
  const data = state.status === 'ready' ? state.value : null;
  const done = data?.run.state === 'done';

  const act = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await action();
    } catch (error) {
      if (!isSessionExpired(error)) message.error(describeError(error, t));
    } finally {
      setBusy(null);
    }
  };
  const issue = (r: RunRequesterReport) =>
    act(`issue-${r.requesterOrganisationId}`, async () => {
      const result = await issueRecheckReport(runId, r.requesterOrganisationId);
      message.success(t('recheckReport.issued', { number: result.report.number }));
      void reload();
    });
  const download = (r: RunRequesterReport, format: RecheckReportFormat) =>
    format === 'xlsx'
      ? // The XLSX lists every family's members: a bulk export, asked for and approved first (issue #8 item 4).
        askExport(
          { kind: 'recheck_report_xlsx', runId, requesterId: r.requesterOrganisationId },
          `${r.requesterName} ${data?.run.month ?? ''}`,
        )
      : act(`${format}-${r.requesterOrganisationId}`, () =>
          downloadRecheckReport(
            runId,
            r.requesterOrganisationId,
            format,
            `${r.report?.number ?? `${r.requesterName}${data?.run.month ?? ''}`}.${format}`,
          ),
        );

  const columns: TableColumnsType<RunRequesterReport> = [
    { title: t('recheck.requester'), dataIndex: 'requesterName' },
    { title: t('recheck.families'), dataIndex: 'familyCount', align: 'right', width: 80 },
    { title: t('recheck.done'), dataIndex: 'doneCount', align: 'right', width: 80 },
    { title: t('recheck.skipped'), dataIndex: 'skippedCount', align: 'right', width: 110 },
    { title: t('recheck.changed'), dataIndex: 'changedCount', align: 'right', width: 80 },
    {
      title: t('recheckReport.number'),
      key: 'number',
      render: (_, r) => (r.report ? <Tag color="green">{r.report.number}</Tag> : EMPTY),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space size={4} wrap>
          {isReviewer && !r.report && (
            <Button
              size="small"
              type="primary"
              icon={<FileDoneOutlined />}
              disabled={!done}
              loading={busy === `issue-${r.requesterOrganisationId}`}
              onClick={() => void issue(r)}
              data-testid={`recheck-report-issue-${r.requesterOrganisationId}`}
            >
              {t('recheckReport.issue')}
            </Button>
          )}
          <Button
            size="small"
            icon={<DownloadOutlined />}
            disabled={!r.report}
            loading={busy === `pdf-${r.requesterOrganisationId}`}
            onClick={() => void download(r, 'pdf')}
            data-testid={`recheck-report-pdf-${r.requesterOrganisationId}`}
          >
            {t('recheckReport.downloadPdf')}
          </Button>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            disabled={!done}
            loading={busy === `xlsx-${r.requesterOrganisationId}`}
            onClick={() => void download(r, 'xlsx')}
            data-testid={`recheck-report-xlsx-${r.requesterOrganisationId}`}
          >
            {t('recheckReport.downloadXlsx')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Card size="small" title={t('recheckReport.cardTitle')} data-testid="recheck-reports">
      <Table
        rowKey="requesterOrganisationId"
        size="small"
        loading={state.status === 'loading'}
        columns={columns}
        dataSource={data?.requesters ?? []}
        pagination={false}
      />
    </Card>
  );
}
