import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Flex,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  downloadRosterTemplate,
  getRosterDiff,
  getRosterVersion,
  listRosterVersions,
  type RosterDiffFamily,
  type RosterFamily,
  type RosterImportResult,
  type RosterProblem,
  type RosterVersion,
  uploadRoster,
} from '../api/roster';
import { useMe } from '../auth/session';
import { LoadFailed } from '../components/LoadFailed';
import { SingleFileDragger } from '../components/SingleFileDragger';
import { canOpen } from '../domain/access';
import { formatYuan } from '../domain/yuan';
import { useAsync } from '../hooks/useAsync';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime, nowInShanghai } from '../utils/datetime';
import { ForbiddenPage } from './ResultPages';

const ACCEPTED = /\.(xlsx|csv)$/i;
const PAGE_SIZE = 50;

/**
 * 救助对象名册 (issue #6): a requester uploads its recipients month by month (all or nothing, every problem
 * listed by row); everyone in scope reads the versions, the families with masked members and whether their
 * authorization is on file, and what changed since the previous month.
 */
export function RosterPage() {
  return canOpen(useMe().roles, 'roster') ? <Roster /> : <ForbiddenPage />;
}

function Roster() {
  const { t } = useI18n();
  const me = useMe();
  const isRequester = me.roles.includes('requester_staff');
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [includeSuperseded, setIncludeSuperseded] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const monthText = month ? month.format('YYYY-MM') : undefined;

  const load = useCallback(
    () => listRosterVersions({ month: monthText, includeSuperseded, pageSize: 100 }),
    [monthText, includeSuperseded],
  );
  const { state, reload } = useAsync(load);

  const columns: TableColumnsType<RosterVersion> = [
    { title: t('roster.version.month'), dataIndex: 'month', width: 100 },
    ...(isRequester
      ? []
      : [
          {
            title: t('roster.version.requester'),
            dataIndex: 'requesterName',
            render: (v: string | null) => v ?? EMPTY,
          },
        ]),
    {
      title: t('roster.version.source'),
      dataIndex: 'source',
      width: 100,
      render: (_, v) => t(v.source === 'api' ? 'roster.source.api' : 'roster.source.upload'),
    },
    { title: t('roster.version.families'), dataIndex: 'familyCount', align: 'right', width: 90 },
    { title: t('roster.version.members'), dataIndex: 'memberCount', align: 'right', width: 90 },
    {
      title: t('roster.version.missing'),
      dataIndex: 'authorizationMissingCount',
      align: 'right',
      width: 120,
      render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : <Tag color="green">0</Tag>),
    },
    {
      title: t('roster.version.status'),
      dataIndex: 'superseded',
      width: 100,
      render: (_, v) =>
        v.superseded ? (
          <Tag>{t('roster.status.superseded')}</Tag>
        ) : (
          <Tag color="blue">{t('roster.status.current')}</Tag>
        ),
    },
    {
      title: t('roster.version.createdAt'),
      dataIndex: 'createdAt',
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('roster.version.createdBy'),
      dataIndex: 'createdByName',
      render: (v: string | null) => v ?? EMPTY,
    },
    {
      title: t('common.actions'),
      key: 'view',
      width: 90,
      render: (_, v) => (
        <Button
          type="link"
          size="small"
          onClick={() => setSelected(v.id)}
          data-testid={`roster-view-${v.id}`}
        >
          {t('roster.view')}
        </Button>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="roster-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('roster.title')}
      </Typography.Title>
      {isRequester ? (
        <RosterUpload
          onImported={(id) => {
            setSelected(id);
            void reload();
          }}
        />
      ) : (
        <Alert type="info" showIcon message={t('roster.readOnly')} />
      )}
      <Card
        size="small"
        title={t('roster.versions')}
        extra={
          <Space>
            <DatePicker
              picker="month"
              value={month}
              onChange={setMonth}
              placeholder={t('roster.month')}
              data-testid="roster-month-filter"
            />
            <Checkbox checked={includeSuperseded} onChange={(e) => setIncludeSuperseded(e.target.checked)}>
              {t('roster.includeSuperseded')}
            </Checkbox>
          </Space>
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
            data-testid="roster-versions"
          />
        )}
      </Card>
      {selected !== null && <RosterVersionDetail key={selected} id={selected} />}
    </Space>
  );
}

