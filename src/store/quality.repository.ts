import type { Kysely, Transaction } from 'kysely';
import type { QualityRepository } from '../app/ports.ts';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function qualityRepository(db: Executor): QualityRepository {
  return {
    async hasCommitted(dataset) {
      const r = await db
        .selectFrom('batch')
        .select('id')
        .where('dataset', '=', dataset)
        .where('status', '=', 'committed')
        .where('source', 'not in', ['query', 'offline'])
        .where('kind', '=', 'main')
        .limit(1)
        .executeTakeFirst();
      return r !== undefined;
    },
    async countUnmatched(batchId, referenceDataset) {
      // (person_key, dataset) is indexed: each record costs one index probe into the register.
      const r = await db
        .selectFrom('record as r')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('r.batchId', '=', batchId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('record as h')
                .innerJoin('batch as hb', 'hb.id', 'h.batchId')
                .select('h.id')
                .whereRef('h.personKey', '=', 'r.personKey')
                .where('h.dataset', '=', referenceDataset)
                .where('hb.status', '=', 'committed')
                .where('hb.source', 'not in', ['query', 'offline'])
                .where('hb.kind', '=', 'main'),
            ),
          ),
        )
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}
