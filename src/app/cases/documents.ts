import { randomInt } from 'node:crypto';
import type { CaseDocumentInput, DocumentHeader } from '../../domain/cases/documents.ts';
import { ASSISTANCE_TYPE_LABELS, isAssistanceType } from '../../domain/policy/assistance-types.ts';
import { AppError } from '../../domain/shared/errors.ts';
import type { Actor, CaseDocumentRow, CaseRow, Deps, OrganisationRecord, Repositories } from '../ports.ts';
import { recordCaseDocument } from '../webhooks/outbox.ts';

/**
 * Issuing a case document (SPEC §5, issue #5 item 10): numbered per agency, year and kind, rendered as PDF in
 * Chinese, fingerprinted with SM3, stored once and registered under a short code that anyone can check on the
 * public verification page (which answers only whether the document is genuine).
 */

export type DocumentBody = CaseDocumentInput extends infer D
  ? D extends DocumentHeader
    ? Omit<D, keyof DocumentHeader>
    : never
  : never;

/** The character of each kind in its number: 西峰核受〔2025〕3号 is 西峰区's third receipt of 2025. */
const NUMBER_MARK: Readonly<Record<CaseDocumentInput['kind'], string>> = {
  receipt: '受',
  'return-notice': '退',
  'extension-notice': '延',
  'force-majeure-notice': '告',
  'termination-notice': '终',
  'suspension-notice': '止',
  report: '报',
  'review-result': '复',
  'dishonesty-notice': '信',
  'recheck-report': '查',
};

/** Letters and digits nobody confuses when reading them out (no 0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function verificationCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function assistanceTypeLabel(type: string): string {
  return isAssistanceType(type) ? ASSISTANCE_TYPE_LABELS[type] : type;
}

/** 西峰区居民家庭经济状况核对中心 → 西峰: the short name of the agency's district in document numbers. */
export function shortRegionName(agencyName: string): string {
  const match = /^(.+?)(区|县|市|旗)/.exec(agencyName);
  return match?.[1] ?? agencyName.slice(0, 2);
}

/**
 * The agency that holds a case and issues its documents: the agency of the handler who accepted it — also when
 * a city reviewer sits in a review group, or when the requester's answer produces the document. Before
 * acceptance (a return notice), the agency of the staff member acting.
 */
export async function caseAgencyId(tx: Repositories, kase: CaseRow, actor: Actor): Promise<number | null> {
  const accepting = kase.originalHandlerId === null ? undefined : await tx.users.get(kase.originalHandlerId);
  return accepting?.organisationId ?? actor.organisationId;
}

/** A document numbered, rendered and stored, not yet recorded anywhere. */
export interface NumberedDocument {
  kind: CaseDocumentInput['kind'];
  number: string;
  shortCode: string;
  sm3: string;
  storedFile: string;
}

/**
 * Numbers a document per agency, year and kind, renders it with its verification code and stores the PDF: what
 * every issued document shares, with or without a case (a recheck report has none).
 */
export async function numberAndRender(
  tx: Repositories,
  deps: Deps,
  input: { agency: OrganisationRecord; recipient: string; body: DocumentBody; issuedOn: string },
): Promise<NumberedDocument> {
  const { agency } = input;
  const year = input.issuedOn.slice(0, 4);
  const kind = input.body.kind;
  const sequence = await tx.cases.nextNumber(`document:${agency.id}:${year}:${kind}`);
  const documentNumber = `${shortRegionName(agency.name)}核${NUMBER_MARK[kind]}〔${year}〕${sequence}号`;
  const code = verificationCode();
  const rendered = await deps.caseDocuments.render({
    ...input.body,
    agencyName: agency.name,
    documentNumber,
    recipient: input.recipient,
    issuedOn: input.issuedOn,
    verification: { code, url: `${deps.settings.publicUrl}/verify?code=${code}` },
  } as CaseDocumentInput);
  const storedFile = await deps.files.put('documents', rendered.pdf, 'pdf');
  return { kind, number: documentNumber, shortCode: code, sm3: rendered.sm3, storedFile };
}

export async function issueDocument(
  tx: Repositories,
  deps: Deps,
  input: {
    kase: CaseRow;
    body: DocumentBody;
    actor: Actor;
    at: string;
    issuedOn: string;
  },
): Promise<CaseDocumentRow> {
  const { kase, actor } = input;
  const agencyId = await caseAgencyId(tx, kase, actor);
  const agency = agencyId === null ? undefined : await tx.organisations.get(agencyId);
  const requester = await tx.organisations.get(kase.requesterOrganisationId);
  if (!agency || !requester) throw new AppError('INTERNAL_ERROR', '找不到出具文书的核对机构或委托单位');
  const document = await numberAndRender(tx, deps, {
    agency,
    recipient: requester.name,
    body: input.body,
    issuedOn: input.issuedOn,
  });
  return recordCaseDocument(tx, kase, {
    caseId: kase.id,
    kind: document.kind,
    number: document.number,
    shortCode: document.shortCode,
    sm3: document.sm3,
    storedFile: document.storedFile,
    issuedAt: input.at,
    issuedBy: actor.userId,
    revokedAt: null,
  });
}
