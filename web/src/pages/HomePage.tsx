import { Card, Descriptions, Flex, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { CALENDAR_NOT_COVERED, getCalendarYear } from '../api/calendar';
import { ApiError } from '../api/client';
import { useMe } from '../auth/session';
import { DeadlineCard } from '../components/DeadlineCard';
import { OrgKindTag, RoleTags } from '../components/RoleTags';
import { type DayStatus, dayStatus, isWorkingDay } from '../domain/workday';
import { describeError } from '../hooks/useNotifyError';
import { type I18n, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { DATE_FORMAT, nowInShanghai } from '../utils/datetime';

type TodayState =
  | { state: 'loading' }
  | { state: 'known'; status: DayStatus }
  | { state: 'notCovered' }
  | { state: 'failed'; message: string };

function greetingKey(hour: number): MessageKey {
  if (hour < 5 || hour >= 18) return 'home.greetingEvening';
  return hour < 12 ? 'home.greetingMorning' : 'home.greetingAfternoon';
}

function useTodayStatus(year: number, today: string, t: I18n['t']): TodayState {
  const [state, setState] = useState<TodayState>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    getCalendarYear(year).then(
      (calendar) => {
        if (current) setState({ state: 'known', status: dayStatus(today, calendar.days) });
      },
      (error: unknown) => {
        if (!current) return;
        const notCovered =
          error instanceof ApiError && (error.status === 404 || error.code === CALENDAR_NOT_COVERED);
        setState(
          notCovered ? { state: 'notCovered' } : { state: 'failed', message: describeError(error, t) },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [year, today, t]);
  return state;
}

function TodayTag({ today }: { today: TodayState }) {
  const { t } = useI18n();
  switch (today.state) {
    case 'loading':
      return null;
    case 'notCovered':
      return <Tag color="warning">{t('home.calendarNotCovered')}</Tag>;
    case 'failed':
      return <Tag color="error">{today.message}</Tag>;
    case 'known': {
      const { status } = today;
      const working = isWorkingDay(status);
      const detail =
        status.kind === 'holiday' || status.kind === 'makeupWorkday'
          ? status.name
          : t(status.kind === 'weekend' ? 'home.weekend' : 'home.weekday');
      return (
        <Tag color={working ? 'processing' : 'red'}>
          {t(working ? 'home.workingDay' : 'home.restDay')} · {detail}
        </Tag>
      );
    }
  }
}

export function HomePage() {
  const me = useMe();
  const { t } = useI18n();
  const now = nowInShanghai();
  const todayText = now.format(DATE_FORMAT);
  const today = useTodayStatus(now.year(), todayText, t);

  return (
    <Flex vertical gap={24}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="greeting">
          {t(greetingKey(now.hour()), { name: me.displayName })}
        </Typography.Title>
        <Descriptions column={{ xs: 1, md: 2 }} size="middle">
          <Descriptions.Item label={t('home.organisation')}>
            <Space>
              <span data-testid="home-organisation">{me.organisation.name}</span>
              <OrgKindTag kind={me.organisation.kind} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.region')}>
            <span data-testid="home-region">
              {me.organisation.regionName}
              <Typography.Text type="secondary"> ({me.organisation.regionCode})</Typography.Text>
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.roles')}>
            <RoleTags roles={me.roles} />
          </Descriptions.Item>
          <Descriptions.Item label={t('home.today')}>
            <Space data-testid="home-today">
              <span>
                {todayText} {now.format('dddd')}
              </span>
              <TodayTag today={today} />
            </Space>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <DeadlineCard />
    </Flex>
  );
}
