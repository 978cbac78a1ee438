import { PlusOutlined } from '@ant-design/icons';
import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Alert, Button, Space, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { type AssessmentMeta, listAssessments } from '../api/assessments';
import { useMe } from '../auth/session';
import { ASSISTANCE_TYPE_LABEL } from '../domain/policy';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDateTime } from '../utils/datetime';

interface AssessmentSearch {
  caseRef?: string;
}

function Count({ value, color, testId }: { value: number | undefined; color: string; testId: string }) {
  const n = value ?? 0;
  return n > 0 ? (
    <Tag color={color} data-testid={testId}>
      {n}
    </Tag>
  ) : (
    <span data-testid={testId}>0</span>
  );
}

/** 家庭核对: the results of the caller's region, without personal data. */
export function AssessmentsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const me = useMe();
  const notifyError = useNotifyError();

  const columns: ProColumns<AssessmentMeta>[] = [
    {
      title: t('assessment.caseRef'),
      dataIndex: 'caseRef',
      render: (_, row) => (
        <Link to={`/assessments/${row.id}`} data-testid={`assessment-link-${row.id}`}>
          {row.caseRef}
        </Link>
      ),
    },
    {
      title: t('assessment.region'),
      dataIndex: 'regionCode',
      search: false,
      render: (_, row) =>
        row.regionCode === me.organisation.regionCode
          ? `${me.organisation.regionName}（${row.regionCode}）`
          : row.regionCode,
    },
    {
      title: t('assessment.assistanceType'),
      dataIndex: 'assistanceType',
      search: false,
      render: (_, row) => {
        const key = ASSISTANCE_TYPE_LABEL[row.assistanceType];
        return key ? t(key) : row.assistanceType;
      },
    },
    { title: t('assessment.asOfDate'), dataIndex: 'asOfDate', search: false },
    {
      title: t('assessment.mode'),
      dataIndex: 'mode',
      search: false,
      render: (_, row) =>
        row.rerunOf === null ? (
          <Tag>{t('assessment.firstRun')}</Tag>
        ) : (
          <Tag color="purple">
            {t(row.mode === 'recorded' ? 'assessment.rerunRecordedTag' : 'assessment.rerunStandingTag', {
              id: row.rerunOf,
            })}
          </Tag>
        ),
    },
    {
      title: t('assessment.policyLabel'),
      dataIndex: 'policyLabel',
      search: false,
      render: (_, row) => <Typography.Text code>{row.policyLabel}</Typography.Text>,
    },
    { title: t('assessment.memberCount'), dataIndex: 'memberCount', search: false },
    {
      title: t('assessment.seriousCount'),
      search: false,
      render: (_, row) => (
        <Count value={row.summary.serious} color="red" testId={`assessment-serious-${row.id}`} />
      ),
    },
    {
      title: t('assessment.possibleMatchCount'),
      search: false,
      render: (_, row) => (
        <Count value={row.summary.possibleMatches} color="gold" testId={`assessment-possible-${row.id}`} />
      ),
    },
    {
      title: t('assessment.nameMismatchCount'),
      search: false,
      render: (_, row) => (
        <Count value={row.summary.nameMismatches} color="orange" testId={`assessment-mismatch-${row.id}`} />
      ),
    },
    {
      title: t('assessment.contradictionCount'),
      search: false,
      render: (_, row) => (
        <Count
          value={row.summary.contradictions}
          color="orange"
          testId={`assessment-contradictions-${row.id}`}
        />
      ),
    },
    {
      title: t('assessment.createdAt'),
      dataIndex: 'createdAt',
      search: false,
      render: (_, row) => (
        <Space direction="vertical" size={0}>
          <span>{formatDateTime(row.createdAt)}</span>
          <Typography.Text type="secondary">{row.createdByName ?? '—'}</Typography.Text>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="assessments-page">
      <Alert type="info" showIcon message={t('assessment.listHint')} data-testid="assessments-hint" />
      <ProTable<AssessmentMeta, AssessmentSearch>
        rowKey="id"
        headerTitle={t('assessment.listTitle')}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        request={async (params) => {
          const pageSize = params.pageSize ?? 20;
          try {
            const page = await listAssessments({
              caseRef: params.caseRef?.trim() || undefined,
              offset: ((params.current ?? 1) - 1) * pageSize,
              limit: pageSize,
            });
            return { data: page.items, total: page.total, success: true };
          } catch (error) {
            notifyError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        onRow={(row) => ({ 'data-testid': `assessment-row-${row.id}` }) as HTMLAttributes<HTMLElement>}
        toolBarRender={() => [
          <Button
            key="new"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/assessments/new')}
            data-testid="assessment-new"
          >
            {t('assessment.new')}
          </Button>,
        ]}
      />
    </Space>
  );
}
