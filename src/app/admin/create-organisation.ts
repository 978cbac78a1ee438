import type { OrganisationKind } from '../../domain/access/roles.ts';
import { isInRegionScope } from '../../domain/access/scope.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, OrganisationRecord } from '../ports.ts';
import { organisationInScope } from './scope.ts';

export interface CreateOrganisationInput {
  name: string;
  kind: OrganisationKind;
  regionCode: string;
  parentId?: number | null;
  departmentCode?: string | null;
}

export async function createOrganisation(
  deps: Deps,
  input: CreateOrganisationInput,
  actor: Actor,
): Promise<OrganisationRecord> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100)
    throw new AppError('VALIDATION_FAILED', '机构名称须为 1–100 个字符');
  if (!isInRegionScope(input.regionCode, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '所选行政区划不在您的数据范围内', { regionCode: input.regionCode });
  const region = await deps.store.regions.get(input.regionCode);
  if (!region) throw new AppError('INVALID_REGION', `行政区划代码 ${input.regionCode} 不存在`);
  if (input.kind === 'department' && !input.departmentCode)
    throw new AppError('VALIDATION_FAILED', '数据提供部门须填写部门代码');
  if (input.parentId != null) await organisationInScope(deps.store, actor, input.parentId);
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    const org = await tx.organisations.create({
      name,
      kind: input.kind,
      regionCode: input.regionCode,
      parentId: input.parentId ?? null,
      departmentCode: input.kind === 'department' ? (input.departmentCode ?? null) : null,
      active: true,
      createdAt: at,
    });
    await tx.audit.append(
      actor,
      {
        action: 'ORGANISATION_CREATED',
        outcome: 'success',
        objectType: 'organisation',
        objectId: String(org.id),
        details: { name, kind: org.kind, regionCode: org.regionCode },
      },
      at,
    );
    return org;
  });
}
