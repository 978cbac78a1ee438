import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Calendar,
  type CalendarProps,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getCalendarYear, listCalendarYears } from '../api/calendar';
import type { CalendarDay, CalendarYear, CalendarYearSummary } from '../api/types';
import { useMe } from '../auth/session';
import { CalendarYearEditor } from '../components/CalendarYearEditor';
import { canEditCalendar } from '../domain/access';
import { useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { formatDate, formatDateTime, nowInShanghai, parseDate, todayInShanghai } from '../utils/datetime';

type EditorState = { mode: 'new' } | { mode: 'edit'; calendar: CalendarYear };

function DayKindTag({ kind }: { kind: CalendarDay['kind'] }) {
  const { t } = useI18n();
  return kind === 'holiday' ? (
    <Tag color="red">{t('calendar.holidayShort')}</Tag>
  ) : (
    <Tag color="orange">{t('calendar.workdayShort')}</Tag>
  );
}

/** The date the month grid opens on: today when it lies in the year, else 1 January. */
function initialDate(year: number): Dayjs {
  const today = todayInShanghai();
  return parseDate(today.startsWith(`${year}-`) ? today : `${year}-01-01`);
}

function pickDefaultYear(years: readonly CalendarYearSummary[], wanted: number | null): number | null {
  const covered = years.map((item) => item.year);
  if (wanted !== null && covered.includes(wanted)) return wanted;
  const current = nowInShanghai().year();
  if (covered.includes(current)) return current;
  return covered.length > 0 ? Math.max(...covered) : null;
}

/** The year an administrator most likely wants to enter next: the first one from this year on not yet covered. */
function firstUncoveredYear(years: readonly CalendarYearSummary[]): number {
  const covered = new Set(years.map((item) => item.year));
  let candidate = nowInShanghai().year();
  while (covered.has(candidate)) candidate += 1;
  return candidate;
}

export function CalendarPage() {
  const me = useMe();
  const { t } = useI18n();
  const notifyError = useNotifyError();
  const editable = canEditCalendar(me.roles);
  const [years, setYears] = useState<CalendarYearSummary[] | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [calendar, setCalendar] = useState<CalendarYear | null>(null);
  const [loadingYear, setLoadingYear] = useState(false);
  const [panelDate, setPanelDate] = useState<Dayjs>(() => parseDate(todayInShanghai()));
  const [editor, setEditor] = useState<EditorState | null>(null);

  const loadYears = useCallback(
    async (wanted: number | null) => {
      try {
        const items = [...(await listCalendarYears())].sort((a, b) => a.year - b.year);
        setYears(items);
        setYear(pickDefaultYear(items, wanted));
      } catch (error) {
        setYears([]);
        notifyError(error);
      }
    },
    [notifyError],
  );

  useEffect(() => {
    void loadYears(null);
  }, [loadYears]);

  const latestRequest = useRef(0);
  const loadCalendar = useCallback(
    async (target: number) => {
      const request = ++latestRequest.current;
      setLoadingYear(true);
      try {
        const loaded = await getCalendarYear(target);
        if (request === latestRequest.current) setCalendar(loaded);
      } catch (error) {
        if (request === latestRequest.current) notifyError(error);
      } finally {
        if (request === latestRequest.current) setLoadingYear(false);
      }
    },
    [notifyError],
  );

  useEffect(() => {
    if (year === null) {
      setCalendar(null);
      return;
    }
    setPanelDate(initialDate(year));
    void loadCalendar(year);
  }, [year, loadCalendar]);

  const byDate = useMemo(() => new Map((calendar?.days ?? []).map((day) => [day.date, day])), [calendar]);
  const summary = years?.find((item) => item.year === year);
  const sortedDays = useMemo(
    () => [...(calendar?.days ?? [])].sort((a, b) => a.date.localeCompare(b.date)),
    [calendar],
  );

  const cellRender: CalendarProps<Dayjs>['cellRender'] = (current, info) => {
    if (info.type === 'date') {
      const entry = byDate.get(current.format('YYYY-MM-DD'));
      if (!entry) return null;
      return (
        <div className="hedui-calendar-cell" data-testid={`calendar-cell-${entry.date}`}>
          <span>
            <DayKindTag kind={entry.kind} />
          </span>
          <Typography.Text type={entry.kind === 'holiday' ? 'danger' : 'warning'} ellipsis>
            {entry.name}
          </Typography.Text>
        </div>
      );
    }
    if (info.type === 'month') {
      const prefix = current.format('YYYY-MM');
      const holidays = sortedDays.filter(
        (day) => day.kind === 'holiday' && day.date.startsWith(prefix),
      ).length;
      const workdays = sortedDays.filter(
        (day) => day.kind === 'workday' && day.date.startsWith(prefix),
      ).length;
      if (holidays + workdays === 0) return null;
      return (
        <Space size={4}>
          {holidays > 0 && <Tag color="red">{t('calendar.monthHolidays', { n: holidays })}</Tag>}
          {workdays > 0 && <Tag color="orange">{t('calendar.monthWorkdays', { n: workdays })}</Tag>}
        </Space>
      );
    }
    return info.originNode;
  };

  const adminActions = editable && (
    <Space>
      <Button
        icon={<PlusOutlined />}
        onClick={() => setEditor({ mode: 'new' })}
        data-testid="calendar-new-year"
      >
        {t('calendar.newYear')}
      </Button>
      {calendar && (
        <Button
          type="primary"
          icon={<EditOutlined />}
          onClick={() => setEditor({ mode: 'edit', calendar })}
          data-testid="calendar-edit-year"
        >
          {t('calendar.editYear')}
        </Button>
      )}
    </Space>
  );

  const header = (
    <Flex justify="space-between" align="center" wrap gap={12}>
      <Space>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(editable ? 'menu.calendarAdmin' : 'menu.calendar')}
        </Typography.Title>
        {years && years.length > 0 && (
          <Select<number>
            value={year ?? undefined}
            onChange={setYear}
            style={{ width: 140 }}
            options={years.map((item) => ({
              value: item.year,
              label: t('calendar.yearOption', { year: item.year }),
            }))}
            data-testid="calendar-year-select"
          />
        )}
      </Space>
      {adminActions}
    </Flex>
  );

  let body: ReactNode;
  if (years === null) {
    body = (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  } else if (years.length === 0) {
    body = (
      <Card>
        <Empty
          description={t(editable ? 'calendar.emptyAdmin' : 'calendar.empty')}
          data-testid="calendar-empty"
        />
      </Card>
    );
  } else {
    body = (
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card>
            <Spin spinning={loadingYear}>
              {year !== null && (
                <Calendar
                  value={panelDate}
                  onPanelChange={(date) => setPanelDate(date)}
                  onSelect={(date) => setPanelDate(date)}
                  validRange={[parseDate(`${year}-01-01`), parseDate(`${year}-12-31`)]}
                  cellRender={cellRender}
                  data-testid="calendar-grid"
                />
              )}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card title={t('calendar.notice')} size="small">
              <Descriptions column={1} size="small" data-testid="calendar-summary">
                <Descriptions.Item label={t('calendar.source')}>
                  {calendar?.source ?? summary?.source}
                </Descriptions.Item>
                <Descriptions.Item label={t('calendar.publishedOn')}>
                  {formatDate(calendar?.publishedOn ?? summary?.publishedOn)}
                </Descriptions.Item>
                {summary && (
                  <>
                    <Descriptions.Item label={t('calendar.holidayCount')}>
                      {summary.holidayCount}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('calendar.workdayCount')}>
                      {summary.workdayCount}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('calendar.updatedAt')}>
                      {formatDateTime(summary.updatedAt)}
                    </Descriptions.Item>
                  </>
                )}
              </Descriptions>
              <Alert type="info" showIcon style={{ marginTop: 8 }} message={t('calendar.ruleNote')} />
            </Card>
            <Card title={t('calendar.entries')} size="small">
              <Table<CalendarDay>
                rowKey="date"
                size="small"
                pagination={false}
                scroll={{ y: 420 }}
                dataSource={sortedDays}
                data-testid="calendar-entries"
                onRow={(day) => ({
                  onClick: () => setPanelDate(parseDate(day.date)),
                  style: { cursor: 'pointer' },
                })}
                columns={[
                  {
                    title: t('calendar.column.date'),
                    dataIndex: 'date',
                    width: 150,
                    render: (date: string) => (
                      <span>
                        {date}{' '}
                        <Typography.Text type="secondary">{parseDate(date).format('ddd')}</Typography.Text>
                      </span>
                    ),
                  },
                  {
                    title: t('calendar.column.kind'),
                    dataIndex: 'kind',
                    width: 70,
                    render: (_, day) => <DayKindTag kind={day.kind} />,
                  },
                  { title: t('calendar.column.name'), dataIndex: 'name' },
                ]}
              />
            </Card>
          </Flex>
        </Col>
      </Row>
    );
  }

  return (
    <Flex vertical gap={16}>
      {header}
      {body}
      {editor && (
        <CalendarYearEditor
          initial={editor.mode === 'edit' ? editor.calendar : null}
          coveredYears={(years ?? []).map((item) => item.year)}
          defaultYear={firstUncoveredYear(years ?? [])}
          onClose={() => setEditor(null)}
          onSaved={(saved) => {
            setEditor(null);
            void loadYears(saved).then(() => {
              // Re-selecting the same year does not change state, so reload its entries explicitly.
              if (saved === year) void loadCalendar(saved);
            });
          }}
        />
      )}
    </Flex>
  );
}
