import { regionScopePrefix } from '../../domain/access/scope.ts';
import type { ExportRequestRow } from '../../domain/exports/export-request.ts';
import type { Actor, Deps } from '../ports.ts';

/**
 * The export screens' data: the caller's own requests (to download), and for an agency reviewer the requests in
 * their scope (pending ones to decide, and those decided lately). No personal data: kinds, targets, reasons.
 */
export async function listExports(
  deps: Deps,
  actor: Actor,
): Promise<{ mine: ExportRequestRow[]; toDecide: ExportRequestRow[]; decided: ExportRequestRow[] }> {
  const mine = actor.userId === null ? [] : await deps.store.exportRequests.ofRequester(actor.userId, 100);
  if (!actor.roles.includes('agency_reviewer') || actor.regionCode === null)
    return { mine, toDecide: [], decided: [] };
  const prefix = regionScopePrefix(actor.regionCode);
  const [pending, decided] = await Promise.all([
    deps.store.exportRequests.inScope(prefix, ['pending'], 200),
    deps.store.exportRequests.inScope(prefix, ['approved', 'refused', 'downloaded'], 50),
  ]);
  return { mine, toDecide: pending.filter((r) => r.requestedBy !== actor.userId), decided };
}
