/**
 * Hostile zip archives for the upload tests: members with any name (`../x`, `/etc/x`, `a\b`), sizes the central
 * directory misstates, and a real zip bomb (1 GiB of zeros deflated to about a megabyte).
 */
import { open, writeFile } from 'node:fs/promises';
import { crc32, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { readAt, readZipDirectory } from '../../src/ingest/zip.ts';

export interface CraftedMember {
  name: string;
  /** Raw deflate data (method 8). */
  deflated: Buffer;
  crc: number;
  /** What the directory and local header declare. */
  declaredSize: number;
}

export function member(name: string, data: Buffer | string): CraftedMember {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { name, deflated: deflateRawSync(bytes), crc: crc32(bytes), declaredSize: bytes.length };
}

/** The members of an archive, uncompressed (for repacking a real workbook with hostile additions). */
export async function membersOf(path: string): Promise<CraftedMember[]> {
  const handle = await open(path, 'r');
  try {
    const entries = (await readZipDirectory(handle, (await handle.stat()).size)) ?? [];
    const out: CraftedMember[] = [];
    for (const e of entries) {
      const header = await readAt(handle, e.localHeaderOffset, 30);
      const start = e.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      const body = await readAt(handle, start, e.compressedSize);
      out.push(member(e.name, e.method === 8 ? inflateRawSync(body) : body));
    }
    return out;
  } finally {
    await handle.close();
  }
}

/**
 * `size` bytes of zeros (or of `fill` after `prefix`), deflated as a stream (never held in memory), as one member.
 * Spaces after a sheet's opening tags are valid XML that a parser would churn through to the end.
 */
export async function zeroBomb(
  name: string,
  size: number,
  options: { fill?: number; prefix?: string } = {},
): Promise<CraftedMember> {
  const key = `${size}:${options.fill ?? 0}:${options.prefix ?? ''}`;
  let made = bombs.get(key);
  if (!made) {
    made = deflateFill(size, options);
    bombs.set(key, made);
  }
  return { ...(await made), name };
}

/** Deflating a GiB costs seconds: each bomb is made once per test file. */
const bombs = new Map<string, Promise<CraftedMember>>();

async function deflateFill(
  size: number,
  { fill = 0, prefix = '' }: { fill?: number; prefix?: string },
): Promise<CraftedMember> {
  const name = '';
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const zeros = Buffer.alloc(1024 * 1024, fill);
  let crc = 0;
  const head = Buffer.from(prefix);
  if (head.length > 0) {
    crc = crc32(head);
    deflate.write(head);
  }
  for (let written = head.length; written < size; written += zeros.length) {
    const piece = zeros.subarray(0, Math.min(zeros.length, size - written));
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { name, deflated: Buffer.concat(chunks), crc, declaredSize: size };
}

export function zipBytes(members: readonly CraftedMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(m.crc >>> 0, 14);
    local.writeUInt32LE(m.deflated.length, 18);
    local.writeUInt32LE(m.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(m.crc >>> 0, 16);
    central.writeUInt32LE(m.deflated.length, 20);
    central.writeUInt32LE(m.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, m.deflated);
    centrals.push(central, name);
    offset += 30 + name.length + m.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export async function writeZip(path: string, members: readonly CraftedMember[]): Promise<string> {
  await writeFile(path, zipBytes(members));
  return path;
}

/** Samples the process's resident set every 10 ms while `work` runs; returns the growth over the start, in MiB. */
export async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMiB: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMiB: (peak - start) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
