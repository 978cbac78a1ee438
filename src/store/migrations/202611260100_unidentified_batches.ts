import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * Supplementary batches of unidentified rows (「待认定记录」补充报送, issue #7). `batch.kind` tells a delivery of
 * the dataset's template (`main`) from a batch of rows without a usable ID number (`unidentified`): each kind
 * supersedes only its own kind for a dataset and period. How the rows of an unidentified batch were linked at
 * import is counted on the batch: to a person through the one same-name holder of a valid number one typing slip
 * away (`nearby_id_rows`), or left to the assessment's name + birth-date matching (`name_birth_rows`); both null on
 * main batches.
 */
export function unidentifiedBatches(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('batch')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('main'))
        .execute();
      await db.schema.alterTable('batch').addColumn('nearby_id_rows', 'integer').execute();
      await db.schema.alterTable('batch').addColumn('name_birth_rows', 'integer').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('batch').dropColumn('name_birth_rows').execute();
      await db.schema.alterTable('batch').dropColumn('nearby_id_rows').execute();
      await db.schema.alterTable('batch').dropColumn('kind').execute();
    },
  };
}
