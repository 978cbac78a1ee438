import { findDataset, isDepartmentCode } from '../../domain/catalog/datasets.ts';
import {
  canonicalPersons,
  checkExchangePersons,
  EXCHANGE_FINGERPRINT_PURPOSE,
  type ExchangePersonInput,
  exchangeReference,
} from '../../domain/exchange/offline-exchange.ts';
import { shanghaiDateOf } from '../../domain/shared/clock.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { requireOpenCase } from '../cases/case-purpose.ts';
import type { Actor, Deps, OfflineExchangeRecord } from '../ports.ts';
import { auditCaseId } from './exchange-scope.ts';

export interface CreateExchangeInput {
  departmentCode: string;
  dataset: string;
  persons: ExchangePersonInput[];
}

/**
 * Exports the persons to check for a department without data sharing (C§3): every person is checked first
 * (all problems listed, nothing stored on any), then the exchange is stored with the persons encrypted and a
 * keyed fingerprint of the list, which its workbook carries back.
 */
export async function createOfflineExchange(
  deps: Deps,
  input: CreateExchangeInput,
  actor: Actor,
): Promise<OfflineExchangeRecord> {
  if (actor.regionCode === null || actor.organisationId === null)
    throw new AppError('PERMISSION_DENIED', '您的账号未关联机构，不能导出离线核对清单');
  const dataset = findDataset(input.dataset);
  if (!isDepartmentCode(input.departmentCode))
    throw new AppError('VALIDATION_FAILED', `未知的部门代码「${input.departmentCode}」`);
  if (!dataset) throw new AppError('VALIDATION_FAILED', `未知的数据集代码「${input.dataset}」`);
  const deliverers = [dataset.departmentCode, ...(dataset.otherDepartmentCodes ?? [])];
  if (!deliverers.includes(input.departmentCode))
    throw new AppError('VALIDATION_FAILED', `数据集「${dataset.name}」不由该部门提供`);

  const now = deps.clock.now();
  const today = shanghaiDateOf(now);
  const checked = checkExchangePersons(input.persons, today);
  if (!checked.ok)
    throw new AppError(
      'VALIDATION_FAILED',
      `待核查人员有 ${checked.errors.length} 处错误，请改正后重新导出`,
      {
        errors: checked.errors,
      },
    );
  const { persons } = checked;
  const caseRefs = [...new Set(persons.map((p) => p.caseRef))];
  // Every person is a member of an accepted case the caller works on (无委托、不核对).
  for (const caseRef of caseRefs)
    await requireOpenCase(
      deps,
      caseRef,
      persons.filter((p) => p.caseRef === caseRef).map((p) => p.idNumber),
      actor,
    );
  const at = now.toISOString();
  return deps.store.transaction(async (tx) => {
    const exchange = await tx.offlineExchanges.create(
      {
        departmentCode: input.departmentCode,
        dataset: dataset.code,
        organisationId: actor.organisationId,
        regionCode: actor.regionCode as string,
        status: 'exported',
        personsEnc: deps.crypto.encrypt(JSON.stringify(persons)),
        personCount: persons.length,
        caseRefs,
        fingerprint: deps.crypto.blindIndex(canonicalPersons(persons), EXCHANGE_FINGERPRINT_PURPOSE),
        createdAt: at,
        createdBy: actor.userId,
        createdByName: actor.name,
        answeredAt: null,
        answeredBy: null,
        answerBatchId: null,
      },
      (id) => exchangeReference(today, id),
    );
    await tx.audit.append(
      actor,
      {
        action: 'OFFLINE_EXCHANGE_EXPORTED',
        outcome: 'success',
        objectType: 'offline_exchange',
        objectId: String(exchange.id),
        caseId: auditCaseId(caseRefs),
        details: {
          reference: exchange.reference,
          departmentCode: exchange.departmentCode,
          dataset: exchange.dataset,
          personCount: persons.length,
          caseRefs,
        },
      },
      at,
    );
    return exchange;
  });
}
