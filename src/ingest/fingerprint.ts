import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileFingerprint {
  /** SM3 digest of the file's bytes (GB/T 32905-2016), lower-case hex. */
  sm3: string;
  bytes: number;
}

/** The fingerprint by which an identical re-upload is recognised; reads the file as a stream. */
export async function fileFingerprint(path: string): Promise<FileFingerprint> {
  const hash = createHash('sm3');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sm3: hash.digest('hex'), bytes };
}
