/**
 * A small ZIP writer (PKWARE APPNOTE 6.3, no zip64) for archives built in memory: the case archive. No
 * dependency is needed for it — `node:zlib` deflates and computes the CRC-32. Output is deterministic: every
 * entry carries the same fixed timestamp, names are UTF-8 (flag bit 11), entries keep the order given, and
 * raw deflate at a fixed level gives the same bytes for the same input — so the same entries give the same
 * archive, byte for byte.
 */

import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  /** Path inside the archive, `/`-separated, relative, without `..`. */
  name: string;
  data: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** Bit 11: the name is UTF-8 (the archive's names are Chinese). */
const UTF8_NAMES = 0x0800;
const STORED = 0;
const DEFLATED = 8;
const VERSION = 20;
/**
 * Made by Unix (host 3), version 2.0: Info-ZIP's unzip reads names made on MS-DOS hosts in the OEM code page
 * even with the UTF-8 flag set; on a Unix host it takes them as UTF-8. Files are plain `rw-r--r--`.
 */
const MADE_BY = (3 << 8) | VERSION;
const FILE_ATTRIBUTES = 0o100644 << 16;
/** 1980-01-01 00:00:00 in MS-DOS format, the earliest a ZIP can say: "no particular time". */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const LIMIT = 0xffffffff;

export class ZipWriteError extends Error {
  override name = 'ZipWriteError';
}

function checkName(name: string, seen: Set<string>): Buffer {
  const parts = name.split('/');
  if (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    parts.some((part) => part === '' || part === '.' || part === '..')
  )
    throw new ZipWriteError(`unsafe entry name: ${JSON.stringify(name)}`);
  if (seen.has(name)) throw new ZipWriteError(`duplicate entry name: ${name}`);
  seen.add(name);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > 0xffff) throw new ZipWriteError(`entry name too long: ${name.slice(0, 40)}…`);
  return bytes;
}

/** The entries as one ZIP file; each is deflated unless deflating does not make it smaller. */
export function writeZip(entries: readonly ZipInput[]): Buffer {
  if (entries.length > 0xffff) throw new ZipWriteError('too many entries for a ZIP without zip64');
  const seen = new Set<string>();
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = checkName(entry.name, seen);
    const data = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    if (data.length >= LIMIT)
      throw new ZipWriteError(`entry too large for a ZIP without zip64: ${entry.name}`);
    const deflated = deflateRawSync(data, { level: 9 });
    const method = deflated.length < data.length ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : data;
    const crc = crc32(data) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(MADE_BY, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // Extra field, comment, disk number, internal attributes: none.
    header.writeUInt32LE(FILE_ATTRIBUTES >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    chunks.push(local, name, body);
    offset += local.length + name.length + body.length;
    if (offset >= LIMIT) throw new ZipWriteError('archive too large for a ZIP without zip64');
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}
