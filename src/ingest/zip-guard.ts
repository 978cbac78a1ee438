/**
 * Checks on a zip archive (an XLSX workbook, a batch-entrustment bundle, a returned offline exchange) made from its
 * central directory alone, before a single member is inflated: how many members, how much they declare
 * uncompressed in total, how strongly each is compressed, and whether any name could escape a directory
 * (zip-slip). Inflation is capped again at each member's declared size (zip.ts, case-bundle.ts), so a directory
 * that lies about the sizes is caught too: memory stays bounded by these limits whatever the archive holds.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { readAt, type ZipEntry } from './zip.ts';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of the members' declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed of one member, checked on members above RATIO_FLOOR_BYTES. */
  maxRatio: number;
}

/** Below this a member's compression ratio is not judged (small XML parts compress very well and cost nothing). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/**
 * Uploaded tables are read member by member with flat memory, so only a bomb's size matters: worksheet XML
 * compresses 5–30×, a zip bomb of zeros about 1000×.
 */
export const TABLE_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxRatio: 200,
};

export type ZipProblem =
  | { kind: 'TOO_MANY_ENTRIES'; message: string }
  | { kind: 'TOO_LARGE'; message: string }
  | { kind: 'UNSAFE_NAME'; message: string };

const MIB = 1024 * 1024;

/**
 * A name that could point outside the directory it is extracted into, or be read differently by another
 * program: `..` segments, absolute paths (`/x`, `C:x`, `//server`), backslashes, NUL and other control characters.
 */
export function isUnsafeEntryName(name: string): boolean {
  if (name === '' || name.includes('\\') || [...name].some((c) => c.charCodeAt(0) < 0x20)) return true;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').some((segment) => segment === '..');
}

/** The first problem of the archive's directory, or null. Reads nothing but the entries given. */
export function zipProblem(entries: readonly ZipEntry[], limits: ZipLimits): ZipProblem | null {
  if (entries.length > limits.maxEntries)
    return {
      kind: 'TOO_MANY_ENTRIES',
      message: `压缩文件中有 ${entries.length} 个成员，超过 ${limits.maxEntries} 个的上限`,
    };
  const unsafe = entries.find((e) => isUnsafeEntryName(e.name));
  if (unsafe)
    return {
      kind: 'UNSAFE_NAME',
      message: `压缩文件中有不安全的文件名“${unsafe.name.slice(0, 100)}”（含 ..、绝对路径或反斜杠），已拒绝`,
    };
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxRatio)
      return {
        kind: 'TOO_LARGE',
        message: `压缩文件中的“${entry.name.slice(0, 100)}”解压后为 ${Math.round(entry.uncompressedSize / MIB)} MB（压缩比 ${Math.round(ratio)} 倍），疑似压缩炸弹，已拒绝`,
      };
  }
  if (total > limits.maxTotalBytes)
    return {
      kind: 'TOO_LARGE',
      message: `压缩文件解压后共 ${Math.round(total / MIB)} MB，超过 ${Math.round(limits.maxTotalBytes / MIB)} MB 的上限`,
    };
  return null;
}

/**
 * Inflates every member with nothing kept, failing as soon as one yields more than it declared: used before an
 * archive is handed to a library that inflates whole members into memory (exceljs's `readFile`). Returns false
 * when a member lies about its size, is encrypted, or cannot be read.
 */
export async function membersMatchDirectory(path: string, entries: readonly ZipEntry[]): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    for (const entry of entries) {
      if (entry.flags & 0x0001 || (entry.method !== 0 && entry.method !== 8)) return false;
      const header = await readAt(handle, entry.localHeaderOffset, 30);
      if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) return false;
      if (entry.compressedSize === 0) {
        if (entry.uncompressedSize !== 0) return false;
        continue;
      }
      const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      let seen = 0;
      const count = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          callback(seen > entry.uncompressedSize ? new Error('member larger than declared') : null);
        },
      });
      const source = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
      try {
        if (entry.method === 8) await pipeline(source, createInflateRaw(), count);
        else await pipeline(source, count);
      } catch {
        return false;
      }
      if (seen !== entry.uncompressedSize) return false;
    }
    return true;
  } finally {
    await handle.close();
  }
}
