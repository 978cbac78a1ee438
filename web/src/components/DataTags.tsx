import { Flex, Space, Tag, Tooltip, Typography } from 'antd';
import type { BatchStatus, Frequency, OverdueDelivery } from '../api/types';
import { useI18n } from '../i18n';

const FREQUENCY_COLORS: Record<Frequency, string> = {
  monthly: 'blue',
  quarterly: 'cyan',
  half_yearly: 'geekblue',
  yearly: 'purple',
};

const BATCH_STATUS_COLORS: Record<BatchStatus, string> = {
  committed: 'success',
  rejected: 'error',
  superseded: 'default',
  retracted: 'warning',
};

export function FrequencyTag({ frequency }: { frequency: Frequency }) {
  const { label } = useI18n();
  return <Tag color={FREQUENCY_COLORS[frequency]}>{label('frequency', frequency)}</Tag>;
}

export function BatchStatusTag({ status, id }: { status: BatchStatus; id?: number }) {
  const { label } = useI18n();
  return (
    <Tag
      color={BATCH_STATUS_COLORS[status] ?? 'default'}
      data-testid={id === undefined ? undefined : `batch-status-${id}`}
    >
      {label('batchStatus', status)}
    </Tag>
  );
}

/**
 * Overdue delivery periods, oldest first, each in red with its days overdue; beyond `max` the rest fold into
 * a "+N" tag whose tooltip lists them. A quiet "none" when nothing is overdue.
 */
export function OverdueTags({
  overdue,
  testId,
  max = Number.POSITIVE_INFINITY,
}: {
  overdue: readonly OverdueDelivery[];
  testId?: string;
  max?: number;
}) {
  const { t } = useI18n();
  if (overdue.length === 0) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('delivery.none')}
      </Typography.Text>
    );
  }
  const tagOf = (item: OverdueDelivery) =>
    t('delivery.overdueTag', { period: item.period, days: item.daysOverdue });
  const shown = overdue.slice(0, max);
  const folded = overdue.slice(max);
  return (
    <Space size={[0, 4]} wrap data-testid={testId}>
      {shown.map((item) => (
        <Tag key={item.period} color="red" title={t('delivery.dueOn', { date: item.dueDate })}>
          {tagOf(item)}
        </Tag>
      ))}
      {folded.length > 0 && (
        <Tooltip
          title={
            <Flex vertical>
              {folded.map((item) => (
                <span key={item.period}>{tagOf(item)}</span>
              ))}
            </Flex>
          }
        >
          <Tag color="red" bordered={false} style={{ cursor: 'default' }}>
            {t('delivery.moreOverdue', { n: folded.length })}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}
