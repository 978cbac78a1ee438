import type { HouseholdRequestInput } from '../../domain/assessment/household-request.ts';
import type { AssessmentRow, Deps } from '../ports.ts';
import type { StoredResult } from './run-assessment.ts';

/** A stored assessment's request as it was given (members with ID numbers, declaration). */
export function decryptInput(deps: Deps, row: AssessmentRow): HouseholdRequestInput {
  return JSON.parse(deps.crypto.decrypt(row.inputEnc)) as HouseholdRequestInput;
}

/** A stored assessment's result. */
export function decryptResult(deps: Deps, row: AssessmentRow): StoredResult {
  return JSON.parse(deps.crypto.decrypt(row.resultEnc)) as StoredResult;
}
