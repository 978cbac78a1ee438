import { seedOfficialCalendar } from '../app/calendar/calendar.ts';
import { type DemoCredential, loadDemoCity } from '../app/demo/load-demo-city.ts';
import { type DemoDataSummary, loadDemoDepartmentData } from '../app/demo/load-demo-department-data.ts';
import type { Deps } from '../app/ports.ts';
import { seedRegions } from '../app/regions/seed-regions.ts';
import { kickWebhookDelivery, kickWebhooksAfterCommit } from '../app/webhooks/outbox.ts';
import type { Config } from '../config.ts';
import { loadAuditSigningKeys } from '../crypto/audit-signing-keys.ts';
import { FieldCrypto } from '../crypto/field-crypto.ts';
import { loadKeyRing } from '../crypto/key-file.ts';
import { renderCaseDocument } from '../documents/case-documents/index.ts';
import { errorReportPort } from '../documents/error-report-port.ts';
import { offlineExchangeDocumentPort } from '../documents/offline-exchange.ts';
import { type Clock, systemClock } from '../domain/shared/clock.ts';
import { importWorkerCount, RowEncoderPool } from '../ingest/row-encoder-pool.ts';
import { tablePort } from '../ingest/table-port.ts';
import { queryClientPort } from '../query-interface/query-client-port.ts';
import { type Database, migrateToLatest, openDatabase } from '../store/db.ts';
import { fileStore } from '../store/file-store.ts';
import { importFiles } from '../store/import-files.ts';
import { createStore } from '../store/store.ts';
import { httpWebhookSender } from '../webhooks/http-sender.ts';

export interface Runtime {
  database: Database;
  deps: Deps;
  close(): Promise<void>;
}

/** The composition root: the one place that wires adapters (database, clock) to the use cases. */
export function openRuntime(config: Config, clock: Clock = systemClock, database?: Database): Runtime {
  const db = database ?? openDatabase(config.databaseUrl);
  const keyRing = loadKeyRing({
    inline: config.keysInline,
    path: config.keyFile,
    createIfMissing: config.nodeEnv !== 'production',
    now: clock.now().toISOString(),
  });
  const workers = importWorkerCount(config.importWorkers);
  const pool = workers > 0 ? new RowEncoderPool(keyRing, workers) : null;
  const deps: Deps = {
    store: createStore(db),
    clock,
    crypto: new FieldCrypto(keyRing),
    tables: tablePort(config.uploadMaxBytes),
    errorReports: errorReportPort(config.filesDir),
    files: fileStore(config.filesDir),
    fileErasure: fileStore(config.filesDir),
    importFiles: importFiles(config.filesDir),
    importQueueMinBytes: config.importQueueMinBytes,
    caseDocuments: { render: (input) => renderCaseDocument(input) },
    queryClient: queryClientPort(clock),
    exchangeDocuments: offlineExchangeDocumentPort(),
    webhookSender: httpWebhookSender(config.webhooks),
    auditSigner: loadAuditSigningKeys({
      inline: config.keysInline,
      path: config.keyFile,
      addIfMissing: config.nodeEnv !== 'production',
      now: clock.now().toISOString(),
    }),
    ...(pool ? { rowEncoder: { encoder: pool, minBytes: config.importParallelMinBytes } } : {}),
    settings: {
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionAbsoluteHours: config.sessionAbsoluteHours,
      lockoutThreshold: config.lockoutThreshold,
      lockoutMinutes: config.lockoutMinutes,
      secondFactor: config.secondFactor,
      passwordMaxAgeDays: config.passwordMaxAgeDays,
      publicUrl: config.publicUrl,
      retention: config.retention,
      webhooks: config.webhooks,
    },
  };
  // Case changes queue webhook deliveries in their transaction; after the commit the job runner is asked to send.
  deps.store = kickWebhooksAfterCommit(deps.store, () => kickWebhookDelivery(deps));
  return {
    database: db,
    deps,
    close: async () => {
      await pool?.close();
      await db.close();
    },
  };
}

export interface PrepareResult {
  migrations: string[];
  calendarYearsAdded: number[];
  demo: DemoCredential[] | null;
  /** The demo city's department data, loaded right after it (never on its own). */
  demoData: DemoDataSummary | null;
}

export function demoWanted(config: Config): boolean {
  if (config.nodeEnv === 'production' || config.demo === 'off') return false;
  return config.demo === 'on' || config.databaseUrl.startsWith('sqlite:');
}

/**
 * Brings a database up to date: migrations, the region table, official calendar years it lacks,
 * and, on first start with the embedded default, the synthetic demo city with its department data (unless
 * HEDUI_DEMO_DATA=off). Never the demo in production.
 */
export async function prepareDatabase(runtime: Runtime, config: Config): Promise<PrepareResult> {
  const migrations = await migrateToLatest(runtime.database);
  const { store } = runtime.deps;
  if ((await store.regions.count()) === 0) await seedRegions(store);
  const calendarYearsAdded = await seedOfficialCalendar(runtime.deps);
  const firstStart = (await store.organisations.count()) === 0;
  const demo =
    firstStart && demoWanted(config) ? await loadDemoCity(runtime.deps, config.demoPassword) : null;
  // Only right after the demo city, so it follows the same first-start guard; a failed import throws here.
  const demoData = demo && config.demoData ? await loadDemoDepartmentData(runtime.deps) : null;
  return { migrations, calendarYearsAdded, demo, demoData };
}
