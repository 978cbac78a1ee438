/**
 * The papers a case carries (Q§14): scans of the members' ID documents, the family's integrity pledge
 * (诚信承诺书) and one signed authorization (授权书) per member. Each is a PDF or an image, recognised by its
 * content, never by its name.
 */

export const ATTACHMENT_KINDS = ['id_document', 'pledge', 'authorization', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_KIND_LABELS: Readonly<Record<AttachmentKind, string>> = {
  id_document: '身份证件',
  pledge: '诚信承诺书',
  authorization: '授权书',
  other: '其他材料',
};

/** 10 MB per file: a scanned page at 300 dpi is well under it. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type AttachmentMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export const EXTENSIONS: Readonly<Record<AttachmentMediaType, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/** The media type the bytes are, by their signature; null for anything else. */
export function sniffAttachment(bytes: Uint8Array): AttachmentMediaType | null {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return null;
}

/** Which members (0-based) still lack an authorization, given the member indexes of those on file. */
export function membersWithoutAuthorization(
  memberCount: number,
  authorized: Iterable<number | null>,
): number[] {
  const held = new Set(authorized);
  return Array.from({ length: memberCount }, (_, index) => index).filter((index) => !held.has(index));
}
