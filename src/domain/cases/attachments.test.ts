import { describe, expect, it } from 'vitest';
import { membersWithoutAuthorization, sniffAttachment } from './attachments.ts';

describe('sniffAttachment', () => {
  it('recognises PDF, JPEG and PNG by their bytes, whatever the file is called', () => {
    expect(sniffAttachment(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffAttachment(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffAttachment(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    );
  });

  it('refuses anything else: text, a spreadsheet (zip), an executable, an empty file', () => {
    expect(sniffAttachment(Buffer.from('hello'))).toBeNull();
    expect(sniffAttachment(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBeNull();
    expect(sniffAttachment(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffAttachment(Buffer.alloc(0))).toBeNull();
  });
});

describe('membersWithoutAuthorization', () => {
  it('lists the members without an authorization on file', () => {
    expect(membersWithoutAuthorization(3, [0, 2])).toEqual([1]);
    expect(membersWithoutAuthorization(2, [1, 0, null])).toEqual([]);
    expect(membersWithoutAuthorization(2, [])).toEqual([0, 1]);
  });
});
