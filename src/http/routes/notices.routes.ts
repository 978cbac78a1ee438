import { z } from 'zod';
import { listNotices } from '../../app/notices/list-notices.ts';
import { markNoticeRead } from '../../app/notices/mark-notice-read.ts';
import type { Deps } from '../../app/ports.ts';
import { anyUser } from '../access.ts';
import { idParam } from '../schemas.ts';
import type { App } from '../types.ts';

const noticeSchema = z.object({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

function present(n: z.infer<typeof noticeSchema>): z.infer<typeof noticeSchema> {
  return { id: n.id, kind: n.kind, title: n.title, body: n.body, createdAt: n.createdAt, readAt: n.readAt };
}

export function noticeRoutes(app: App, deps: Deps): void {
  app.get('/api/notices', {
    config: { access: anyUser },
    schema: {
      tags: ['notices'],
      summary: '本单位的通知（新的在前），含未读数',
      querystring: z.object({
        unread: z.enum(['true', 'false']).default('false'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(20),
      }),
      response: {
        200: z.object({ items: z.array(noticeSchema), total: z.number(), unread: z.number() }),
      },
    },
    handler: async (request) => {
      const { unread, page, pageSize } = request.query;
      const list = await listNotices(
        deps,
        { unreadOnly: unread === 'true', offset: (page - 1) * pageSize, limit: pageSize },
        request.actor,
      );
      return { ...list, items: list.items.map(present) };
    },
  });

  app.post('/api/notices/:id/read', {
    config: { access: anyUser },
    schema: {
      tags: ['notices'],
      summary: '标记通知为已读（仅限本单位的通知）',
      params: idParam,
      response: { 200: z.object({ notice: noticeSchema }) },
    },
    handler: async (request) => ({
      notice: present(await markNoticeRead(deps, request.params.id, request.actor)),
    }),
  });
}
