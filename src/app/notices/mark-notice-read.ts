import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, Deps, NoticeRecord } from '../ports.ts';

/**
 * Marks a notice of the caller's organisation read (audited). Notices of other organisations answer
 * OUT_OF_SCOPE, as if they did not exist; marking a read notice again changes nothing.
 */
export async function markNoticeRead(deps: Deps, noticeId: number, actor: Actor): Promise<NoticeRecord> {
  const notice = await deps.store.notices.get(noticeId);
  if (
    !notice ||
    actor.organisationId === null ||
    notice.organisationId !== actor.organisationId ||
    (notice.recipientUserId != null && notice.recipientUserId !== actor.userId)
  )
    throw new AppError('OUT_OF_SCOPE', '通知不存在或不属于您的单位');
  if (notice.readAt !== null) return notice;
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    await tx.notices.markRead(notice.id, at);
    await tx.audit.append(
      actor,
      {
        action: 'NOTICE_READ',
        outcome: 'success',
        objectType: 'notice',
        objectId: String(notice.id),
        details: { kind: notice.kind },
      },
      at,
    );
    return { ...notice, readAt: at };
  });
}
