import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportFilesPort } from '../app/ingest/import-job.port.ts';

const NAME = /^[0-9a-f-]{36}\.upload$/;

/**
 * Uploads waiting for their import job under `<filesDir>/imports`: a shared directory when several instances
 * run, so the instance that takes the job reads the file the uploading instance kept. The upload's temporary
 * file lies in `<filesDir>/tmp`, on the same file system, so keeping it is a rename, not a copy.
 */
export function importFiles(filesDir: string): ImportFilesPort {
  const dir = join(filesDir, 'imports');
  const pathOf = (name: string) => {
    if (!NAME.test(name)) throw new RangeError(`not a kept upload: ${name}`);
    return join(dir, name);
  };
  return {
    async keep(tempPath) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${randomUUID()}.upload`;
      await rename(tempPath, pathOf(name));
      return name;
    },
    pathOf,
    async remove(name) {
      await rm(pathOf(name), { force: true });
    },
  };
}