function RosterUpload({ onImported }: { onImported: (versionId: number) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs | null>(() => nowInShanghai().startOf('month'));
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'upload' | 'template' | null>(null);
  const [result, setResult] = useState<RosterImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    if (!file || !month) return;
    setBusy('upload');
    setFailure(null);
    setResult(null);
    try {
      const answer = await uploadRoster(month.format('YYYY-MM'), file);
      setResult(answer);
      if (answer.status === 'committed' && answer.versionId !== null) {
        message.success(t('roster.imported', { families: answer.familyCount, members: answer.memberCount }));
        setFile(null);
        onImported(answer.versionId);
      }
    } catch (error) {
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setBusy(null);
    }
  };

  const template = async () => {
    setBusy('template');
    try {
      await downloadRosterTemplate();
    } catch (error) {
      if (!isSessionExpired(error)) message.error(describeError(error, t));
    } finally {
      setBusy(null);
    }
  };

  const choose = (picked: File | null) => {
    setFile(picked);
    if (picked) {
      setResult(null);
      setFailure(null);
    }
  };

  const problemColumns: TableColumnsType<RosterProblem> = [
    {
      title: t('roster.row'),
      dataIndex: 'row',
      width: 80,
      render: (row: number) => (row === 0 ? EMPTY : row),
    },
    { title: t('roster.column'), dataIndex: 'column', width: 160, render: (c: string) => c || EMPTY },
    {
      title: t('roster.code'),
      dataIndex: 'code',
      width: 220,
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    { title: t('roster.message'), dataIndex: 'message' },
  ];

  return (
    <Card size="small" title={t('roster.upload')}>
      <Flex vertical gap={12}>
        <Alert type="info" showIcon message={t('roster.hint')} />
        <Space wrap>
          <DatePicker
            picker="month"
            value={month}
            onChange={setMonth}
            allowClear={false}
            placeholder={t('roster.month')}
            data-testid="roster-upload-month"
          />
          <Button
            icon={<DownloadOutlined />}
            loading={busy === 'template'}
            onClick={() => void template()}
            data-testid="roster-template"
          >
            {t('roster.template')}
          </Button>
        </Space>
        <SingleFileDragger
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          pattern={ACCEPTED}
          file={file}
          onFile={choose}
          text={t('roster.drop')}
          hint={t('roster.dropHint')}
          wrongType={t('roster.fileType')}
          testId="roster-file"
        />
        <Flex justify="flex-end">
          <Button
            type="primary"
            disabled={!file || !month || busy !== null}
            loading={busy === 'upload'}
            onClick={() => void submit()}
            data-testid="roster-submit"
          >
            {t('roster.submit')}
          </Button>
        </Flex>
        {failure && <Alert type="error" showIcon message={failure} data-testid="roster-error" />}
        {result?.status === 'committed' && result.supersededVersionId !== null && (
          <Alert
            type="warning"
            showIcon
            message={t('roster.superseded', { id: result.supersededVersionId })}
          />
        )}
        {result?.status === 'rejected' && (
          <Flex vertical gap={8} data-testid="roster-problems">
            <Alert type="error" showIcon message={t('roster.rejected', { count: result.problems.length })} />
            <Table
              rowKey={(p) => `${p.row}-${p.column}-${p.code}-${p.message}`}
              size="small"
              columns={problemColumns}
              dataSource={result.problems}
              pagination={{ pageSize: 20 }}
            />
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

function RosterVersionDetail({ id }: { id: number }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [missingOnly, setMissingOnly] = useState(false);
  const load = useCallback(
    () => getRosterVersion(id, { page, pageSize: PAGE_SIZE, missingOnly }),
    [id, page, missingOnly],
  );
  const { state, reload } = useAsync(load);
  const loadDiff = useCallback(() => getRosterDiff(id), [id]);
  const diff = useAsync(loadDiff);

  const columns: TableColumnsType<RosterFamily> = [
    { title: t('roster.family.key'), dataIndex: 'familyKey', width: 120 },
    { title: t('roster.family.region'), dataIndex: 'regionCode', width: 110 },
    { title: t('roster.family.type'), dataIndex: 'assistanceTypeLabel', width: 140 },
    { title: t('roster.family.start'), dataIndex: 'startDate', width: 110 },
    {
      title: t('roster.family.amount'),
      dataIndex: 'monthlyAmountFen',
      align: 'right',
      width: 120,
      render: (fen: number) => formatYuan(fen),
    },
    {
      title: t('roster.family.members'),
      key: 'members',
      render: (_, f) => (
        <Flex vertical gap={2}>
          {f.members.map((m) => (
            <Typography.Text key={`${m.idNumberMasked}-${m.relation}`}>
              {m.name}（{m.relation}）{m.idNumberMasked}
            </Typography.Text>
          ))}
        </Flex>
      ),
    },
    {
      title: t('roster.family.authorization'),
      key: 'authorization',
      width: 150,
      render: (_, f) =>
        f.authorizationOnFile ? (
          <Space size={4}>
            <Tag color="green">{t('roster.auth.onFile')}</Tag>
            {f.authorizationCaseId !== null && (
              <Link to={`/cases/${f.authorizationCaseId}`}>{t('roster.auth.case')}</Link>
            )}
          </Space>
        ) : (
          <Tag color="orange">{t('roster.auth.missing')}</Tag>
        ),
    },
  ];

  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={() => void reload()} />;
  const version = state.status === 'ready' ? state.value.version : null;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="roster-detail">
      <Card size="small" title={t('roster.families', { month: version?.month ?? '' })}>
        {version && (
          <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('roster.version.families')}>{version.familyCount}</Descriptions.Item>
            <Descriptions.Item label={t('roster.version.members')}>{version.memberCount}</Descriptions.Item>
            <Descriptions.Item label={t('roster.version.missing')}>
              {version.authorizationMissingCount}
            </Descriptions.Item>
            <Descriptions.Item label={t('roster.version.status')}>
              {version.superseded ? t('roster.status.superseded') : t('roster.status.current')}
            </Descriptions.Item>
          </Descriptions>
        )}
        <Checkbox
          checked={missingOnly}
          onChange={(e) => {
            setMissingOnly(e.target.checked);
            setPage(1);
          }}
          style={{ marginBottom: 8 }}
          data-testid="roster-missing-only"
        >
          {t('roster.missingOnly')}
        </Checkbox>
        <Table
          rowKey="id"
          size="small"
          loading={state.status === 'loading'}
          columns={columns}
          dataSource={state.status === 'ready' ? state.value.families : []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: state.status === 'ready' ? state.value.familyTotal : 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          data-testid="roster-families"
        />
      </Card>
      <RosterDiffCard state={diff.state} onRetry={() => void diff.reload()} />
    </Space>
  );
}

function RosterDiffCard({
  state,
  onRetry,
}: {
  state: ReturnType<typeof useAsync<Awaited<ReturnType<typeof getRosterDiff>>>>['state'];
  onRetry: () => void;
}) {
  const { t } = useI18n();
  if (state.status === 'failed') return <LoadFailed error={state.error} onRetry={onRetry} />;
  if (state.status === 'loading') return <Card size="small" loading title={t('roster.diff')} />;
  const { previous, diff } = state.value;
  const familyColumns: TableColumnsType<RosterDiffFamily> = [
    { title: t('roster.family.key'), dataIndex: 'familyKey' },
    { title: t('roster.family.region'), dataIndex: 'regionCode' },
    { title: t('roster.version.members'), dataIndex: 'memberCount', align: 'right' },
    {
      title: t('roster.family.amount'),
      dataIndex: 'monthlyAmountFen',
      align: 'right',
      render: (fen: number) => formatYuan(fen),
    },
  ];
  return (
    <Card
      size="small"
      title={previous ? t('roster.diff.previous', { month: previous.month }) : t('roster.diff')}
      data-testid="roster-diff"
    >
      {previous === null ? (
        <Typography.Text type="secondary">{t('roster.diff.none')}</Typography.Text>
      ) : (
        <Flex vertical gap={12}>
          <Typography.Text>{t('roster.diff.unchanged', { count: diff.unchanged })}</Typography.Text>
          <Typography.Text strong>
            {t('roster.diff.added')}（{diff.added.length}）
          </Typography.Text>
          <Table
            rowKey="familyKey"
            size="small"
            columns={familyColumns}
            dataSource={diff.added}
            pagination={false}
          />
          <Typography.Text strong>
            {t('roster.diff.removed')}（{diff.removed.length}）
          </Typography.Text>
          <Table
            rowKey="familyKey"
            size="small"
            columns={familyColumns}
            dataSource={diff.removed}
            pagination={false}
          />
          <Typography.Text strong>
            {t('roster.diff.changed')}（{diff.amountChanged.length}）
          </Typography.Text>
          <Table
            rowKey="familyKey"
            size="small"
            pagination={false}
            dataSource={diff.amountChanged}
            columns={[
              { title: t('roster.family.key'), dataIndex: 'familyKey' },
              {
                title: t('roster.diff.from'),
                dataIndex: 'fromFen',
                align: 'right',
                render: (fen: number) => formatYuan(fen),
              },
              {
                title: t('roster.diff.to'),
                dataIndex: 'toFen',
                align: 'right',
                render: (fen: number) => formatYuan(fen),
              },
            ]}
          />
        </Flex>
      )}
    </Card>
  );
}
