import { request } from './client';
import type { Items, Region } from './types';

/** Children of `parent`, or the top of the caller's data scope when no parent is given. */
export async function listRegions(parent?: string): Promise<Region[]> {
  const { items } = await request<Items<Region>>('/api/regions', { query: { parent } });
  return items;
}
