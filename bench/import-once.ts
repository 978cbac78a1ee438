/**
 * One import through the real path (parse, validate, normalise, encrypt, store, index) in a fresh
 * process, so its peak RSS is its own. Prints {seconds, rows, maxRssMb, status}.
 */

import { SYSTEM_ACTOR } from '../src/app/actor.ts';
import { importBatch } from '../src/app/ingest/import-batch.ts';
import { openRuntime, prepareDatabase } from '../src/cli/runtime.ts';
import { loadConfig } from '../src/config.ts';

const [file, dataset = 'hukou', period = '2025-Q3'] = process.argv.slice(2);
if (!file) throw new Error('usage: import-once FILE [DATASET] [PERIOD]');
const config = { ...loadConfig(), demo: 'off' as const };
const runtime = openRuntime(config);
await prepareDatabase(runtime, config);
const started = process.hrtime.bigint();
const result = await importBatch(
  runtime.deps,
  { datasetCode: dataset, period, source: 'cli', fileName: file, path: file },
  SYSTEM_ACTOR,
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
await runtime.close();
process.stdout.write(
  `${JSON.stringify({ status: result.status, rows: result.rows, stored: result.stored, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, errors: result.errors.slice(0, 3), fileErrors: result.fileErrors })}\n`,
);
