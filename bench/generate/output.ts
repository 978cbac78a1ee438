import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

/**
 * A text file written in large chunks with backpressure: `line` encodes straight into a 1 MiB buffer (so the
 * row strings die young and cost the garbage collector nothing); full buffers wait in a queue until `pump`
 * hands them to the stream, waiting for 'drain' when the stream asks for it. Generators call `pump` between
 * people, so memory stays flat whatever the size of the city.
 */
export class TextSink {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private readonly stream: WriteStream;
  lines = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  write(text: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 + 1 > this.buffer.length) this.rotate(text.length * 3 + 1);
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** A line of cells (no quoting needed: generated values never hold commas, quotes or line breaks). */
  line(text: string): void {
    this.write(text);
    this.buffer[this.used++] = 0x0a;
    this.lines += 1;
  }

  private rotate(need: number): void {
    if (this.used > 0) this.ready.push(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, need));
    this.used = 0;
  }

  async pump(): Promise<void> {
    while (this.ready.length > 0) {
      const chunk = this.ready.shift();
      if (chunk && !this.stream.write(chunk)) await once(this.stream, 'drain');
    }
  }

  async flush(): Promise<void> {
    this.rotate(0);
    await this.pump();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** CSV text of cells that need no quoting, checked in tests; `csvCell` quotes the rest. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export type FileKind = 'main' | 'badid' | 'noid';

export interface ManifestFile {
  dataset: string;
  period: string;
  kind: FileKind;
  file: string;
  rows: number;
}

/** Integer fen as yuan with two decimals: 123450 → `1234.50`. */
export function yuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen - whole * 100;
  return `${whole}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Integer hundredths as a decimal with two places: 8965 → `89.65`. */
export const hundredths = yuan;
