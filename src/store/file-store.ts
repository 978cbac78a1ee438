import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileCategory, FileErasurePort, FileStorePort } from '../app/ports.ts';

const NAME = /^[0-9a-f-]{36}\.[a-z0-9]{1,8}$/;

/**
 * Case files on disk below the configured files directory (a shared directory when several instances run):
 * one folder per category, random names, written once and never changed.
 */
export function fileStore(filesDir: string): FileStorePort & FileErasurePort {
  return {
    async put(category: FileCategory, bytes: Buffer, extension: string) {
      const dir = join(filesDir, category);
      await mkdir(dir, { recursive: true });
      const name = `${randomUUID()}.${extension}`;
      await writeFile(join(dir, name), bytes, { flag: 'wx', mode: 0o600 });
      return name;
    },
    async get(category: FileCategory, name: string) {
      if (!NAME.test(name)) throw new RangeError(`not a stored file name: ${name}`);
      return readFile(join(filesDir, category, name));
    },
    async remove(category: FileCategory, name: string) {
      if (!NAME.test(name)) throw new RangeError(`not a stored file name: ${name}`);
      await rm(join(filesDir, category, name), { force: true });
    },
  };
}
