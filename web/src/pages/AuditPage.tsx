import { SafetyCertificateOutlined } from '@ant-design/icons';
import { type ProColumns, ProTable } from '@ant-design/pro-components';
import { Alert, Button, Descriptions, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { AUDIT_ACTIONS, listAudit, verifyAudit } from '../api/audit';
import type { AuditEntry, AuditOutcome, AuditVerifyResult } from '../api/types';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime, shanghaiWallClockToIso } from '../utils/datetime';

interface AuditSearch {
  from?: string;
  to?: string;
  action?: string;
  actorName?: string;
  caseId?: string;
}

const OUTCOME_COLORS: Record<AuditOutcome, string> = {
  success: 'success',
  denied: 'warning',
  failure: 'error',
};

/** ProTable hands range fields over as formatted strings or as dayjs values, depending on its settings. */
function rangeToIso(value: unknown): Pick<AuditSearch, 'from' | 'to'> {
  if (!Array.isArray(value)) return {};
  const [start, end] = value.map((item: unknown) => {
    if (typeof item === 'string' && item) return shanghaiWallClockToIso(item);
    if (typeof item === 'object' && item !== null && 'format' in item && typeof item.format === 'function') {
      return shanghaiWallClockToIso(String(item.format('YYYY-MM-DD HH:mm:ss')));
    }
    return undefined;
  });
  return { from: start, to: end };
}

function AuditDetails({ entry }: { entry: AuditEntry }) {
  const { t, label } = useI18n();
  return (
    <Descriptions column={1} size="small" bordered data-testid={`audit-details-${entry.seq}`}>
      <Descriptions.Item label={t('audit.actorRoles')}>
        {entry.actorRoles.length > 0 ? entry.actorRoles.map((role) => label('role', role)).join('、') : EMPTY}
      </Descriptions.Item>
      <Descriptions.Item label={t('audit.organisationId')}>{entry.organisationId ?? EMPTY}</Descriptions.Item>
      <Descriptions.Item label={t('audit.userAgent')}>{entry.userAgent ?? EMPTY}</Descriptions.Item>
      <Descriptions.Item label={t('audit.details')}>
        <pre className="hedui-json">{JSON.stringify(entry.details, null, 2)}</pre>
      </Descriptions.Item>
      <Descriptions.Item label={t('audit.hash')}>
        <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
          {entry.hash}
        </Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useI18n();
  const checked =
    result.from > 1
      ? t('audit.checkedFrom', { n: result.checked, from: result.from })
      : t('audit.checked', { n: result.checked });
  const checkpoint = result.checkpoints.firstBroken
    ? t('audit.checkpointBroken', { reason: result.checkpoints.firstBroken.reason })
    : t('audit.checkpointsIntact', { n: result.checkpoints.checked });
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="audit-verify-result"
        message={t('audit.chainIntact')}
        description={`${checked} ${checkpoint}`}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="audit-verify-result"
      message={t('audit.chainBroken')}
      description={
        <>
          <div>
            {result.firstBroken
              ? t('audit.firstBroken', {
                  seq: result.firstBroken.seq,
                  reason: result.firstBroken.reason,
                  n: result.checked,
                })
              : checked}
          </div>
          <div>{checkpoint}</div>
        </>
      }
    />
  );
}

export function AuditPage() {
  const { t, label } = useI18n();
  const notifyError = useNotifyError();
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerifyResult | null>(null);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await verifyAudit());
    } catch (error) {
      notifyError(error);
    } finally {
      setVerifying(false);
    }
  };

  const columns: ProColumns<AuditEntry>[] = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 90, hideInSearch: true },
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 170,
      hideInSearch: true,
      render: (_, entry) => formatDateTime(entry.at),
    },
    {
      title: t('audit.timeRange'),
      dataIndex: 'timeRange',
      valueType: 'dateTimeRange',
      hideInTable: true,
      search: { transform: (value: unknown) => rangeToIso(value) },
      fieldProps: { 'data-testid': 'audit-search-time' },
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 140,
      fieldProps: { placeholder: t('audit.actorPlaceholder'), 'data-testid': 'audit-search-actor' },
      render: (_, entry) => entry.actorName ?? EMPTY,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      valueType: 'select',
      width: 170,
      fieldProps: {
        showSearch: true,
        optionFilterProp: 'label',
        options: AUDIT_ACTIONS.map((action) => ({ value: action, label: label('auditAction', action) })),
        'data-testid': 'audit-search-action',
      },
      render: (_, entry) => (
        <span title={entry.action} data-testid="audit-action">
          {label('auditAction', entry.action)}
        </span>
      ),
    },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      width: 90,
      hideInSearch: true,
      render: (_, entry) => (
        <Tag color={OUTCOME_COLORS[entry.outcome]}>{label('auditOutcome', entry.outcome)}</Tag>
      ),
    },
    {
      title: t('audit.object'),
      key: 'object',
      hideInSearch: true,
      width: 200,
      render: (_, entry) =>
        entry.objectType ? (
          <span style={{ whiteSpace: 'nowrap' }}>
            {entry.objectType}
            {entry.objectId && <Typography.Text type="secondary"> #{entry.objectId}</Typography.Text>}
          </span>
        ) : (
          EMPTY
        ),
    },
    {
      title: t('audit.caseId'),
      dataIndex: 'caseId',
      width: 160,
      fieldProps: { 'data-testid': 'audit-search-case' },
      render: (_, entry) => entry.caseId ?? EMPTY,
    },
    {
      title: t('audit.ip'),
      dataIndex: 'ip',
      width: 130,
      hideInSearch: true,
      render: (_, entry) => entry.ip ?? EMPTY,
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {verification && <VerifyResult result={verification} />}
      <ProTable<AuditEntry, AuditSearch>
        rowKey="seq"
        headerTitle={t('audit.title')}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false }}
        expandable={{ expandedRowRender: (entry) => <AuditDetails entry={entry} /> }}
        request={async (params) => {
          try {
            const page = await listAudit({
              from: params.from,
              to: params.to,
              action: params.action,
              actor: params.actorName?.trim() || undefined,
              caseId: params.caseId?.trim() || undefined,
              page: params.current ?? 1,
              pageSize: params.pageSize ?? 20,
            });
            return { data: page.items, total: page.total, success: true };
          } catch (error) {
            notifyError(error);
            return { data: [], total: 0, success: false };
          }
        }}
        toolBarRender={() => [
          <Button
            key="verify"
            type="primary"
            icon={<SafetyCertificateOutlined />}
            loading={verifying}
            onClick={verify}
            data-testid="audit-verify"
          >
            {t('audit.verify')}
          </Button>,
        ]}
      />
    </Space>
  );
}
