/**
 * Random access to the members of a zip file (an XLSX workbook) by its central directory, so that any
 * member can be streamed in any order straight from the file: no temporary copies, and no reliance on
 * the order in which the writer happened to store the members.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** An XLSX central directory is a few kilobytes; anything near this is not a workbook. */
const MAX_CENTRAL_DIRECTORY_BYTES = 8 * 1024 * 1024;

export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/**
 * The entries listed in the central directory at the end of the file, or undefined when the archive
 * is truncated or malformed. Understands the zip64 records that some writers always emit.
 */
export async function readZipDirectory(handle: FileHandle, size: number): Promise<ZipEntry[] | undefined> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let count = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) return undefined;
    const recordOffset = Number(tail.readBigUInt64LE(locator + 8));
    if (recordOffset + 56 > size) return undefined;
    const record = await readAt(handle, recordOffset, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) return undefined;
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (directorySize > MAX_CENTRAL_DIRECTORY_BYTES || directoryOffset + directorySize > size) return undefined;
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) return undefined;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > directory.length) return undefined;
    const entry: ZipEntry = {
      name: directory.toString('utf8', at + 46, nameEnd),
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      uncompressedSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    applyZip64Extra(entry, directory.subarray(nameEnd, nameEnd + extraLength));
    entries.push(entry);
    at = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Replaces 0xFFFFFFFF placeholders with the 64-bit values of the zip64 extra field. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  const MAX = 0xffffffff;
  if (entry.uncompressedSize !== MAX && entry.compressedSize !== MAX && entry.localHeaderOffset !== MAX)
    return;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        const value = field + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(field)) : MAX;
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === MAX) entry.uncompressedSize = next();
      if (entry.compressedSize === MAX) entry.compressedSize = next();
      if (entry.localHeaderOffset === MAX) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

export class ZipEntryError extends Error {
  override name = 'ZipEntryError';
}

/** Fails the stream once more than `limit` bytes have come through. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(
    private readonly limit: number,
    private readonly tooMuch: () => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(this.tooMuch());
    else callback(null, chunk);
  }
}

export interface OpenEntryOptions {
  /** Fail with `tooMuch()` when the uncompressed member exceeds this many bytes. */
  maxBytes?: number;
  tooMuch?: () => Error;
  /** A text-to-text (object mode) stage applied to the decoded text. */
  through?: () => Transform;
}

/**
 * The uncompressed content of one member as a stream of UTF-8 text chunks (multi-byte characters are
 * never split across chunks). The caller destroys the stream when it stops early.
 */
export async function openZipTextEntry(
  path: string,
  entry: ZipEntry,
  opts: OpenEntryOptions = {},
): Promise<Readable> {
  if (entry.flags & 0x0001) throw new ZipEntryError(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipEntryError(`${entry.name} uses unsupported compression method ${entry.method}`);
  }
  const handle = await open(path, 'r');
  let header: Buffer;
  try {
    header = await readAt(handle, entry.localHeaderOffset, 30);
  } finally {
    await handle.close();
  }
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) {
    throw new ZipEntryError(`${entry.name}: bad local header`);
  }
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const stages: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream> = [];
  stages.push(
    entry.compressedSize === 0
      ? Readable.from([])
      : createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 }),
  );
  if (entry.method === 8) stages.push(createInflateRaw());
  // Never more than the directory declared (checked against the limits before opening): a lying directory fails.
  if (opts.maxBytes !== undefined && opts.maxBytes < entry.uncompressedSize) {
    const tooMuch = opts.tooMuch ?? (() => new ZipEntryError(`${entry.name} is too large`));
    stages.push(new ByteLimit(opts.maxBytes, tooMuch));
  } else
    stages.push(
      new ByteLimit(entry.uncompressedSize, () => new ZipEntryError(`${entry.name} is larger than declared`)),
    );
  const bytes = stages.length === 1 ? (stages[0] as Readable) : chain(stages);
  bytes.setEncoding('utf8');
  return opts.through ? chain([bytes, opts.through()]) : bytes;
}

function chain(stages: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream>): Readable {
  const [first, ...rest] = stages;
  const last = rest[rest.length - 1];
  if (!first || !last) throw new Error('chain needs two stages');
  // Errors and early destruction of any stage tear the whole chain down.
  pipeline([first, ...rest], () => undefined);
  return last as Readable;
}
