import { DeleteOutlined, ImportOutlined, PlusOutlined, SortAscendingOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Drawer,
  Flex,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { saveCalendarYear, VALIDATION_FAILED } from '../api/calendar';
import { ApiError } from '../api/client';
import type { CalendarDay, CalendarDayKind, CalendarYear } from '../api/types';
import { type FieldError, validationErrors } from '../api/validation';
import type { ImportedYear } from '../domain/calendar-import';
import { useNotifyError } from '../hooks/useNotifyError';
import { type I18n, useI18n } from '../i18n';
import { DATE_FORMAT, parseDate, toDateString } from '../utils/datetime';
import { CalendarImportModal } from './CalendarImportModal';

interface DayRow {
  date?: Dayjs | null;
  kind?: CalendarDayKind;
  name?: string;
}

interface EditorValues {
  year: number;
  source: string;
  publishedOn?: Dayjs | null;
  days: DayRow[];
}

type FieldUpdate = Parameters<FormInstance<EditorValues>['setFields']>[0][number];

const DAY_FIELDS = ['date', 'kind', 'name'] as const;
type DayField = (typeof DAY_FIELDS)[number];

function isDayField(value: unknown): value is DayField {
  return DAY_FIELDS.some((field) => field === value);
}

function toRows(days: readonly CalendarDay[]): DayRow[] {
  return days.map((day) => ({ date: parseDate(day.date), kind: day.kind, name: day.name }));
}

function toDays(rows: readonly DayRow[]): CalendarDay[] {
  return rows.flatMap((row) =>
    row.date && row.kind
      ? [{ date: toDateString(row.date), kind: row.kind, name: (row.name ?? '').trim() }]
      : [],
  );
}

function describeFieldError(error: FieldError, t: I18n['t']): string {
  const [head, index, field] = error.path;
  if (head === 'days' && typeof index === 'number') {
    const column = isDayField(field) ? t(`calendar.column.${field}`) : '';
    return t('calendar.rowError', { n: index + 1, field: column, message: error.message });
  }
  return error.path.length > 0 ? `${error.path.join('.')}: ${error.message}` : error.message;
}

export interface CalendarYearEditorProps {
  /** The year being edited, or null to enter a new year. */
  initial: CalendarYear | null;
  coveredYears: readonly number[];
  defaultYear: number;
  onClose: () => void;
  onSaved: (year: number) => void;
}

export function CalendarYearEditor({
  initial,
  coveredYears,
  defaultYear,
  onClose,
  onSaved,
}: CalendarYearEditorProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<EditorValues>();
  const [saving, setSaving] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [importOpen, setImportOpen] = useState(false);
  const year = Form.useWatch('year', form) ?? initial?.year ?? defaultYear;

  const initialValues: EditorValues = initial
    ? {
        year: initial.year,
        source: initial.source,
        publishedOn: initial.publishedOn ? parseDate(initial.publishedOn) : null,
        days: toRows(initial.days),
      }
    : { year: defaultYear, source: '', publishedOn: null, days: [] };

  const showServerErrors = (errors: FieldError[]) => {
    setServerErrors(errors);
    const fields = errors.flatMap((error): FieldUpdate[] => {
      const [head, index, field] = error.path;
      if (head === 'days' && typeof index === 'number') {
        return [{ name: ['days', index, isDayField(field) ? field : 'date'], errors: [error.message] }];
      }
      if (head === 'source' || head === 'publishedOn') return [{ name: [head], errors: [error.message] }];
      return [];
    });
    form.setFields(fields);
    // The list can be long; bring the first offending row into view.
    const first = fields[0];
    if (first?.name) form.scrollToField(first.name, { block: 'center' });
  };

  const save = async () => {
    let values: EditorValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setServerErrors([]);
    try {
      await saveCalendarYear(values.year, {
        source: values.source.trim(),
        publishedOn: values.publishedOn ? toDateString(values.publishedOn) : null,
        days: toDays(values.days),
      });
      message.success(t('calendar.saved', { year: values.year }));
      onSaved(values.year);
    } catch (error) {
      const errors =
        error instanceof ApiError && error.code === VALIDATION_FAILED ? validationErrors(error) : [];
      if (errors.length > 0) showServerErrors(errors);
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  const sortRows = () => {
    const rows: DayRow[] = form.getFieldValue('days') ?? [];
    const sorted = [...rows].sort(
      (a, b) => (a.date?.valueOf() ?? Infinity) - (b.date?.valueOf() ?? Infinity),
    );
    form.setFieldValue('days', sorted);
  };

  const applyImport = (imported: ImportedYear) => {
    const next: Partial<EditorValues> = { days: toRows(imported.days) };
    if (imported.source !== undefined) next.source = imported.source;
    if (imported.publishedOn !== undefined) {
      next.publishedOn = imported.publishedOn ? parseDate(imported.publishedOn) : null;
    }
    if (imported.year !== undefined && !initial) next.year = imported.year;
    form.setFieldsValue(next);
    setServerErrors([]);
    setImportOpen(false);
    message.success(t('calendarImport.done', { n: imported.days.length }));
  };

  return (
    <Drawer
      open
      width={760}
      title={initial ? t('calendar.editTitle', { year: initial.year }) : t('calendar.newTitle')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={save} data-testid="calendar-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {serverErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setServerErrors([])}
          style={{ marginBottom: 16 }}
          message={t('calendar.validationFailed')}
          data-testid="calendar-errors"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {serverErrors.map((error, index) => (
                // Errors have no identity of their own; their order is fixed for this response.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <li key={index}>{describeFieldError(error, t)}</li>
              ))}
            </ul>
          }
        />
      )}
      <Form<EditorValues> form={form} layout="vertical" initialValues={initialValues}>
        <Flex gap={16}>
          <Form.Item
            name="year"
            label={t('calendar.year')}
            style={{ width: 160 }}
            rules={[
              { required: true, message: t('calendar.yearRequired') },
              {
                validator: (_, value: unknown) =>
                  !initial && typeof value === 'number' && coveredYears.includes(value)
                    ? Promise.reject(new Error(t('calendar.yearExists', { year: value })))
                    : Promise.resolve(),
              },
            ]}
          >
            <InputNumber
              min={2000}
              max={2100}
              precision={0}
              disabled={Boolean(initial)}
              style={{ width: '100%' }}
              data-testid="calendar-year"
            />
          </Form.Item>
          <Form.Item name="publishedOn" label={t('calendar.publishedOn')} style={{ width: 200 }}>
            <DatePicker format={DATE_FORMAT} style={{ width: '100%' }} data-testid="calendar-published-on" />
          </Form.Item>
        </Flex>
        <Form.Item
          name="source"
          label={t('calendar.source')}
          extra={t('calendar.sourceHint')}
          rules={[{ required: true, whitespace: true, message: t('calendar.sourceRequired') }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={500}
            data-testid="calendar-source"
          />
        </Form.Item>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Typography.Text strong>{t('calendar.entries')}</Typography.Text>
          <Space>
            <Button icon={<SortAscendingOutlined />} onClick={sortRows}>
              {t('calendar.sortByDate')}
            </Button>
            <Button
              icon={<ImportOutlined />}
              onClick={() => setImportOpen(true)}
              data-testid="calendar-import-open"
            >
              {t('calendarImport.open')}
            </Button>
          </Space>
        </Flex>
        <Form.List name="days">
          {(fields, { add, remove }) => (
            <Flex vertical gap={0}>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="flex-start" data-testid={`calendar-row-${index}`}>
                  <Typography.Text
                    type="secondary"
                    style={{ width: 28, lineHeight: '32px', textAlign: 'right' }}
                  >
                    {index + 1}
                  </Typography.Text>
                  <Form.Item
                    name={[field.name, 'date']}
                    style={{ width: 170, marginBottom: 12 }}
                    rules={[
                      { required: true, message: t('calendar.dateRequired') },
                      {
                        validator: (_, value: Dayjs | null | undefined) =>
                          value && value.year() !== year
                            ? Promise.reject(new Error(t('calendar.dateOutsideYear', { year })))
                            : Promise.resolve(),
                      },
                    ]}
                  >
                    <DatePicker
                      format={DATE_FORMAT}
                      style={{ width: '100%' }}
                      placeholder={t('calendar.column.date')}
                      data-testid={`calendar-day-date-${index}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'kind']}
                    style={{ width: 150, marginBottom: 12 }}
                    rules={[{ required: true, message: t('calendar.kindRequired') }]}
                  >
                    <Select<CalendarDayKind>
                      placeholder={t('calendar.column.kind')}
                      options={[
                        { value: 'holiday', label: t('calendar.kind.holiday') },
                        { value: 'workday', label: t('calendar.kind.workday') },
                      ]}
                      data-testid={`calendar-day-kind-${index}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'name']}
                    style={{ flex: 1, marginBottom: 12 }}
                    rules={[{ required: true, whitespace: true, message: t('calendar.nameRequired') }]}
                  >
                    <Input
                      placeholder={t('calendar.column.name')}
                      maxLength={50}
                      data-testid={`calendar-day-name-${index}`}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    title={t('common.delete')}
                    onClick={() => remove(field.name)}
                    data-testid={`calendar-day-remove-${index}`}
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ kind: 'holiday', name: '' })}
                block
                data-testid="calendar-add-day"
              >
                {t('calendar.addEntry')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
      <CalendarImportModal open={importOpen} onClose={() => setImportOpen(false)} onImport={applyImport} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t('calendar.editorNote')}
      </Typography.Paragraph>
    </Drawer>
  );
}
