import type { ExchangePerson } from '../../domain/exchange/offline-exchange.ts';
import { maskIdNumber } from '../../domain/identity/id-number.ts';
import { maskName } from '../../domain/privacy/masking.ts';
import type { Actor, Deps, OfflineExchangeRecord } from '../ports.ts';
import { exchangeInScope, exchangePersons, exchangeScopeOf } from './exchange-scope.ts';

/** Exchanges in the actor's scope, newest first: no personal data, only counts and case references. */
export async function listOfflineExchanges(
  deps: Deps,
  filter: { status?: OfflineExchangeRecord['status']; offset: number; limit: number },
  actor: Actor,
): Promise<{ items: OfflineExchangeRecord[]; total: number }> {
  const scope = await exchangeScopeOf(deps, actor);
  return deps.store.offlineExchanges.list({
    regionScope: scope.regionScope,
    ...(scope.departmentCode === null ? {} : { departmentCode: scope.departmentCode }),
    ...(filter.status ? { status: filter.status } : {}),
    offset: filter.offset,
    limit: filter.limit,
  });
}

/**
 * One exchange with its persons, ID numbers and names masked like every list (the full values are only in the
 * approved, watermarked export: docs/security.md «目的绑定与脱敏»).
 */
export async function getOfflineExchange(
  deps: Deps,
  input: { exchangeId: number },
  actor: Actor,
): Promise<{ exchange: OfflineExchangeRecord; persons: ExchangePerson[] }> {
  const exchange = await exchangeInScope(deps, input.exchangeId, actor);
  const persons = exchangePersons(deps, exchange).map((p) => ({
    ...p,
    idNumber: maskIdNumber(p.idNumber),
    name: maskName(p.name),
  }));
  return { exchange, persons };
}
