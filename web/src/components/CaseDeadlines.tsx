import { Space, Tag, Tooltip } from 'antd';
import type { CaseDeadline, CaseState, DeadlineKind } from '../api/cases';
import type { AssistanceType } from '../api/policy';
import { ASSISTANCE_TYPE_LABEL } from '../domain/policy';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

export const DEADLINE_LABEL: Record<DeadlineKind, MessageKey> = {
  acceptance: 'deadline.acceptance',
  report: 'deadline.report',
  ceiling: 'case.deadline.ceiling',
  appeal: 'deadline.appeal',
  review: 'deadline.review',
  escalation: 'deadline.escalation',
};

export const CASE_STATE_COLOR: Partial<Record<CaseState, string>> = {
  submitted: 'blue',
  returned: 'orange',
  verifying: 'processing',
  awaiting_approval: 'purple',
  reported: 'green',
  suspended: 'red',
  terminated: 'default',
  appealed: 'magenta',
  reviewing: 'processing',
  review_awaiting_approval: 'purple',
  reviewed: 'green',
};

/** Red when due today or overdue, orange with one working day left. */
export function deadlineColor(left: number | null): string | undefined {
  if (left === null) return undefined;
  if (left <= 0) return 'red';
  if (left <= 1) return 'orange';
  return 'green';
}

/** The running deadlines of a case, each with the working days left. */
export function CaseDeadlineTags({
  deadlines,
  testId,
}: {
  deadlines: readonly CaseDeadline[];
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap data-testid={testId}>
      {deadlines.map((deadline) => (
        <Tooltip key={deadline.kind} title={deadline.due}>
          <Tag color={deadlineColor(deadline.workdaysLeft)} data-testid={`deadline-${deadline.kind}`}>
            {t(DEADLINE_LABEL[deadline.kind])} {deadline.due}
            {' · '}
            {deadline.workdaysLeft === null
              ? t('case.notCounted')
              : deadline.workdaysLeft <= 0
                ? t('case.overdue', { n: deadline.workdaysLeft })
                : t('case.workdaysLeft', { n: deadline.workdaysLeft })}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

export function useAssistanceTypeLabel(): (type: string) => string {
  const { t } = useI18n();
  return (type) => {
    const key = (ASSISTANCE_TYPE_LABEL as Partial<Record<string, MessageKey>>)[type as AssistanceType];
    return key ? t(key) : type;
  };
}
