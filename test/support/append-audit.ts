/**
 * A process that appends audit entries, for the tests of appends from several processes at once:
 *
 *   node --import tsx test/support/append-audit.ts URL COUNT LABEL START_AT_MS
 *
 * Waits until START_AT_MS (so that the processes begin together), then appends COUNT entries, as many at once as
 * its connection allows, and prints how many it appended.
 */

import { openDatabase } from '../../src/store/db.ts';
import { createStore } from '../../src/store/store.ts';

const [url, count, label, startAt] = process.argv.slice(2) as [string, string, string, string];
const database = openDatabase(url, { poolSize: 4 });
const store = createStore(database);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const actor = {
  userId: null,
  name: label,
  roles: [],
  organisationId: null,
  regionCode: null,
  ip: null,
  userAgent: null,
};
const at = new Date().toISOString();
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    store.audit.append(actor, { action: 'AUDIT_LOG_VIEWED', outcome: 'success', details: { label, i } }, at),
  ),
);
await database.close();
process.stdout.write(`${count}\n`);
