/**
 * A batch entrustment upload: an XLSX on its own, or a ZIP holding one XLSX and the scanned papers its rows
 * name. The ZIP is read by its central directory (zip.ts); its entry count and the sizes it declares are
 * checked before anything is inflated, and every inflation is capped again whatever the directory says.
 * Names written by Windows' own "send to compressed folder" are GBK without the UTF-8 flag: they are decoded
 * as such, so a Chinese file name in a cell matches the file in the ZIP.
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { BatchFiles, BatchUpload } from '../app/cases/submit-case-batch.ts';
import { readAt, readZipDirectory, type ZipEntry } from './zip.ts';
import { isUnsafeEntryName, zipProblem } from './zip-guard.ts';

/** A month's intake with three papers per member stays far below this. */
export const MAX_BUNDLE_ENTRIES = 5000;
/** The batch workbook inside a ZIP: a few thousand rows are well under a megabyte. */
export const MAX_BUNDLE_WORKBOOK_BYTES = 20 * 1024 * 1024;
/** Scans barely compress; a bundle declaring more than this uncompressed is refused before anything is inflated. */
export const MAX_BUNDLE_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;

const ZIP_LOCAL_HEADER = 0x04034b50;
const UTF8_NAME_FLAG = 0x0800;
/** What archivers add beside the user's files. */
const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

interface NamedEntry extends ZipEntry {
  /** The name decoded as its writer meant it, `/`-separated, NFC. */
  path: string;
}

export interface OpenedBundle {
  upload: BatchUpload;
  /** Removes the temporary copy of the workbook taken out of the ZIP. */
  close(): Promise<void>;
}

export async function openCaseBundle(path: string, tmpDir: string): Promise<OpenedBundle> {
  const nothing = async () => undefined;
  const refuse = (
    code: 'ZIP_UNREADABLE' | 'ZIP_TOO_MANY_FILES' | 'ZIP_NO_WORKBOOK' | 'ZIP_SEVERAL_WORKBOOKS',
    message: string,
  ): OpenedBundle => ({
    upload: { ok: false, code, message },
    close: nothing,
  });
  const handle = await open(path, 'r');
  let entries: NamedEntry[];
  try {
    const { size } = await handle.stat();
    const head = await readAt(handle, 0, 4);
    // Not a ZIP: the table reader judges it (and explains what it is when it is no workbook).
    if (head.length < 4 || head.readUInt32LE(0) !== ZIP_LOCAL_HEADER)
      return { upload: { ok: true, workbookPath: path, files: null }, close: nothing };
    const directory = await readZipDirectory(handle, size);
    if (!directory) return refuse('ZIP_UNREADABLE', '压缩包已损坏或不完整，无法读取');
    if (directory.some((e) => e.name === 'xl/workbook.xml'))
      return { upload: { ok: true, workbookPath: path, files: null }, close: nothing };
    if (directory.length > MAX_BUNDLE_ENTRIES)
      return refuse('ZIP_TOO_MANY_FILES', `压缩包中的文件超过 ${MAX_BUNDLE_ENTRIES} 个，请分批提交`);
    const problem = zipProblem(directory, {
      maxEntries: MAX_BUNDLE_ENTRIES,
      maxTotalBytes: MAX_BUNDLE_UNCOMPRESSED_BYTES,
      maxRatio: 200,
    });
    if (problem) return refuse('ZIP_UNREADABLE', problem.message);
    entries = [];
    for (const entry of directory) {
      if (entry.name.endsWith('/')) continue;
      const raw = await entryPath(handle, entry);
      // Zip-slip: the local header's name may differ from the directory's; both must be safe.
      if (isUnsafeEntryName(raw))
        return refuse(
          'ZIP_UNREADABLE',
          `压缩包中有不安全的文件名“${raw.slice(0, 100)}”（含 ..、绝对路径或反斜杠）`,
        );
      const named = { ...entry, path: raw.normalize('NFC') };
      if (!JUNK.test(named.path)) entries.push(named);
    }
  } finally {
    await handle.close();
  }

  const workbooks = entries.filter((e) => /\.xlsx$/i.test(e.path) && !/(^|\/)~\$/.test(e.path));
  if (workbooks.length === 0) return refuse('ZIP_NO_WORKBOOK', '压缩包中没有批量委托表格（.xlsx 文件）');
  if (workbooks.length > 1)
    return refuse(
      'ZIP_SEVERAL_WORKBOOKS',
      `压缩包中有 ${workbooks.length} 个表格（${workbooks.map((w) => w.path).join('、')}），一次只能提交一个`,
    );
  const [workbook] = workbooks as [NamedEntry];
  if (workbook.uncompressedSize > MAX_BUNDLE_WORKBOOK_BYTES)
    return refuse('ZIP_UNREADABLE', `压缩包中的表格超过 ${MAX_BUNDLE_WORKBOOK_BYTES / 1024 / 1024} MB`);
  let bytes: Buffer;
  try {
    bytes = await inflate(path, workbook, MAX_BUNDLE_WORKBOOK_BYTES);
  } catch {
    return refuse('ZIP_UNREADABLE', `压缩包中的表格“${workbook.path}”无法解压`);
  }
  const workbookPath = join(tmpDir, `batch-${randomUUID()}.xlsx`);
  await writeFile(workbookPath, bytes);
  const papers = entries.filter((e) => e !== workbook);
  return {
    upload: { ok: true, workbookPath, files: bundleFiles(path, papers) },
    close: () => rm(workbookPath, { force: true }),
  };
}

