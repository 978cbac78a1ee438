import { isInRegionScope } from '../../domain/access/scope.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, RegionRecord } from '../ports.ts';

/**
 * Townships and streets are not in GB/T 2260; administrators add them under their county
 * with the nine-digit code of the statistical division table.
 */
export async function createTownship(
  deps: Deps,
  input: { code: string; name: string },
  actor: Actor,
): Promise<RegionRecord> {
  const name = input.name.trim();
  if (!/^\d{9}$/.test(input.code)) throw new AppError('INVALID_REGION', '乡镇（街道）代码应为 9 位数字');
  if (name.length === 0 || name.length > 50) throw new AppError('VALIDATION_FAILED', '名称须为 1–50 个字符');
  if (!isInRegionScope(input.code, actor.regionCode))
    throw new AppError('OUT_OF_SCOPE', '该区划不在您的数据范围内');
  const county = await deps.store.regions.get(input.code.slice(0, 6));
  if (county?.level !== 'county')
    throw new AppError('INVALID_REGION', `上级县（区）${input.code.slice(0, 6)} 不存在`);
  if (await deps.store.regions.get(input.code))
    throw new AppError('CONFLICT', `区划代码 ${input.code} 已存在`);
  const region: RegionRecord = { code: input.code, name, level: 'township', parentCode: county.code };
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.regions.upsertMany([region]);
    await tx.audit.append(
      actor,
      {
        action: 'REGION_CREATED',
        outcome: 'success',
        objectType: 'region',
        objectId: region.code,
        details: { name },
      },
      at,
    );
  });
  return region;
}
