import { Alert, Checkbox, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { type CaseDetail, SUSPENSION_GROUNDS, type SuspensionGround } from '../api/cases';
import { describeError, isSessionExpired } from '../hooks/useNotifyError';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { withTestId } from '../utils/testId';
import { WorkGroupFields } from './WorkGroupFields';

export type StepField = 'workdays' | 'grounds' | 'group' | 'reviewGroup';

export interface StepValues {
  text: string;
  workdays: number;
  grounds: SuspensionGround[];
  handlerId: number | undefined;
  reviewerId: number | undefined;
}

const GROUND_LABEL: Record<SuspensionGround, MessageKey> = {
  'concealment-or-false-materials': 'case.act.ground.concealment',
  'refusal-to-cooperate': 'case.act.ground.refusal',
  'programme-rule': 'case.act.ground.programme',
};

/**
 * One step of the verification in a dialog: its written text (remarks, reasons), and where the step needs
 * them the working days of an extension, the grounds of a suspension or the review group. The server checks
 * everything again (who may take the step, the deadlines) and its Chinese refusal is shown as is.
 */
export function CaseStepModal({
  caseId,
  testId,
  title,
  textLabel,
  fields = [],
  maxWorkdays = 5,
  workdaysLabel = 'case.act.workdays',
  hint,
  initialHandlerId,
  danger = false,
  onClose,
  run,
  onDone,
}: {
  caseId: number;
  testId: string;
  title: string;
  textLabel: string | null;
  fields?: StepField[];
  maxWorkdays?: number;
  workdaysLabel?: MessageKey;
  hint?: string;
  initialHandlerId?: number;
  danger?: boolean;
  onClose: () => void;
  run: (values: StepValues) => Promise<CaseDetail>;
  onDone: (next: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState<StepValues>({
    text: '',
    workdays: Math.min(5, maxWorkdays),
    grounds: [],
    handlerId: initialHandlerId,
    reviewerId: undefined,
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      onDone(await run(values));
    } catch (error) {
      if (!isSessionExpired(error)) setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={withTestId(`${testId}-ok`, { loading: busy, danger })}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {hint && <Alert type="info" showIcon message={hint} />}
        {failure && <Alert type="error" showIcon message={failure} data-testid={`${testId}-error`} />}
        {fields.includes('workdays') && (
          <Space>
            <Typography.Text>{t(workdaysLabel)}</Typography.Text>
            <InputNumber<number>
              min={1}
              max={maxWorkdays}
              precision={0}
              value={values.workdays}
              onChange={(v) => setValues({ ...values, workdays: v ?? 1 })}
              data-testid={`${testId}-workdays`}
            />
          </Space>
        )}
        {fields.includes('grounds') && (
          <Checkbox.Group
            value={values.grounds}
            onChange={(grounds) => setValues({ ...values, grounds: grounds as SuspensionGround[] })}
            options={SUSPENSION_GROUNDS.map((g) => ({ value: g, label: t(GROUND_LABEL[g]) }))}
          />
        )}
        {(fields.includes('group') || fields.includes('reviewGroup')) && (
          <WorkGroupFields
            caseId={caseId}
            review={fields.includes('reviewGroup')}
            handlerId={values.handlerId}
            reviewerId={values.reviewerId}
            onChange={(group) => setValues({ ...values, ...group })}
            testId={testId}
          />
        )}
        {textLabel !== null && (
          <>
            <Typography.Text>{textLabel}</Typography.Text>
            <Input.TextArea
              rows={4}
              maxLength={4000}
              value={values.text}
              onChange={(e) => setValues({ ...values, text: e.target.value })}
              data-testid={`${testId}-text`}
            />
          </>
        )}
      </Space>
    </Modal>
  );
}
