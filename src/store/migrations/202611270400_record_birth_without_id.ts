import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.ts';

/**
 * The name + birth-date candidates of an assessment are rows without an ID number; hukou rows of the same birth
 * date (namesakes) are read only when such a row exists (src/app/assessment/gather-records.ts). A partial index
 * over the rows without an ID makes the first read touch only them: `record_birth_idx` also holds every hukou
 * row, and at M on PostgreSQL reading ~7 hukou rows per member from random heap pages was the largest part of a
 * single family's latency (issue #7; ~70 per member at L).
 */
export function recordBirthWithoutId(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`create index record_birth_noid_idx on record (birth_key) where person_key is null`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop index record_birth_noid_idx`.execute(db);
    },
  };
}
