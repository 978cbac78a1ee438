import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/shared/errors.ts';
import type { FileStorePort } from '../ports.ts';
import { storedDocumentPdf } from './stored-document.ts';

const sm3 = (bytes: Buffer) => createHash('sm3').update(bytes).digest('hex');

/** A file store in memory that counts its reads. */
function memoryFiles(files: Record<string, Buffer>) {
  const reads: string[] = [];
  const port: FileStorePort = {
    put: async () => {
      throw new Error('not used');
    },
    get: async (_category, name) => {
      reads.push(name);
      const bytes = files[name];
      if (!bytes) throw new Error(`no file ${name}`);
      return bytes;
    },
  };
  return { files: port, reads };
}

describe(storedDocumentPdf.name, () => {
  it('serves the stored bytes when they match the fingerprint, and reads them from the store only once', async () => {
    const name = `${randomUUID()}.pdf`;
    const pdf = Buffer.from(`%PDF-1.7\n% 受理回执 ${name}\n%%EOF\n`);
    const { files, reads } = memoryFiles({ [name]: pdf });
    const document = { id: 1, storedFile: name, sm3: sm3(pdf) };
    expect(await storedDocumentPdf({ files }, document)).toEqual(pdf);
    expect(await storedDocumentPdf({ files }, document)).toEqual(pdf);
    expect(reads).toEqual([name]);
  });

  it('refuses bytes that differ from the fingerprint taken when the document was issued, every time', async () => {
    const name = `${randomUUID()}.pdf`;
    const issued = Buffer.from('%PDF-1.7\n% 核对报告 原件\n%%EOF\n');
    const altered = Buffer.from('%PDF-1.7\n% 核对报告 篡改\n%%EOF\n');
    const { files, reads } = memoryFiles({ [name]: altered });
    const document = { id: 7, storedFile: name, sm3: sm3(issued) };
    for (let i = 0; i < 2; i++) {
      const error = await storedDocumentPdf({ files }, document).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'INTERNAL_ERROR', details: { documentId: 7 } });
    }
    expect(reads).toEqual([name, name]);
  });

  it('keys what it keeps by the fingerprint too: a row naming other bytes is checked afresh', async () => {
    const name = `${randomUUID()}.pdf`;
    const pdf = Buffer.from(`%PDF-1.7\n% 延期通知书 ${name}\n%%EOF\n`);
    const { files } = memoryFiles({ [name]: pdf });
    await storedDocumentPdf({ files }, { id: 2, storedFile: name, sm3: sm3(pdf) });
    await expect(
      storedDocumentPdf({ files }, { id: 2, storedFile: name, sm3: sm3(Buffer.from('other')) }),
    ).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
  });
});
