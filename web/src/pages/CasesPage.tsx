import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CASE_STATE_LABELS, CASE_STATES, type CaseState, type CaseSummary, listCases } from '../api/cases';
import { useMe } from '../auth/session';
import { CASE_STATE_COLOR, CaseDeadlineTags, useAssistanceTypeLabel } from '../components/CaseDeadlines';
import { LoadFailed } from '../components/LoadFailed';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n';
import { EMPTY } from '../utils/datetime';

const PAGE_SIZE = 20;

/** 我的委托 (requesters) and 核对案件 (the agency): the cases in the caller's reach, newest first. */
export function CasesPage() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const typeLabel = useAssistanceTypeLabel();
  const requester = me.roles.includes('requester_staff');
  const [state, setState] = useState<CaseState | undefined>(undefined);
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);

  const load = useCallback(
    () => listCases({ state, mine, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    [state, mine, page],
  );
  const { state: list, reload } = useAsync(load);

  const columns: TableColumnsType<CaseSummary> = [
    {
      title: t('case.number'),
      dataIndex: 'number',
      render: (_, row) => (
        <Link to={`/cases/${row.id}`} data-testid={`case-link-${row.id}`}>
          {row.number}
        </Link>
      ),
    },
    { title: t('case.applicant'), dataIndex: 'applicant' },
    {
      title: t('case.state'),
      dataIndex: 'state',
      render: (_, row) => (
        <Tag color={CASE_STATE_COLOR[row.state]} data-testid={`case-state-${row.id}`}>
          {CASE_STATE_LABELS[row.state] ?? row.stateLabel}
        </Tag>
      ),
    },
    {
      title: t('case.assistanceType'),
      dataIndex: 'assistanceType',
      render: (_, row) => typeLabel(row.assistanceType),
    },
    { title: t('case.memberCount'), dataIndex: 'memberCount', align: 'right' },
    { title: t('case.receivedOn'), dataIndex: 'receivedOn' },
    { title: t('case.acceptedOn'), dataIndex: 'acceptedOn', render: (_, row) => row.acceptedOn ?? EMPTY },
    { title: t('case.reportDue'), dataIndex: 'reportDue', render: (_, row) => row.reportDue ?? EMPTY },
    {
      title: t('case.deadlines'),
      key: 'deadlines',
      render: (_, row) => <CaseDeadlineTags deadlines={row.deadlines} testId={`case-deadlines-${row.id}`} />,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="cases-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {requester ? t('case.myListTitle') : t('case.listTitle')}
        </Typography.Title>
        {requester && (
          <Space>
            <Button onClick={() => navigate('/cases/batch')} data-testid="case-batch">
              {t('case.batch.new')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/cases/new')}
              data-testid="case-new"
            >
              {t('case.new')}
            </Button>
          </Space>
        )}
      </Flex>
      <Space wrap>
        <Select<CaseState | 'all'>
          style={{ width: 200 }}
          value={state ?? 'all'}
          onChange={(value) => {
            setState(value === 'all' ? undefined : value);
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('case.allStates') },
            ...CASE_STATES.map((value) => ({ value, label: CASE_STATE_LABELS[value] })),
          ]}
          data-testid="cases-state-filter"
        />
        {!requester && (
          <Space>
            <Switch
              checked={mine}
              onChange={(checked) => {
                setMine(checked);
                setPage(1);
              }}
              data-testid="cases-mine"
            />
            {t('case.onlyMine')}
          </Space>
        )}
      </Space>
      {list.status === 'failed' ? (
        <LoadFailed error={list.error} onRetry={() => void reload()} />
      ) : (
        <Table<CaseSummary>
          rowKey="id"
          size="middle"
          loading={list.status === 'loading'}
          columns={columns}
          dataSource={list.status === 'ready' ? list.value.items : []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.status === 'ready' ? list.value.total : 0,
            showSizeChanger: false,
            onChange: setPage,
          }}
          data-testid="cases-table"
        />
      )}
    </Space>
  );
}
