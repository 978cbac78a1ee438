import { parentPort, workerData } from 'node:worker_threads';
import { encodeChunk } from '../app/ingest/encode-rows.ts';
import type { EncodeJob } from '../app/ports.ts';
import { FieldCrypto, type KeyRing } from '../crypto/field-crypto.ts';
import { findDataset } from '../domain/catalog/datasets.ts';

/** Buffers arrive as Uint8Arrays after the structured clone. */
function ringOf(data: KeyRing): KeyRing {
  return {
    current: data.current,
    indexKey: Buffer.from(data.indexKey),
    dataKeys: data.dataKeys.map((k) => ({
      id: k.id,
      encKey: Buffer.from(k.encKey),
      macKey: Buffer.from(k.macKey),
    })),
  };
}

const crypto = new FieldCrypto(ringOf((workerData as { ring: KeyRing }).ring));
const port = parentPort;
if (!port) throw new Error('row-encoder-worker runs as a worker thread');
port.on('message', (message: { id: number; job: EncodeJob }) => {
  try {
    const dataset = findDataset(message.job.datasetCode);
    if (!dataset) throw new Error(`unknown dataset ${message.job.datasetCode}`);
    port.postMessage({ id: message.id, ok: true, chunk: encodeChunk(crypto, dataset, message.job) });
  } catch (e) {
    port.postMessage({ id: message.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage({ ready: true });
