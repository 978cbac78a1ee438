import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, open, stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { KeyRing } from './field-crypto.ts';

/**
 * The encrypted backup file (one file, streamed both ways, never held in memory):
 *
 *   "HDBKUP01" · u32 header length · header JSON · AES-256-GCM ciphertext · 16-byte tag ·
 *   trailer JSON · u32 trailer length · "HDBKEND1"
 *
 * The header (database kind, schema version, time, IV, key check) is the GCM additional data, so it cannot be
 * altered unnoticed. The trailer carries the SM3 fingerprints of the plaintext and of everything before the
 * trailer (the ciphertext file), known only once the stream has been written.
 */
const MAGIC = Buffer.from('HDBKUP01');
const END = Buffer.from('HDBKEND1');
const TAG_BYTES = 16;
const KEY_CHECK_LABEL = 'hedui-backup-key-check';
/** GCM's limit for one key and IV is 2^39 − 256 bits; stay well below it. */
export const MAX_PLAINTEXT_BYTES = 60 * 1024 ** 3;

export type BackupErrorCode =
  | 'BACKUP_INVALID'
  | 'BACKUP_OUT_EXISTS'
  | 'BACKUP_FINGERPRINT_MISMATCH'
  | 'BACKUP_KEY_MISMATCH'
  | 'BACKUP_TOO_LARGE'
  | 'BACKUP_SCHEMA_UNKNOWN'
  | 'RESTORE_TARGET_NOT_EMPTY'
  | 'BACKUP_NOT_SUPPORTED'
  | 'BACKUP_TOOL_FAILED';

/** A backup or restore problem for the operator; `code` is stable, the message in Chinese. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupHeader {
  format: 'hedui-backup-v1';
  createdAt: string;
  databaseKind: 'sqlite' | 'postgres';
  /** The newest migration applied to the database backed up. */
  schemaVersion: string;
  /** PostgreSQL: the schema dumped (restored under the same name). */
  pgSchema: string | null;
  cipher: 'aes-256-gcm';
  iv: string;
  /** HMAC-SM3 of a fixed label under the backup key: tells a wrong key from a damaged file. */
  keyCheck: string;
  contents: { databaseBytes: number; files: number; fileBytes: number };
}

export interface Fingerprint {
  sm3: string;
  bytes: number;
}

export interface BackupTrailer {
  plaintext: Fingerprint;
  ciphertext: Fingerprint;
}

/**
 * The backup key: HKDF-SM3 of the key ring's index key under a label of its own. The index key never rotates
 * (the blind index depends on it) and a restore needs the same key ring anyway to read the identifiers, so a
 * backup is readable exactly where its data would be; the backup file alone reveals nothing.
 */
export function deriveBackupKey(ring: KeyRing): Buffer {
  return Buffer.from(hkdfSync('sm3', ring.indexKey, 'hedui-backup', 'hedui-backup-v1 aes-256-gcm', 32));
}

function keyCheckOf(key: Buffer): string {
  return createHmac('sm3', key).update(KEY_CHECK_LABEL).digest('hex').slice(0, 32);
}

/** Counts and hashes what passes through, unchanged. */
class Sm3Tap extends Transform {
  private readonly hash = createHash('sm3');
  bytes = 0;
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      callback(new BackupError('BACKUP_TOO_LARGE', '备份内容超过单个备份文件的上限（60 GiB）'));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
  fingerprint(): Fingerprint {
    return { sm3: this.hash.digest('hex'), bytes: this.bytes };
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export type HeaderFields = Omit<BackupHeader, 'format' | 'cipher' | 'iv' | 'keyCheck'>;

/** Encrypts the plaintext stream into `outPath`; returns the header and trailer written. */
export async function writeEncryptedBackup(
  outPath: string,
  key: Buffer,
  fields: HeaderFields,
  plaintext: AsyncIterable<Buffer>,
): Promise<BackupHeader & BackupTrailer> {
  const iv = randomBytes(12);
  const header: BackupHeader = {
    format: 'hedui-backup-v1',
    ...fields,
    cipher: 'aes-256-gcm',
    iv: iv.toString('hex'),
    keyCheck: keyCheckOf(key),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerBytes);
  const plainTap = new Sm3Tap(MAX_PLAINTEXT_BYTES);
  const fileTap = new Sm3Tap();
  const out = createWriteStream(outPath, { flags: 'wx', mode: 0o600 });
  async function* framed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    yield Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes]);
    for await (const chunk of source) yield chunk;
    yield cipher.getAuthTag();
  }
  await pipeline(plaintext, plainTap, cipher, framed, fileTap, out);
  const trailer: BackupTrailer = { plaintext: plainTap.fingerprint(), ciphertext: fileTap.fingerprint() };
  const trailerBytes = Buffer.from(JSON.stringify(trailer), 'utf8');
  await appendFile(outPath, Buffer.concat([trailerBytes, u32(trailerBytes.length), END]));
  return { ...header, ...trailer };
}

