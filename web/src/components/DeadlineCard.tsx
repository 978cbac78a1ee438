import { Alert, Card, DatePicker, Descriptions, Flex, Spin, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { addWorkdays, CALENDAR_NOT_COVERED } from '../api/calendar';
import { ApiError } from '../api/client';
import { describeError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { DATE_FORMAT, parseDate, toDateString, todayInShanghai } from '../utils/datetime';

type PeriodKey = 'acceptance' | 'report' | 'maximum' | 'appeal' | 'review';

interface Period {
  key: PeriodKey;
  workdays: number;
  label: MessageKey;
  basis: MessageKey;
}

/** Statutory periods of the Qingyang rules, articles 15, 19 and 20. */
const PERIODS: readonly Period[] = [
  { key: 'acceptance', workdays: 3, label: 'deadline.acceptance', basis: 'deadline.acceptanceBasis' },
  { key: 'report', workdays: 7, label: 'deadline.report', basis: 'deadline.reportBasis' },
  { key: 'maximum', workdays: 20, label: 'deadline.maximum', basis: 'deadline.maximumBasis' },
  { key: 'appeal', workdays: 5, label: 'deadline.appeal', basis: 'deadline.appealBasis' },
  { key: 'review', workdays: 10, label: 'deadline.review', basis: 'deadline.reviewBasis' },
];

type Outcome = { ok: true; date: string } | { ok: false; error: unknown };
type Outcomes = Partial<Record<PeriodKey, Outcome>>;

function useDeadlines(start: string): { outcomes: Outcomes; loading: boolean } {
  const [outcomes, setOutcomes] = useState<Outcomes>({});
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let current = true;
    setLoading(true);
    Promise.allSettled(PERIODS.map((period) => addWorkdays(start, period.workdays))).then((settled) => {
      if (!current) return;
      const next: Outcomes = {};
      PERIODS.forEach((period, index) => {
        const result = settled[index];
        if (!result) return;
        next[period.key] =
          result.status === 'fulfilled'
            ? { ok: true, date: result.value }
            : { ok: false, error: result.reason };
      });
      setOutcomes(next);
      setLoading(false);
    });
    return () => {
      current = false;
    };
  }, [start]);

  return { outcomes, loading };
}

function notCoveredError(outcomes: Outcomes): ApiError | undefined {
  for (const outcome of Object.values(outcomes)) {
    if (!outcome.ok && outcome.error instanceof ApiError && outcome.error.code === CALENDAR_NOT_COVERED) {
      return outcome.error;
    }
  }
  return undefined;
}

export function DeadlineCard() {
  const { t } = useI18n();
  const [start, setStart] = useState<Dayjs>(() => parseDate(todayInShanghai()));
  const { outcomes, loading } = useDeadlines(toDateString(start));
  const notCovered = notCoveredError(outcomes);

  const renderOutcome = (period: Period) => {
    const outcome = outcomes[period.key];
    if (!outcome) return null;
    if (outcome.ok) {
      return (
        <span data-testid={`deadline-${period.key}`}>
          <Typography.Text strong>{outcome.date}</Typography.Text>{' '}
          <Typography.Text type="secondary">{parseDate(outcome.date).format('dddd')}</Typography.Text>
        </span>
      );
    }
    const text =
      outcome.error instanceof ApiError && outcome.error.code === CALENDAR_NOT_COVERED
        ? t('deadline.notCoveredShort')
        : describeError(outcome.error, t);
    return (
      <Typography.Text type="danger" data-testid={`deadline-${period.key}`}>
        {text}
      </Typography.Text>
    );
  };

  return (
    <Card title={t('deadline.title')} data-testid="deadline-card">
      <Flex vertical gap={16}>
        <Flex align="center" gap={12} wrap>
          <span>{t('deadline.start')}</span>
          <DatePicker
            value={start}
            format={DATE_FORMAT}
            allowClear={false}
            onChange={(value) => {
              if (value) setStart(value);
            }}
            data-testid="deadline-start"
          />
          <Typography.Text type="secondary">{t('deadline.hint')}</Typography.Text>
        </Flex>
        {notCovered && (
          <Alert
            type="warning"
            showIcon
            data-testid="deadline-not-covered"
            message={t('deadline.notCovered')}
            description={notCovered.message}
          />
        )}
        <Spin spinning={loading}>
          <Descriptions bordered column={1} size="middle" styles={{ label: { width: 260 } }}>
            {PERIODS.map((period) => (
              <Descriptions.Item
                key={period.key}
                label={t('deadline.label', {
                  step: t(period.label),
                  limit: t('deadline.workdays', { n: period.workdays }),
                })}
              >
                <Flex justify="space-between" align="center" gap={16} wrap>
                  {renderOutcome(period)}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(period.basis)}
                  </Typography.Text>
                </Flex>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Spin>
      </Flex>
    </Card>
  );
}
