import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, OrganisationRecord } from '../ports.ts';
import { organisationInScope } from './scope.ts';

export async function updateOrganisation(
  deps: Deps,
  id: number,
  patch: { name?: string; active?: boolean },
  actor: Actor,
): Promise<OrganisationRecord> {
  const before = await organisationInScope(deps.store, actor, id);
  const name = patch.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 100))
    throw new AppError('VALIDATION_FAILED', '机构名称须为 1–100 个字符');
  if (patch.active === false && before.id === actor.organisationId)
    throw new AppError('CONFLICT', '不能停用自己所在的机构');
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    await tx.organisations.update(id, {
      ...(name === undefined ? {} : { name }),
      ...(patch.active === undefined ? {} : { active: patch.active }),
    });
    const after = (await tx.organisations.get(id)) as OrganisationRecord;
    await tx.audit.append(
      actor,
      {
        action: 'ORGANISATION_UPDATED',
        outcome: 'success',
        objectType: 'organisation',
        objectId: String(id),
        details: {
          before: { name: before.name, active: before.active },
          after: { name: after.name, active: after.active },
        },
      },
      at,
    );
    return after;
  });
}
