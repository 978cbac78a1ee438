import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  type BatchCase,
  type BatchProblem,
  type BatchResult,
  downloadBatchTemplate,
  uploadBatch,
} from '../api/case-batch';
import { useMe } from '../auth/session';
import { SingleFileDragger } from '../components/SingleFileDragger';
import { canSubmitCases } from '../domain/access';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY } from '../utils/datetime';
import { ForbiddenPage } from './ResultPages';

const ACCEPTED = /\.(xlsx|zip)$/i;

/**
 * 批量委托 (issue #5): the month's intake as one spreadsheet — alone, or zipped with the authorizations it
 * names. A check first lists every problem by row; submitting stores all families or none.
 */
export function CaseBatchPage() {
  return canSubmitCases(useMe().roles) ? <CaseBatch /> : <ForbiddenPage />;
}

function CaseBatch() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'submit' | 'template' | null>(null);
  const [result, setResult] = useState<BatchResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? 'check' : 'submit');
    setFailure(null);
    setResult(null);
    try {
      const answer = await uploadBatch(file, dryRun);
      setResult(answer);
      if (answer.status === 'created') {
        message.success(t('case.batch.created', { count: answer.cases.length }));
        setFile(null);
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
      await downloadBatchTemplate();
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

  const problemColumns: TableColumnsType<BatchProblem> = [
    { title: t('case.batch.row'), dataIndex: 'row', width: 80, render: (_, p) => p.row ?? EMPTY },
    { title: t('case.batch.column'), dataIndex: 'column', width: 180, render: (_, p) => p.column ?? EMPTY },
    {
      title: t('case.batch.code'),
      dataIndex: 'code',
      width: 220,
      render: (_, p) => <Typography.Text code>{p.code}</Typography.Text>,
    },
    { title: t('case.batch.message'), dataIndex: 'message' },
  ];
  const caseColumns: TableColumnsType<BatchCase> = [
    {
      title: t('case.number'),
      dataIndex: 'number',
      render: (_, c) => (
        <Link to={`/cases/${c.id}`} data-testid={`batch-case-${c.id}`}>
          {c.number}
        </Link>
      ),
    },
    { title: t('case.batch.family'), dataIndex: 'family' },
    { title: t('case.batch.row'), dataIndex: 'firstRow' },
    { title: t('case.applicant'), dataIndex: 'applicant' },
    { title: t('case.memberCount'), dataIndex: 'memberCount', align: 'right' },
    { title: t('case.batch.attachments'), dataIndex: 'attachments', align: 'right' },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="case-batch-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('case.batch.title')}
        </Typography.Title>
        <Button onClick={() => navigate('/cases')}>{t('case.backToList')}</Button>
      </Flex>
      <Alert type="info" showIcon message={t('case.batch.hint')} />
      <Card size="small">
        <Flex vertical gap={12}>
          <div>
            <Button
              icon={<DownloadOutlined />}
              loading={busy === 'template'}
              onClick={() => void template()}
              data-testid="batch-template"
            >
              {t('case.batch.template')}
            </Button>
          </div>
          <SingleFileDragger
            accept=".xlsx,.zip,application/zip,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            pattern={ACCEPTED}
            file={file}
            onFile={choose}
            text={t('case.batch.drop')}
            hint={t('case.batch.dropHint')}
            wrongType={t('case.batch.fileType')}
            testId="batch-file"
          />
          <Flex justify="flex-end" gap={8}>
            <Button
              disabled={!file || busy !== null}
              loading={busy === 'check'}
              onClick={() => void run(true)}
              data-testid="batch-check"
            >
              {t('case.batch.check')}
            </Button>
            <Button
              type="primary"
              disabled={!file || busy !== null}
              loading={busy === 'submit'}
              onClick={() => void run(false)}
              data-testid="batch-submit"
            >
              {t('case.batch.submit')}
            </Button>
          </Flex>
        </Flex>
      </Card>

      {failure && <Alert type="error" showIcon message={failure} data-testid="batch-error" />}

      {result && (
        <Card size="small" data-testid="batch-result">
          <Flex vertical gap={12}>
            <Space wrap>
              <Tag color={result.status === 'rejected' ? 'red' : 'green'} data-testid="batch-status">
                {t(`case.batch.status.${result.status}`)}
              </Tag>
              <Typography.Text>
                {t('case.batch.counts', {
                  rows: result.rows,
                  families: result.families,
                  members: result.members,
                  attachments: result.attachments,
                })}
              </Typography.Text>
            </Space>
            {result.problems.length > 0 && (
              <>
                <Alert
                  type="error"
                  showIcon
                  message={t('case.batch.problems', { count: result.problems.length })}
                />
                <Table<BatchProblem>
                  size="small"
                  rowKey={(p, index) => `${p.row ?? 0}-${p.code}-${index}`}
                  columns={problemColumns}
                  dataSource={result.problems}
                  pagination={result.problems.length > 50 ? { pageSize: 50 } : false}
                  data-testid="batch-problems"
                />
              </>
            )}
            {result.cases.length > 0 && (
              <Table<BatchCase>
                size="small"
                rowKey="id"
                columns={caseColumns}
                dataSource={result.cases}
                pagination={false}
                data-testid="batch-cases"
              />
            )}
          </Flex>
        </Card>
      )}
    </Space>
  );
}
