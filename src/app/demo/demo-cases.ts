import { actorOfUser } from '../actor.ts';
import { acceptCase } from '../cases/acceptance.ts';
import { addAttachment } from '../cases/attachments.ts';
import { submitCase } from '../cases/submit-case.ts';
import type { CaseRow, Deps } from '../ports.ts';
import { type DemoDepartmentData, EXAMPLE_FAMILY } from './demo-department-data.ts';

/**
 * Every demo family entrusted by its county's requester, with one (synthetic) authorization per member, and
 * accepted by the county's agency with its demo handler and reviewer: the demo's assessments have a case to
 * serve (无委托、不核对). The example family is entrusted first, so it gets its county's first number.
 */

const SLUGS: Readonly<Record<string, string>> = { '621002': 'xifeng', '621021': 'qingcheng' };

/** A one-page PDF standing for a member's signed authorization (synthetic: the demo has no real papers). */
export function demoAuthorizationPdf(caseLabel: string, memberIndex: number): Buffer {
  const text = `Hedui demo authorization ${caseLabel} member ${memberIndex + 1}`;
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Who entrusts, handles and reviews a case opened for the demo (usernames of demo users). */
export interface CaseParties {
  requester: string;
  handler: string;
  reviewer: string;
}

/**
 * Entrusts a household as the requester, files one authorization per member (from `authorization`) and accepts
 * the case with the handler and reviewer: the demo's cases, and the tests' (every data query needs one).
 */
export async function openAcceptedCase(
  deps: Deps,
  input: {
    members: readonly {
      idNumber: string;
      name: string;
      relation: string;
      coResiding?: boolean;
      exclusion?: string | null;
    }[];
    assistanceType?: string;
    parties: CaseParties;
    authorization: (caseNumber: string, memberIndex: number) => Buffer;
  },
): Promise<CaseRow> {
  const requester = await actorOfUser(deps.store, input.parties.requester);
  const handler = await actorOfUser(deps.store, input.parties.handler);
  const reviewer = await actorOfUser(deps.store, input.parties.reviewer);
  const kase = await submitCase(
    deps,
    {
      assistanceType: input.assistanceType ?? 'subsistence_allowance',
      members: input.members.map((member) => ({ coResiding: true, exclusion: null, ...member })),
    },
    requester,
  );
  for (const [index] of input.members.entries())
    await addAttachment(
      deps,
      kase.id,
      {
        kind: 'authorization',
        memberIndex: index,
        fileName: `授权书-${index + 1}.pdf`,
        bytes: input.authorization(kase.number, index),
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

export async function openDemoCases(
  deps: Deps,
  data: DemoDepartmentData,
): Promise<{ family: string; number: string }[]> {
  const families = [...data.families].sort(
    (a, b) => Number(b.code === EXAMPLE_FAMILY) - Number(a.code === EXAMPLE_FAMILY),
  );
  const opened: { family: string; number: string }[] = [];
  for (const family of families) {
    const slug = SLUGS[family.county] as string;
    const kase = await openAcceptedCase(deps, {
      members: family.members,
      parties: { requester: `${slug}_requester`, handler: `${slug}_staff`, reviewer: `${slug}_reviewer` },
      authorization: demoAuthorizationPdf,
    });
    opened.push({ family: family.code, number: kase.number });
  }
  return opened;
}
