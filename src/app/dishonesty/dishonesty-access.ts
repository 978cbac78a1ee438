import { isInRegionScope } from '../../domain/access/scope.ts';
import type { DishonestyFacts, DishonestySubject } from '../../domain/dishonesty/records.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { isAgencyActor } from '../cases/case-access.ts';
import type { Actor, Deps } from '../ports.ts';
import type { DishonestyRow } from './dishonesty.port.ts';

/**
 * Who sees a dishonesty record: agency users of its region and above, and the requester that entrusted its case
 * (read-only). Anyone else is told it does not exist (404), like any object out of scope.
 */

export function canSeeRecord(actor: Actor, record: DishonestyRow): boolean {
  return (
    (isAgencyActor(actor) && isInRegionScope(record.regionCode, actor.regionCode)) ||
    (actor.roles.includes('requester_staff') &&
      record.requesterOrganisationId !== null &&
      actor.organisationId === record.requesterOrganisationId)
  );
}

export async function recordForActor(deps: Deps, id: number, actor: Actor): Promise<DishonestyRow> {
  const record = await deps.store.dishonesty.get(id);
  if (!record || !canSeeRecord(actor, record))
    throw new AppError('OUT_OF_SCOPE', '失信记录不存在或不在您的数据范围内', { recordId: id });
  return record;
}

export function decryptSubjects(deps: Deps, record: DishonestyRow): DishonestySubject[] {
  return JSON.parse(deps.crypto.decrypt(record.subjectsEnc)) as DishonestySubject[];
}

export function decryptFacts(deps: Deps, record: DishonestyRow): DishonestyFacts {
  return JSON.parse(deps.crypto.decrypt(record.factsEnc)) as DishonestyFacts;
}
