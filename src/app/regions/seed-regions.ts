import { listRegions } from '../../domain/regions/regions.ts';
import type { Store } from '../ports.ts';

/** Loads the current GB/T 2260 provinces, cities and counties into the region table (idempotent). */
export async function seedRegions(store: Store): Promise<number> {
  const rows = listRegions().map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parentCode,
  }));
  await store.transaction((tx) => tx.regions.upsertMany(rows));
  return rows.length;
}
