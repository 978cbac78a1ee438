import { z } from 'zod';
import type { Deps } from '../../app/ports.ts';
import { searchRegistry } from '../../app/registry/search-registry.ts';
import { MAX_SEARCH_REQUESTS } from '../../domain/registry/dci-search.ts';
import { allowWithApiKey } from '../access.ts';
import type { App } from '../types.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The DCI envelope (docs/integration.md). Only the envelope is checked here (a malformed one is a 400); each
 * `search_request` item is checked on its own by the use case, so one bad item is refused alone.
 */
const searchEnvelope = z.object({
  signature: z.string().max(4000).optional(),
  header: z.object({
    version: text(20),
    message_id: text(128),
    message_ts: z.iso.datetime({ offset: true }),
    action: z.literal('search'),
    sender_id: text(128),
    receiver_id: text(128).optional(),
    total_count: z.number().int().min(1).max(MAX_SEARCH_REQUESTS),
    is_msg_encrypted: z.literal(false),
    meta: z.record(z.string(), z.unknown()).optional(),
  }),
  message: z.object({
    transaction_id: text(128),
    search_request: z.array(z.unknown()).min(1).max(MAX_SEARCH_REQUESTS),
  }),
});

/** 社会救助登记查询（DCI）: other social-protection systems read the verification result of a case they entrusted. */
export function registryRoutes(app: App, deps: Deps): void {
  app.post('/api/v1/registry/sync/search', {
    config: { access: allowWithApiKey('registry:search', 'requester_staff') },
    schema: {
      tags: ['integration'],
      summary: '社会救助登记查询（DCI sync/search）：按身份证号或核对编号查询本单位委托案件的核对结论',
      body: searchEnvelope,
    },
    handler: async (request) => searchRegistry(deps, request.body, request.actor),
  });
}
