import {
  ModalForm,
  type ProColumns,
  ProFormDependency,
  ProFormDigit,
  ProFormSelect,
  ProFormText,
  ProTable,
} from '@ant-design/pro-components';
import { Alert, App, Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { listDeliveryRules, saveDeliveryRule } from '../api/delivery';
import { type DeliveryRule, FREQUENCIES, type Frequency } from '../api/types';
import { FrequencyTag } from '../components/DataTags';
import { fitsFrequency, normalisePeriod, parsePeriod } from '../domain/periods';
import { useAsync } from '../hooks/useAsync';
import { describeError, useNotifyError } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import { EMPTY, formatDateTime } from '../utils/datetime';
import { withTestId } from '../utils/testId';

interface RuleValues {
  frequency: Frequency;
  dueDay: number;
  firstPeriod?: string;
}

function RuleModal({
  row,
  onClose,
  onSaved,
}: {
  row: DeliveryRule;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  return (
    <ModalForm<RuleValues>
      open
      title={t('rules.editTitle', { name: row.datasetName })}
      width={520}
      layout="vertical"
      initialValues={{ frequency: row.frequency, dueDay: row.dueDay, firstPeriod: row.firstPeriod ?? '' }}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      submitter={{ submitButtonProps: withTestId('rule-submit', {}) }}
      onFinish={async (values) => {
        const firstPeriod = values.firstPeriod?.trim() ? normalisePeriod(values.firstPeriod) : null;
        try {
          await saveDeliveryRule(row.dataset, {
            frequency: values.frequency,
            dueDay: values.dueDay,
            firstPeriod,
          });
          message.success(t('rules.saved', { name: row.datasetName }));
          onSaved();
          return true;
        } catch (error) {
          notifyError(error);
          return false;
        }
      }}
    >
      <Typography.Paragraph type="secondary">
        {t('rules.catalogFrequency', { frequency: label('frequency', row.catalogFrequency) })}
      </Typography.Paragraph>
      <ProFormSelect
        name="frequency"
        label={t('rules.frequency')}
        rules={[{ required: true, message: t('rules.frequencyRequired') }]}
        options={FREQUENCIES.map((frequency) => ({ value: frequency, label: label('frequency', frequency) }))}
        fieldProps={withTestId('rule-frequency', {})}
      />
      <ProFormDigit
        name="dueDay"
        label={t('rules.dueDay')}
        extra={t('rules.dueDayHint')}
        min={1}
        max={28}
        rules={[{ required: true, message: t('rules.dueDayRequired') }]}
        fieldProps={withTestId('rule-due-day', {
          precision: 0,
          addonBefore: t('rules.dueDayBefore'),
          addonAfter: t('rules.dueDayAfter') || undefined,
        })}
      />
      <ProFormDependency name={['frequency']}>
        {({ frequency }: Partial<RuleValues>) => (
          <ProFormText
            name="firstPeriod"
            label={t('rules.firstPeriod')}
            extra={t('rules.firstPeriodHint')}
            rules={[
              {
                validator: async (_, value: string | undefined) => {
                  if (!value?.trim()) return;
                  if (!parsePeriod(value)) throw new Error(t('upload.periodInvalid'));
                  if (frequency && !fitsFrequency(frequency, value))
                    throw new Error(t('upload.periodNotWhole', { frequency: label('frequency', frequency) }));
                },
              },
            ]}
            fieldProps={withTestId('rule-first-period', { placeholder: '2025-Q1', allowClear: true })}
          />
        )}
      </ProFormDependency>
    </ModalForm>
  );
}

export function DeliveryRulesPage() {
  const { t } = useI18n();
  const { state, reload } = useAsync(listDeliveryRules);
  const [editing, setEditing] = useState<DeliveryRule | null>(null);

  const columns: ProColumns<DeliveryRule>[] = [
    {
      title: t('rules.dataset'),
      dataIndex: 'datasetName',
      render: (_, row) => (
        <Flex vertical>
          <Typography.Text strong>{row.datasetName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.dataset}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('rules.department'), dataIndex: 'departmentName' },
    {
      title: t('rules.frequency'),
      dataIndex: 'frequency',
      width: 220,
      render: (_, row) => (
        <Flex gap={4} align="center" style={{ whiteSpace: 'nowrap' }}>
          <FrequencyTag frequency={row.frequency} />
          {!row.overridden && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('rules.catalogDefault')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('rules.dueDay'),
      dataIndex: 'dueDay',
      width: 140,
      render: (_, row) => t('delivery.dueRuleValue', { day: row.dueDay }),
    },
    {
      title: t('rules.firstPeriod'),
      dataIndex: 'firstPeriod',
      width: 120,
      render: (_, row) => row.firstPeriod ?? EMPTY,
    },
    {
      title: t('rules.updatedAt'),
      dataIndex: 'updatedAt',
      width: 170,
      render: (_, row) => formatDateTime(row.updatedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, row) => (
        <Button
          type="link"
          size="small"
          onClick={() => setEditing(row)}
          data-testid={`rule-edit-${row.dataset}`}
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <ProTable<DeliveryRule>
        rowKey="dataset"
        headerTitle={t('rules.title')}
        columns={columns}
        dataSource={state.status === 'ready' ? state.value : []}
        loading={state.status === 'loading'}
        search={false}
        pagination={false}
        options={{ reload: () => void reload(), density: false, setting: false }}
        tableExtraRender={() => (
          <Flex vertical gap={8}>
            <Alert type="info" showIcon message={t('rules.hint')} />
            {state.status === 'failed' && (
              <Alert type="error" showIcon message={describeError(state.error, t)} />
            )}
          </Flex>
        )}
      />
      {editing && (
        <RuleModal
          row={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
    </>
  );
}