const invalid = (why: string) => new BackupError('BACKUP_INVALID', `不是完整的 Hedui 备份文件：${why}`);

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw invalid(`${what}无法解析`);
  }
}

/** Reads the header and trailer without decrypting anything (the file's layout, not yet its integrity). */
export async function readBackupEnvelope(path: string): Promise<{
  header: BackupHeader;
  headerBytes: Buffer;
  trailer: BackupTrailer;
  cipherStart: number;
  cipherEnd: number;
}> {
  const size = (await stat(path)).size;
  const handle = await open(path, 'r');
  try {
    const read = async (position: number, length: number) => {
      if (position < 0 || length < 0 || position + length > size) throw invalid('文件被截断');
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, position);
      if (bytesRead !== length) throw invalid('文件被截断');
      return buf;
    };
    const start = await read(0, 12);
    if (!start.subarray(0, 8).equals(MAGIC)) throw invalid('文件头标识不符');
    const headerLength = start.readUInt32BE(8);
    const headerBytes = await read(12, headerLength);
    const end = await read(size - 12, 12);
    if (!end.subarray(4).equals(END)) throw invalid('文件尾标识不符（可能被截断）');
    const trailerLength = end.readUInt32BE(0);
    const trailerStart = size - 12 - trailerLength;
    const trailer = parseJson<BackupTrailer>(await read(trailerStart, trailerLength), '文件尾清单');
    const header = parseJson<BackupHeader>(headerBytes, '文件头清单');
    if (header.format !== 'hedui-backup-v1' || header.cipher !== 'aes-256-gcm')
      throw invalid('格式版本不受支持');
    const cipherStart = 12 + headerLength;
    const cipherEnd = trailerStart - TAG_BYTES;
    if (cipherEnd < cipherStart) throw invalid('密文长度不符');
    return { header, headerBytes, trailer, cipherStart, cipherEnd };
  } finally {
    await handle.close();
  }
}

async function sm3OfRange(path: string, start: number, endExclusive: number): Promise<Fingerprint> {
  const tap = new Sm3Tap();
  if (endExclusive > start)
    await pipeline(createReadStream(path, { start, end: endExclusive - 1 }), tap, async (s) => {
      for await (const _ of s);
    });
  return tap.fingerprint();
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Checks the ciphertext fingerprint, then decrypts into `plainPath` (mode 600) while fingerprinting the
 * plaintext. The GCM tag is checked at the end of the stream, so nothing of `plainPath` may be used unless
 * this resolves.
 */
export async function decryptBackup(
  path: string,
  key: Buffer,
  plainPath: string,
): Promise<BackupHeader & BackupTrailer> {
  const { header, headerBytes, trailer, cipherStart, cipherEnd } = await readBackupEnvelope(path);
  if (!sameHex(keyCheckOf(key), header.keyCheck))
    throw new BackupError('BACKUP_KEY_MISMATCH', '备份密钥与当前密钥文件不符：请使用做备份时的密钥文件');
  const file = await sm3OfRange(path, 0, cipherEnd + TAG_BYTES);
  if (file.sm3 !== trailer.ciphertext?.sm3 || file.bytes !== trailer.ciphertext?.bytes)
    throw new BackupError(
      'BACKUP_FINGERPRINT_MISMATCH',
      '备份文件的密文 SM3 指纹与清单不符：文件已损坏或被改动',
    );
  const tag = Buffer.alloc(TAG_BYTES);
  const handle = await open(path, 'r');
  try {
    await handle.read(tag, 0, TAG_BYTES, cipherEnd);
  } finally {
    await handle.close();
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'hex'));
  decipher.setAAD(headerBytes);
  decipher.setAuthTag(tag);
  const tap = new Sm3Tap();
  const source =
    cipherEnd > cipherStart ? createReadStream(path, { start: cipherStart, end: cipherEnd - 1 }) : [];
  try {
    await pipeline(source, decipher, tap, createWriteStream(plainPath, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    if (e instanceof Error && /authenticate/i.test(e.message))
      throw new BackupError(
        'BACKUP_FINGERPRINT_MISMATCH',
        '备份文件未通过 AES-GCM 完整性校验：文件已损坏或被改动',
      );
    throw e;
  }
  const plain = tap.fingerprint();
  if (plain.sm3 !== trailer.plaintext?.sm3 || plain.bytes !== trailer.plaintext?.bytes)
    throw new BackupError('BACKUP_FINGERPRINT_MISMATCH', '解密后内容的 SM3 指纹与清单不符');
  return { ...header, ...trailer };
}

/** The SM3 fingerprint of a whole file, for the manifest kept beside the backup. */
export async function fileSm3(path: string): Promise<Fingerprint> {
  return sm3OfRange(path, 0, (await stat(path)).size);
}
