import { randomBytes } from 'node:crypto';
import { acceptCase } from '../../src/app/cases/acceptance.ts';
import { addAttachment } from '../../src/app/cases/attachments.ts';
import { submitCase } from '../../src/app/cases/submit-case.ts';
import type { Actor, CaseRow, Deps } from '../../src/app/ports.ts';

/**
 * Accepted cases for tests of what needs one (every data query does: 无委托、不核对): the requester entrusts the
 * household, files one authorization per member, and the agency accepts it with a work group — through the use
 * cases, as the demo users.
 */

export async function actorOf(deps: Deps, username: string): Promise<Actor> {
  const user = await deps.store.users.getByUsername(username);
  if (!user) throw new Error(`no user ${username}`);
  const org = await deps.store.organisations.get(user.organisationId);
  return {
    userId: user.id,
    name: user.displayName,
    roles: user.roles,
    organisationId: user.organisationId,
    regionCode: org?.regionCode ?? null,
    ip: null,
    userAgent: null,
  };
}

/** A distinct small PDF: its fingerprint identifies one signed authorization. */
export function authorizationPdf(): Buffer {
  return Buffer.from(`%PDF-1.4\n% authorization ${randomBytes(8).toString('hex')}\n%%EOF\n`);
}

export interface CaseMember {
  idNumber: string;
  name: string;
  relation: string;
  coResiding?: boolean;
  exclusion?: string | null;
}

export async function openCase(
  deps: Deps,
  members: readonly CaseMember[],
  options: { requester?: string; handler?: string; reviewer?: string; assistanceType?: string } = {},
): Promise<CaseRow> {
  const requester = await actorOf(deps, options.requester ?? 'xifeng_requester');
  const handler = await actorOf(deps, options.handler ?? 'xifeng_staff');
  const reviewer = await actorOf(deps, options.reviewer ?? 'xifeng_reviewer');
  const kase = await submitCase(
    deps,
    {
      assistanceType: options.assistanceType ?? 'subsistence_allowance',
      members: members.map((member) => ({ coResiding: true, exclusion: null, ...member })),
    },
    requester,
  );
  for (const [index] of members.entries())
    await addAttachment(
      deps,
      kase.id,
      {
        kind: 'authorization',
        memberIndex: index,
        fileName: `授权书-${index + 1}.pdf`,
        bytes: authorizationPdf(),
      },
      requester,
    );
  return acceptCase(
    deps,
    kase.id,
    { handlerId: handler.userId as number, reviewerId: reviewer.userId as number },
    handler,
  );
}
