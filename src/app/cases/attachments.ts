import { createHash } from 'node:crypto';
import {
  ATTACHMENT_KIND_LABELS,
  type AttachmentKind,
  EXTENSIONS,
  MAX_ATTACHMENT_BYTES,
  sniffAttachment,
} from '../../domain/cases/attachments.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, CaseAttachmentRow, Deps } from '../ports.ts';
import { caseForActor, isRequesterOf } from './case-access.ts';

/**
 * The requester files the case's papers while it waits for acceptance (or was returned for them). Each file
 * is a PDF, JPEG or PNG by its content and at most 10 MB. An authorization belongs to one member and serves
 * one case only (一事一授权): the same file filed for another case is refused.
 */

export interface AttachmentInput {
  kind: AttachmentKind;
  /** 0-based member the paper belongs to: required for an authorization. */
  memberIndex: number | null;
  fileName: string;
  bytes: Buffer;
}

const OPEN_STATES = new Set(['submitted', 'returned']);

export async function addAttachment(
  deps: Deps,
  caseId: number,
  input: AttachmentInput,
  actor: Actor,
): Promise<CaseAttachmentRow> {
  const kase = await caseForActor(deps.store, caseId, actor);
  if (!isRequesterOf(actor, kase)) throw new AppError('PERMISSION_DENIED', '只有委托单位可以为案件提交材料');
  if (!OPEN_STATES.has(kase.state))
    throw new AppError('CONFLICT', '案件已受理或已办结，不能再提交材料', { state: kase.state });
  const at = deps.clock.now().toISOString();
  const refuse = async (
    code: 'FILE_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'VALIDATION_FAILED' | 'CONFLICT',
    message: string,
    details: Record<string, unknown> = {},
  ) => {
    await deps.store.audit.append(
      actor,
      {
        action: 'CASE_ATTACHMENT_REFUSED',
        outcome: 'failure',
        objectType: 'case',
        objectId: String(kase.id),
        caseId: kase.number,
        details: { kind: input.kind, memberIndex: input.memberIndex, code, ...details },
      },
      at,
    );
    return new AppError(code, message, details);
  };
  if (input.bytes.length > MAX_ATTACHMENT_BYTES)
    throw await refuse('FILE_TOO_LARGE', `文件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  const mediaType = sniffAttachment(input.bytes);
  if (mediaType === null)
    throw await refuse('UNSUPPORTED_MEDIA_TYPE', '只接受 PDF、JPEG 或 PNG 文件（按文件内容识别）');
  const needsMember = input.kind === 'authorization' || input.kind === 'id_document';
  if (needsMember) {
    const index = input.memberIndex;
    if (index === null || !Number.isInteger(index) || index < 0 || index >= kase.memberCount)
      throw await refuse(
        'VALIDATION_FAILED',
        `${ATTACHMENT_KIND_LABELS[input.kind]}须注明所属家庭成员（第 1–${kase.memberCount} 名）`,
      );
  }
  const sm3 = createHash('sm3').update(input.bytes).digest('hex');
  if (input.kind === 'authorization') {
    const usedBy = await deps.store.cases.authorizationCase(sm3);
    if (usedBy !== undefined)
      throw await refuse(
        'CONFLICT',
        usedBy === kase.id ? '该授权书已提交过' : '该授权书已用于其他案件，一事一授权，不能重复使用',
        { reused: usedBy !== kase.id },
      );
  }
  const storedFile = await deps.files.put('attachments', input.bytes, EXTENSIONS[mediaType]);
  return deps.store.transaction(async (tx) => {
    const row = await tx.cases.addAttachment({
      caseId: kase.id,
      kind: input.kind,
      memberIndex: needsMember ? input.memberIndex : null,
      fileName: input.fileName.slice(0, 200),
      mediaType,
      bytes: input.bytes.length,
      sm3,
      storedFile,
      uploadedAt: at,
      uploadedBy: actor.userId,
    });
    await tx.audit.append(
      actor,
      {
        action: 'CASE_ATTACHMENT_ADDED',
        outcome: 'success',
        objectType: 'case',
        objectId: String(kase.id),
        caseId: kase.number,
        details: {
          attachmentId: row.id,
          kind: input.kind,
          memberIndex: row.memberIndex,
          bytes: row.bytes,
          sm3,
        },
      },
      at,
    );
    return row;
  });
}
