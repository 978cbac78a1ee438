import { findDataset } from '../../domain/catalog/datasets.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, OfflineExchangeRecord } from '../ports.ts';
import { auditCaseId, exchangeInScope, exchangePersons } from './exchange-scope.ts';

/** The exchange's workbook, with the persons in clear: every download is audited with its cases (Q§25). */
export async function downloadOfflineExchange(
  deps: Deps,
  input: { exchangeId: number },
  actor: Actor,
): Promise<{ exchange: OfflineExchangeRecord; bytes: Uint8Array }> {
  const exchange = await exchangeInScope(deps, input.exchangeId, actor);
  const dataset = findDataset(exchange.dataset);
  if (!dataset) throw new AppError('NOT_FOUND', `数据集「${exchange.dataset}」已不在目录中`);
  const organisation =
    exchange.organisationId === null
      ? undefined
      : await deps.store.organisations.get(exchange.organisationId);
  const bytes = await deps.exchangeDocuments.write({
    reference: exchange.reference,
    fingerprint: exchange.fingerprint,
    dataset,
    persons: exchangePersons(deps, exchange),
    exportDate: shanghaiDateOf(new Date(exchange.createdAt)),
    requesterName: organisation?.name ?? null,
  });
  await deps.store.audit.append(
    actor,
    {
      action: 'OFFLINE_EXCHANGE_DOWNLOADED',
      outcome: 'success',
      objectType: 'offline_exchange',
      objectId: String(exchange.id),
      caseId: auditCaseId(exchange.caseRefs),
      details: {
        reference: exchange.reference,
        personCount: exchange.personCount,
        caseRefs: exchange.caseRefs,
      },
    },
    deps.clock.now().toISOString(),
  );
  return { exchange, bytes };
}
