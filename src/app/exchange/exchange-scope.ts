import { isInRegionScope } from '../../domain/access/scope.ts';
import type { ExchangePerson } from '../../domain/exchange/offline-exchange.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { departmentScopeOf } from '../delivery/department-scope.ts';
import type { Actor, Deps, OfflineExchangeRecord } from '../ports.ts';

/**
 * Who sees an exchange: agency staff of its region and above (SPEC §1 data scope), and the officers of the
 * department it is addressed to (SPEC §1: departments see the offline queries addressed to them).
 */
export interface ExchangeScope {
  regionScope: string | null;
  /** A department officer's own department; null for agency staff. */
  departmentCode: string | null;
}

export async function exchangeScopeOf(deps: Deps, actor: Actor): Promise<ExchangeScope> {
  if (actor.regionCode === null)
    throw new AppError('PERMISSION_DENIED', '您的账号未关联机构，不能使用离线交换');
  return { regionScope: actor.regionCode, departmentCode: await departmentScopeOf(deps.store, actor) };
}

/** The exchange, or OUT_OF_SCOPE (404) when it does not exist or lies outside the actor's scope. */
export async function exchangeInScope(deps: Deps, id: number, actor: Actor): Promise<OfflineExchangeRecord> {
  const scope = await exchangeScopeOf(deps, actor);
  const exchange = await deps.store.offlineExchanges.get(id);
  if (
    !exchange ||
    !isInRegionScope(exchange.regionCode, scope.regionScope) ||
    (scope.departmentCode !== null && exchange.departmentCode !== scope.departmentCode)
  )
    throw new AppError('OUT_OF_SCOPE', '离线交换不存在或不在您的数据范围内');
  return exchange;
}

export function exchangePersons(deps: Deps, exchange: OfflineExchangeRecord): ExchangePerson[] {
  return JSON.parse(deps.crypto.decrypt(exchange.personsEnc)) as ExchangePerson[];
}

/** One case: the audit entry carries it as its case; several: listed in the details. */
export function auditCaseId(caseRefs: readonly string[]): string | null {
  return caseRefs.length === 1 ? (caseRefs[0] ?? null) : null;
}
