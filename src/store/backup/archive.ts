import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BackupError } from '../../crypto/backup-cipher.ts';

/**
 * The plaintext inside an encrypted backup: "HDPACK01", then per entry u16 name length · name (UTF-8) ·
 * u64 size · bytes, ended by a zero name length. A few lines of our own instead of tar: entries are staged
 * files of known size, and the reader must accept only the names it expects (no absolute paths, no `..`).
 */
const MAGIC = Buffer.from('HDPACK01');
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_DEPTH = 4;

export interface ArchiveEntry {
  /** `database.sqlite`, `database.pgdump` or `files/<relative path below the files directory>`. */
  name: string;
  path: string;
  size: number;
}

/** A safe relative name: segments of letters, digits, `._-`, never `.` or `..`, at most four deep. */
export function isSafeEntryName(name: string): boolean {
  const parts = name.split('/');
  return (
    parts.length >= 1 &&
    parts.length <= MAX_DEPTH + 1 &&
    parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..' && !/^\.+$/.test(p))
  );
}

export async function* archiveStream(entries: readonly ArchiveEntry[]): AsyncGenerator<Buffer> {
  yield MAGIC;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const head = Buffer.alloc(2 + name.length + 8);
    head.writeUInt16BE(name.length, 0);
    name.copy(head, 2);
    head.writeBigUInt64BE(BigInt(entry.size), 2 + name.length);
    yield head;
    let written = 0;
    if (entry.size > 0)
      for await (const chunk of createReadStream(entry.path, {
        end: entry.size - 1,
      }) as AsyncIterable<Buffer>) {
        written += chunk.length;
        yield chunk;
      }
    // Files are written once and never changed; a shorter one means it vanished while being read.
    if (written !== entry.size)
      throw new BackupError('BACKUP_TOOL_FAILED', `备份期间文件 ${entry.name} 被改动，请重新备份`);
  }
  yield Buffer.alloc(2);
}

/**
 * Every regular file below the files directory (documents, attachments, error reports), except the upload
 * scratch folder `tmp`. Symbolic links are skipped: a backup holds what the platform wrote, nothing it points to.
 */
export async function listStoredFiles(filesDir: string): Promise<ArchiveEntry[]> {
  const found: ArchiveEntry[] = [];
  async function walk(dir: string, rel: string[]): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const name of names) {
      if (rel.length === 0 && name === 'tmp') continue;
      const path = join(dir, name);
      const info = await lstat(path);
      const relName = [...rel, name].join('/');
      if (info.isDirectory() && rel.length < MAX_DEPTH - 1) await walk(path, [...rel, name]);
      else if (info.isFile() && isSafeEntryName(relName))
        found.push({ name: `files/${relName}`, path, size: info.size });
    }
  }
  await walk(filesDir, []);
  return found;
}

/**
 * Reads an archive (already decrypted and verified) and writes each entry where `target(name)` says;
 * `null` refuses the entry. Returns the names extracted.
 */
export async function extractArchive(
  plainPath: string,
  target: (name: string) => string | null,
  overwrite: boolean,
): Promise<string[]> {
  const handle = await open(plainPath, 'r');
  const size = (await handle.stat()).size;
  const names: string[] = [];
  const bad = (why: string) => new BackupError('BACKUP_INVALID', `备份内容格式有误：${why}`);
  try {
    const read = async (position: number, length: number) => {
      if (position + length > size) throw bad('内容被截断');
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, position);
      return buf;
    };
    if (!(await read(0, 8)).equals(MAGIC)) throw bad('标识不符');
    let at = 8;
    for (;;) {
      const nameLength = (await read(at, 2)).readUInt16BE(0);
      at += 2;
      if (nameLength === 0) break;
      const name = (await read(at, nameLength)).toString('utf8');
      at += nameLength;
      const length = Number((await read(at, 8)).readBigUInt64BE(0));
      at += 8;
      if (at + length > size) throw bad(`条目 ${name} 被截断`);
      const dest = isSafeEntryName(name) ? target(name) : null;
      if (dest === null) throw bad(`不认识的条目名 ${JSON.stringify(name.slice(0, 80))}`);
      await mkdir(dirname(dest), { recursive: true });
      const out = createWriteStream(dest, { flags: overwrite ? 'w' : 'wx', mode: 0o600 });
      if (length > 0) await pipeline(createReadStream(plainPath, { start: at, end: at + length - 1 }), out);
      else await new Promise<void>((done, fail) => out.end((e?: Error | null) => (e ? fail(e) : done())));
      names.push(name);
      at += length;
    }
    if (at !== size) throw bad('结尾之后还有多余内容');
    return names;
  } finally {
    await handle.close();
  }
}
