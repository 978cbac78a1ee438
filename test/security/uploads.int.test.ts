/**
 * Upload hardening over HTTP: size limits answered 413 in Chinese, the kind of file judged by its bytes and never
 * by its name, zip bombs and zip-slip names refused, and no temporary file left behind after success or failure.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import {
  csvBytes,
  hukouRows,
  idNumber,
  multipart,
  personName,
  xlsxBytes,
} from '../support/department-data.ts';
import { type CraftedMember, member, zeroBomb, zipBytes } from './zip-craft.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describeEachDatabase('upload hardening', (dialect) => {
  // 1 MB uploads at most, so the limit is reached cheaply.
  const t = useTestApp(dialect, { env: { HEDUI_UPLOAD_MAX_MB: '1' } });
  let police: string;
  let requester: string;
  let bombXlsx: Buffer;

  const tmpFiles = async (): Promise<string[]> =>
    readdir(join(t.config.filesDir, 'tmp')).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
  const uploadBatch = (name: string, content: Buffer, period = '2024-Q4') => {
    const { payload, headers } = multipart({ dataset: 'hukou', period }, { name, content });
    return t.call('POST', '/api/batches', { cookie: police, body: payload, headers });
  };
  const uploadCaseBatch = (name: string, content: Buffer) => {
    const { payload, headers } = multipart({ dryRun: 'true' }, { name, content });
    return t.call('POST', '/api/cases/batch', { cookie: requester, body: payload, headers });
  };

  beforeAll(async () => {
    police = await t.login('dept_public_security');
    requester = await t.login('xifeng_requester');
    const bomb = await zeroBomb('xl/worksheets/sheet1.xml', 1024 * 1024 * 1024);
    bombXlsx = zipBytes([
      member('[Content_Types].xml', '<?xml version="1.0"?><Types/>'),
      member('xl/workbook.xml', '<?xml version="1.0"?><workbook/>'),
      bomb,
    ]);
  }, 120_000);

  it('answers an upload over HEDUI_UPLOAD_MAX_MB with 413 FILE_TOO_LARGE in Chinese and keeps no temporary file', async () => {
    const big = Buffer.concat([Buffer.from('身份证号,姓名\n'), Buffer.alloc(1_200_000, 0x41)]);
    const error = expectError(await uploadBatch('big.csv', big), 413, 'FILE_TOO_LARGE');
    expect(error.message).toMatch(/MB/);
    expect(error.message).toMatch(/\p{Script=Han}/u);
    expect(await tmpFiles()).toEqual([]);
  });

  it('answers a JSON body over the 1 MB body limit with 413 in Chinese', async () => {
    const res = await t.call('POST', '/api/auth/login', {
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(expectError(res, 413, 'FILE_TOO_LARGE').message).toMatch(/\p{Script=Han}/u);
  });

  it('judges an upload by its content, never by its name', async () => {
    const pdfAsXlsx = (await uploadBatch('户籍.xlsx', PDF)).json();
    expect(pdfAsXlsx).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'NOT_A_SPREADSHEET' }] });
    expect(pdfAsXlsx.fileErrors[0].message).toMatch(/PDF/);
    // A real CSV named like a PDF is read as the CSV it is.
    const csvAsPdf = await uploadBatch('scan.pdf', csvBytes(hukouRows(2)), '2025-Q1');
    expect(csvAsPdf.json()).toMatchObject({ status: 'committed', rows: 2 });
    // And a workbook named like a picture is read as a workbook.
    const xlsxAsPng = await uploadBatch('photo.png', await xlsxBytes(hukouRows(3, 10)), '2025-Q2');
    expect(xlsxAsPng.json()).toMatchObject({ status: 'committed', rows: 3 });
    expect(await tmpFiles()).toEqual([]);
  });

  it('refuses a case paper whose bytes are no PDF, JPEG or PNG whatever its name (415)', async () => {
    const created = await t.call('POST', '/api/cases', {
      cookie: requester,
      body: {
        assistanceType: 'subsistence_allowance',
        members: [
          {
            idNumber: idNumber(10),
            name: personName(10),
            relation: '本人',
            coResiding: true,
            exclusion: null,
          },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json<{ case: { id: number } }>().case.id;
    const { payload, headers } = multipart(
      { kind: 'other' },
      { name: '扫描件.pdf', content: await xlsxBytes(hukouRows(1)), type: 'application/pdf' },
    );
    const res = await t.call('POST', `/api/cases/${id}/attachments`, {
      cookie: requester,
      body: payload,
      headers,
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a zip bomb (1 GiB of zeros) sent as a workbook before parsing it, and removes the upload', async () => {
    expect(bombXlsx.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const res = await uploadBatch('户籍.xlsx', bombXlsx);
    expect(res.json()).toMatchObject({ status: 'rejected', fileErrors: [{ code: 'FILE_TOO_LARGE' }] });
    expect(res.json().fileErrors[0].message).toMatch(/压缩炸弹/);
    expect((process.memoryUsage().rss - before) / 1024 / 1024).toBeLessThan(150);
    expect(await tmpFiles()).toEqual([]);
  });

  it('refuses a batch-entrustment ZIP with a zip-slip name or a bomb, and leaves no temporary file', async () => {
    const template = (await t.call('GET', '/api/cases/batch-template', { cookie: requester })).rawPayload;
    const bundle = (paper: CraftedMember) => zipBytes([member('批量委托.xlsx', template), paper]);
    for (const paper of [
      member('../../授权书.pdf', PDF),
      member('/etc/授权书.pdf', PDF),
      member('扫描件\\授权书.pdf', PDF),
      // Half a GiB: its ~0.5 MB stays under this app's 1 MB upload limit.
      await zeroBomb('授权书.pdf', 512 * 1024 * 1024),
    ]) {
      const res = await uploadCaseBatch('papers.zip', bundle(paper));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'rejected',
        problems: [{ row: null, code: 'ZIP_UNREADABLE' }],
      });
      expect(await tmpFiles()).toEqual([]);
    }
    // A sound bundle: its workbook is copied out of the ZIP into the temporary directory, and removed again.
    const sound = await uploadCaseBatch('papers.zip', bundle(member('授权书.pdf', PDF)));
    expect(sound.statusCode, sound.body).toBe(200);
    expect(await tmpFiles()).toEqual([]);
  });
});
