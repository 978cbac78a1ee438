import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/shared/errors.ts';

/** One uploaded file, streamed to a temporary path, with the form's other fields. */
export interface ReceivedUpload {
  path: string;
  fileName: string;
  fields: Record<string, string>;
}

/**
 * Receives a multipart upload of one file (streamed to disk, refused with 413 beyond `maxBytes`) and hands it
 * to `use`; the temporary file is removed afterwards, whether `use` succeeded or failed.
 */
export async function withUploadedFile<T>(
  request: FastifyRequest,
  options: { tmpDir: string; maxBytes: number; missing: string },
  use: (upload: ReceivedUpload) => Promise<T>,
): Promise<T> {
  await mkdir(options.tmpDir, { recursive: true });
  const path = join(options.tmpDir, `upload-${randomUUID()}`);
  const fields: Record<string, string> = {};
  let fileName: string | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: options.maxBytes, files: 1 } })) {
      if (part.type === 'file') {
        fileName = part.filename.slice(0, 200);
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated)
          throw new AppError('FILE_TOO_LARGE', `文件超过 ${Math.round(options.maxBytes / 1048576)} MB 上限`);
      } else fields[part.fieldname] = String(part.value);
    }
    if (fileName === null) throw new AppError('VALIDATION_FAILED', options.missing);
    return await use({ path, fileName, fields });
  } finally {
    await rm(path, { force: true });
  }
}
