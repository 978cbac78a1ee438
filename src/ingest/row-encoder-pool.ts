import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EncodedChunk, EncodeJob, RowEncoderPort } from '../app/ports.ts';
import type { KeyRing } from '../crypto/field-crypto.ts';

type Reply = { id: number; ok: true; chunk: EncodedChunk } | { id: number; ok: false; message: string };

interface Pending {
  resolve(chunk: EncodedChunk): void;
  reject(error: Error): void;
}

/** Worker threads to use: `HEDUI_IMPORT_WORKERS`, or one fewer than the cores (the import's own thread reads and stores). */
export function importWorkerCount(setting: number | 'auto'): number {
  if (setting !== 'auto') return Math.max(0, setting);
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Validation and encryption of a large file's rows on worker threads (issue #7): the import's thread reads the
 * file and stores, the workers validate and encrypt chunk after chunk. Workers start at the first large import
 * and stay (unreferenced, so they never keep the process alive); each holds its own copy of the key ring.
 */
export class RowEncoderPool implements RowEncoderPort {
  readonly parallel = true;
  private workers: Worker[] = [];
  private next = 0;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly ring: KeyRing,
    private readonly size: number,
  ) {}

  private start(): Worker[] {
    if (this.workers.length > 0) return this.workers;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL('./row-encoder-worker.mjs', import.meta.url), {
        workerData: { ring: this.ring },
        // The parent's flags (a CPU profile, an inspector port) are not the worker's business.
        execArgv: [],
      });
      worker.unref();
      worker.on('message', (reply: Reply | { ready: true }) => {
        if (!('id' in reply)) return;
        const waiting = this.pending.get(reply.id);
        if (!waiting) return;
        this.pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.chunk);
        else waiting.reject(new Error(`行编码失败：${reply.message}`));
      });
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => {
        this.workers = this.workers.filter((w) => w !== worker);
        if (code !== 0) this.failAll(new Error(`行编码线程意外退出（${code}）`));
      });
      this.workers.push(worker);
    }
    return this.workers;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  encode(job: EncodeJob): Promise<EncodedChunk> {
    const workers = this.start();
    const worker = workers[this.next++ % workers.length] as Worker;
    const id = ++this.seq;
    return new Promise<EncodedChunk>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
