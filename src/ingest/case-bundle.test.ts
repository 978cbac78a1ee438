import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../documents/zip-writer.ts';
import { MAX_BUNDLE_ENTRIES, openCaseBundle } from './case-bundle.ts';

interface RawEntry {
  name: Buffer;
  data: Buffer;
  flags?: number;
  /** The size the directory claims, when it should lie. */
  claimedSize?: number;
}

/** A ZIP written by hand, so names can be GBK without the UTF-8 flag (as Windows' own zipping writes them). */
function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const body = deflateRawSync(entry.data);
    const crc = crc32(entry.data) >>> 0;
    const size = entry.claimedSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(entry.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(entry.name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, entry.name, body);
    centrals.push(central, entry.name);
    offset += 30 + entry.name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe(openCaseBundle.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hedui-bundle-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const open = async (bytes: Buffer) => {
    const path = join(dir, 'upload');
    await writeFile(path, bytes);
    return openCaseBundle(path, dir);
  };

  it('passes an XLSX (or anything not a ZIP) straight to the table reader', async () => {
    const xlsx = writeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<x/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<x/>') },
    ]);
    expect((await open(xlsx)).upload).toEqual({ ok: true, workbookPath: join(dir, 'upload'), files: null });
    expect((await open(Buffer.from('a,b\n1,2\n'))).upload).toMatchObject({ ok: true, files: null });
  });

  it('takes the one workbook out of the ZIP and finds papers by path or by a unique bare name, GBK names too', async () => {
    const workbook = Buffer.from('PK-pretend-workbook');
    const bundle = await open(
      rawZip([
        { name: Buffer.from('委托/名单.xlsx', 'utf8'), data: workbook, flags: 0x0800 },
        // 授权书.pdf in GBK, no UTF-8 flag.
        { name: Buffer.from('cadac8a8cae92e706466', 'hex'), data: Buffer.from('%PDF-1.4 a') },
        { name: Buffer.from('a/same.pdf'), data: Buffer.from('%PDF-1.4 b') },
        { name: Buffer.from('b/same.pdf'), data: Buffer.from('%PDF-1.4 c') },
        { name: Buffer.from('__MACOSX/._x.pdf'), data: Buffer.from('junk') },
      ]),
    );
    const { upload } = bundle;
    if (!upload.ok || !upload.files) throw new Error('not opened as a bundle');
    expect(await readFile(upload.workbookPath)).toEqual(workbook);
    expect(upload.files.find('授权书.pdf')).toEqual({ name: '授权书.pdf', bytes: 10 });
    expect(upload.files.find('a\\same.pdf')?.name).toBe('a/same.pdf');
    // Two files share the bare name: it must be given with its folder.
    expect(upload.files.find('same.pdf')).toBeUndefined();
    expect(upload.files.find('._x.pdf')).toBeUndefined();
    expect((await upload.files.read('授权书.pdf', 100)).toString()).toBe('%PDF-1.4 a');
    await bundle.close();
    await expect(readFile(upload.workbookPath)).rejects.toThrow();
  });

  it('caps what an entry inflates to, whatever the directory claims', async () => {
    const bundle = await open(
      rawZip([
        { name: Buffer.from('b.xlsx'), data: Buffer.from('x') },
        { name: Buffer.from('bomb.pdf'), data: Buffer.alloc(1024 * 1024), claimedSize: 10 },
      ]),
    );
    if (!bundle.upload.ok || !bundle.upload.files) throw new Error('not opened as a bundle');
    expect(bundle.upload.files.find('bomb.pdf')?.bytes).toBe(10);
    await expect(bundle.upload.files.read('bomb.pdf', 1000)).rejects.toThrow();
    await bundle.close();
  });

  it('refuses a ZIP without a workbook, with two, or with too many entries', async () => {
    expect((await open(writeZip([{ name: 'a.pdf', data: Buffer.from('%PDF') }]))).upload).toMatchObject({
      ok: false,
      code: 'ZIP_NO_WORKBOOK',
    });
    const two = await open(
      writeZip([
        { name: 'a.xlsx', data: Buffer.from('1') },
        { name: 'b/c.xlsx', data: Buffer.from('2') },
      ]),
    );
    expect(two.upload).toMatchObject({ ok: false, code: 'ZIP_SEVERAL_WORKBOOKS' });
    const many = Array.from({ length: MAX_BUNDLE_ENTRIES + 1 }, (_, i) => ({
      name: `f${i}.pdf`,
      data: Buffer.from('%PDF'),
    }));
    expect((await open(writeZip(many))).upload).toMatchObject({ ok: false, code: 'ZIP_TOO_MANY_FILES' });
    expect(
      (await open(Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(40)]))).upload,
    ).toMatchObject({
      ok: false,
      code: 'ZIP_UNREADABLE',
    });
  });
});
