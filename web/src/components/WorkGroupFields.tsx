import { Select, Space, Typography } from 'antd';
import { useCallback } from 'react';
import { type WorkGroupCandidate, workGroupCandidates } from '../api/cases';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n';

function label(c: WorkGroupCandidate): string {
  return `${c.displayName}（${c.organisationName}）`;
}

/**
 * The work group of a case picked from the agency staff who may form it (Q§16 专人专岗): a handler and a different
 * reviewer who holds the reviewer role; for a review after an appeal, never the original handler (Q§20). The
 * server checks all of it again.
 */
export function WorkGroupFields({
  caseId,
  review,
  handlerId,
  reviewerId,
  onChange,
  testId,
}: {
  caseId: number;
  /** Picking a review group: the original handler is left out. */
  review: boolean;
  handlerId: number | undefined;
  reviewerId: number | undefined;
  onChange: (group: { handlerId: number | undefined; reviewerId: number | undefined }) => void;
  testId: string;
}) {
  const { t } = useI18n();
  const load = useCallback(() => workGroupCandidates(caseId), [caseId]);
  const { state } = useAsync(load);
  const candidates = state.status === 'ready' ? state.value : [];
  const eligible = candidates.filter((c) => !(review && c.originalHandler));
  const options = (pick: (c: WorkGroupCandidate) => boolean, other: number | undefined) =>
    eligible.filter((c) => pick(c) && c.id !== other).map((c) => ({ value: c.id, label: label(c) }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>{t('case.act.pickHandler')}</Typography.Text>
      <Select<number>
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        loading={state.status === 'loading'}
        value={handlerId}
        options={options((c) => c.canHandle, reviewerId)}
        onChange={(value) => onChange({ handlerId: value, reviewerId })}
        data-testid={`${testId}-handler`}
      />
      <Typography.Text>{t('case.act.pickReviewer')}</Typography.Text>
      <Select<number>
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        loading={state.status === 'loading'}
        value={reviewerId}
        options={options((c) => c.canReview, handlerId)}
        onChange={(value) => onChange({ handlerId, reviewerId: value })}
        data-testid={`${testId}-reviewer`}
      />
      {review && candidates.some((c) => c.originalHandler) && (
        <Typography.Text type="secondary">{t('case.act.originalHandlerExcluded')}</Typography.Text>
      )}
    </Space>
  );
}
