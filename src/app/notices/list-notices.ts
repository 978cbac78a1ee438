import type { Actor, Deps, NoticeRecord } from '../ports.ts';

export interface NoticeList {
  items: NoticeRecord[];
  total: number;
  unread: number;
}

/** The notices addressed to the caller's organisation or to the caller personally, newest first. */
export async function listNotices(
  deps: Deps,
  filter: { unreadOnly: boolean; offset: number; limit: number },
  actor: Actor,
): Promise<NoticeList> {
  if (actor.organisationId === null) return { items: [], total: 0, unread: 0 };
  return deps.store.notices.list(actor.organisationId, { ...filter, userId: actor.userId });
}
