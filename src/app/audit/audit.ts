import type { Actor, AuditFilter, Deps } from '../ports.ts';

export { verifyAudit } from './checkpoints.ts';

/** The audit officer reads the log of their region; the reading is itself recorded. */
export async function listAudit(deps: Deps, filter: Omit<AuditFilter, 'regionScope'>, actor: Actor) {
  const page = await deps.store.audit.list({ ...filter, regionScope: actor.regionCode });
  await deps.store.audit.append(
    actor,
    {
      action: 'AUDIT_LOG_VIEWED',
      outcome: 'success',
      details: {
        filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== '')),
        returned: page.items.length,
      },
    },
    deps.clock.now().toISOString(),
  );
  return page;
}