function bundleFiles(path: string, entries: readonly NamedEntry[]): BatchFiles {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const byBase = new Map<string, NamedEntry | null>();
  for (const entry of entries) {
    const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    byBase.set(base, byBase.has(base) ? null : entry);
  }
  const lookup = (name: string): NamedEntry | undefined => {
    const wanted = name
      .trim()
      .replaceAll('\\', '/')
      .normalize('NFC')
      .replace(/^\.?\//, '');
    return byPath.get(wanted) ?? (wanted.includes('/') ? undefined : (byBase.get(wanted) ?? undefined));
  };
  return {
    find(name) {
      const entry = lookup(name);
      return entry ? { name: entry.path, bytes: entry.uncompressedSize } : undefined;
    },
    async read(name, maxBytes) {
      const entry = byPath.get(name);
      if (!entry) throw new Error(`no entry ${name}`);
      return inflate(path, entry, maxBytes);
    },
  };
}

/** The entry's name from its local header, GBK unless flagged UTF-8 (or valid UTF-8 all the same). */
async function entryPath(handle: FileHandle, entry: ZipEntry): Promise<string> {
  const header = await readAt(handle, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== ZIP_LOCAL_HEADER) return entry.name;
  const raw = await readAt(handle, entry.localHeaderOffset + 30, header.readUInt16LE(26));
  let name: string;
  if (entry.flags & UTF8_NAME_FLAG) name = raw.toString('utf8');
  else
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      name = new TextDecoder('gb18030').decode(raw);
    }
  return name;
}

/** The entry's bytes; refuses encrypted entries, unknown methods and anything inflating beyond maxBytes. */
async function inflate(path: string, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.flags & 0x0001) throw new Error(`${entry.name} is encrypted`);
  if (entry.compressedSize > maxBytes * 2 + 1024) throw new Error(`${entry.name} is too large`);
  const handle = await open(path, 'r');
  try {
    const header = await readAt(handle, entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== ZIP_LOCAL_HEADER)
      throw new Error(`${entry.name}: bad local header`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const body = await readAt(handle, start, entry.compressedSize);
    if (entry.method === 0) {
      if (body.length > Math.min(maxBytes, entry.uncompressedSize))
        throw new Error(`${entry.name} is too large`);
      return body;
    }
    if (entry.method !== 8) throw new Error(`${entry.name} uses compression method ${entry.method}`);
    // Never more than the directory declared: a member lying about its size fails here.
    return inflateRawSync(body, { maxOutputLength: Math.max(1, Math.min(maxBytes, entry.uncompressedSize)) });
  } finally {
    await handle.close();
  }
}
