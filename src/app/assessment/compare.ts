import { type AssessmentComparison, compareAssessments } from '../../domain/assessment/result.ts';
import type { Actor, Deps } from '../ports.ts';
import type { AssessmentView } from './run-assessment.ts';
import { decryptResult } from './stored-assessment.ts';

/** A re-run's figures against those of the result it re-ran; null for a first run. */
export async function compareAssessmentWith(
  deps: Deps,
  rerun: AssessmentView,
  _actor: Actor,
): Promise<AssessmentComparison | null> {
  if (rerun.rerunOf === null) return null;
  const original = await deps.store.assessments.get(rerun.rerunOf);
  if (!original || original.regionCode !== rerun.regionCode) return null;
  const before = decryptResult(deps, original);
  return compareAssessments(
    { assessment: before.assessment, discrepancies: before.discrepancies ?? [], batchIds: original.batchIds },
    {
      assessment: rerun.result.assessment,
      discrepancies: rerun.result.discrepancies ?? [],
      batchIds: rerun.batchIds,
    },
  );
}
