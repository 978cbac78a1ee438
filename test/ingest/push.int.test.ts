import { beforeAll, expect, it } from 'vitest';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import type { OrganisationRecord } from '../../src/app/ports.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { hukouRow, idNumber, payrollRow, type Row } from '../support/department-data.ts';

interface ApiKeyView {
  id: number;
  organisationId: number;
  organisationName: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A hukou row keyed by the column code names (`idNumber`, `name`, …) instead of the Chinese headers. */
function byKey(row: Row): Record<string, unknown> {
  return {
    idNumber: row.身份证号,
    name: row.姓名,
    sex: row.性别,
    birthDate: row.出生日期,
    householdNumber: row.户号,
    relationToHead: row.与户主关系,
    hukouStatus: row.户籍状态,
  };
}

describeEachDatabase('pushing department data with an API key', (dialect) => {
  const t = useTestApp(dialect);
  let admin: string;
  let police: OrganisationRecord;
  let key: string;
  let keyId: number;

  beforeAll(async () => {
    admin = await t.login('admin');
    const orgs = await t.deps.store.organisations.list(null);
    const found = orgs.find((o) => o.departmentCode === 'public_security');
    if (!found) throw new Error('the demo city has no 公安 organisation');
    police = found;
  });

  const push = (
    dataset: string,
    period: string,
    body: unknown,
    options: { key?: string; cookie?: string; csrf?: boolean; ndjson?: boolean } = {},
  ) =>
    t.call('POST', `/api/v1/datasets/${dataset}/batches?period=${period}`, {
      body,
      csrf: options.csrf ?? false,
      ...(options.cookie ? { cookie: options.cookie } : {}),
      headers: {
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
        ...(options.ndjson ? { 'content-type': 'application/x-ndjson' } : {}),
      },
    });
  const pushOk = async (...args: Parameters<typeof push>): Promise<ImportResult> => {
    const res = await push(...args);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportResult>();
  };
  const countBatches = async () => (await t.deps.store.batches.list({ offset: 0, limit: 1 })).total;
  const countRecords = async () => {
    const r = await t.database.db
      .selectFrom('record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const createKey = async (organisationId: number, name: string) => {
    const res = await t.call('POST', '/api/api-keys', { cookie: admin, body: { organisationId, name } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ apiKey: ApiKeyView; key: string }>();
  };

  it('creates a key for 公安 once, storing only its hash, and audits API_KEY_CREATED', async () => {
    const created = await createKey(police.id, '公安人口系统');
    key = created.key;
    keyId = created.apiKey.id;
    expect(key).toMatch(/^hd_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{20,}$/);
    expect(created.apiKey).toMatchObject({
      organisationId: police.id,
      organisationName: police.name,
      name: '公安人口系统',
      prefix: key.slice(3, 11),
      revokedAt: null,
      lastUsedAt: null,
    });
    const secret = key.slice(12);
    const rows = await t.database.db.selectFrom('apiKey').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(key);
    const listed = await t.call('GET', '/api/api-keys', { cookie: admin });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: ApiKeyView[] }>().items.map((k) => k.id)).toEqual([keyId]);
    expect(listed.body).not.toContain(secret);
    const [entry] = await t.audit('API_KEY_CREATED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectType: 'api_key',
      objectId: String(keyId),
      outcome: 'success',
      details: { organisationId: police.id, name: '公安人口系统', prefix: created.apiKey.prefix },
    });
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('gives keys only to data-providing departments', async () => {
    const agency = (await t.deps.store.organisations.list(null)).find((o) => o.kind === 'agency');
    const before = (await t.audit('API_KEY_CREATED')).length;
    expectError(
      await t.call('POST', '/api/api-keys', {
        cookie: admin,
        body: { organisationId: agency?.id, name: 'x' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await t.audit('API_KEY_CREATED')).length).toBe(before);
  });

  it('commits a JSON array keyed by the Chinese headers, without a CSRF header', async () => {
    const rows = [hukouRow(0), hukouRow(1), hukouRow(2)];
    const result = await pushOk('hukou', '2025-Q3', rows, { key });
    expect(result).toMatchObject({ status: 'committed', rows: 3, stored: 3, errors: [], fileErrors: [] });
    const batch = await t.deps.store.batches.get(result.batchId as number);
    expect(batch).toMatchObject({
      source: 'api',
      format: 'json',
      apiKeyId: keyId,
      organisationId: police.id,
      departmentCode: 'public_security',
      uploaderUserId: null,
    });
    const records = await t.deps.store.batches.records(result.batchId as number, 0, 10);
    expect(records.map((r) => [r.rowNumber, t.deps.crypto.decrypt(r.idEnc as string)])).toEqual([
      [2, idNumber(0)],
      [3, idNumber(1)],
      [4, idNumber(2)],
    ]);
    expect((await t.deps.store.apiKeys.get(keyId))?.lastUsedAt).toBe(t.clock.now().toISOString());
    const [entry] = await t.audit('BATCH_COMMITTED');
    expect(entry).toMatchObject({
      actorUserId: null,
      actorName: `API密钥 公安人口系统（${key.slice(3, 11)}）`,
      organisationId: police.id,
      objectId: String(result.batchId),
      details: { dataset: 'hukou', period: '2025-Q3', rows: 3, stored: 3 },
    });
  });

  it('commits NDJSON rows keyed by the column code names', async () => {
    const body = `${[hukouRow(10), hukouRow(11)].map((r) => JSON.stringify(byKey(r))).join('\n')}\n`;
    const result = await pushOk('hukou', '2025-Q2', body, { key, ndjson: true });
    expect(result).toMatchObject({ status: 'committed', rows: 2, stored: 2 });
    expect(await t.deps.store.batches.get(result.batchId as number)).toMatchObject({ format: 'ndjson' });
    const [first] = await t.deps.store.batches.records(result.batchId as number, 0, 10);
    expect(JSON.parse(first?.values ?? '{}')).toMatchObject({
      sex: '女',
      hukouStatus: '正常',
      address: null,
    });
    const [entry] = await t.audit('BATCH_COMMITTED');
    expect(entry).toMatchObject({ objectId: String(result.batchId), details: { period: '2025-Q2' } });
  });

  it('answers the same push again with duplicate', async () => {
    const records = await countRecords();
    const again = await pushOk('hukou', '2025-Q3', [hukouRow(0), hukouRow(1), hukouRow(2)], { key });
    expect(again.status).toBe('duplicate');
    expect(await countRecords()).toBe(records);
    const [entry] = await t.audit('BATCH_DUPLICATE');
    expect(entry).toMatchObject({ objectId: String(again.batchId), details: { dataset: 'hukou' } });
  });

  it('rejects pushed rows with errors, numbering them as template rows (first object = row 2)', async () => {
    const records = await countRecords();
    const rows = [hukouRow(20), hukouRow(21, { 性别: 'M' }), hukouRow(22, { 身份证号: '62100219800101002' })];
    const result = await pushOk('hukou', '2024-Q4', rows, { key });
    expect(result).toMatchObject({ status: 'rejected', rows: 3, stored: 0 });
    expect(result.errors.map(({ row, column, code }) => [row, column, code])).toEqual([
      [3, '性别', 'INVALID_ENUM'],
      [4, '身份证号', 'INVALID_ID_NUMBER'],
    ]);
    expect(await countRecords()).toBe(records);
    expect(await t.deps.store.batches.get(result.batchId as number)).toMatchObject({
      status: 'rejected',
      source: 'api',
      reportFile: null,
    });
    const [entry] = await t.audit('BATCH_REJECTED');
    expect(entry).toMatchObject({ objectId: String(result.batchId), details: { errorCount: 2 } });
  });

  it('refuses 公安’s key for 财政’s payroll with 403 PERMISSION_DENIED, storing nothing', async () => {
    const batches = await countBatches();
    const audits = (await t.audit('BATCH_REJECTED')).length;
    expectError(
      await push('payroll', '2025-H1', [payrollRow(0, '2025-01')], { key }),
      403,
      'PERMISSION_DENIED',
    );
    expect(await countBatches()).toBe(batches);
    expect((await t.audit('BATCH_REJECTED')).length).toBe(audits);
  });

  it('accepts no key on routes not open to keys', async () => {
    expectError(
      await t.call('GET', '/api/batches', { headers: { authorization: `Bearer ${key}` } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('refuses a session-cookie push without x-hedui-csrf, and takes it with the header', async () => {
    const officer = await t.login('dept_public_security');
    const batches = await countBatches();
    expectError(
      await push('hukou', '2024-Q3', [hukouRow(30)], { cookie: officer, csrf: false }),
      403,
      'CSRF_REQUIRED',
    );
    expect(await countBatches()).toBe(batches);
    const result = await pushOk('hukou', '2024-Q3', [hukouRow(30)], { cookie: officer, csrf: true });
    expect(result.status).toBe('committed');
    expect(await t.deps.store.batches.get(result.batchId as number)).toMatchObject({
      source: 'api',
      apiKeyId: null,
      uploaderUserId: await t.userId('dept_public_security'),
    });
    const [entry] = await t.audit('BATCH_COMMITTED');
    expect(entry).toMatchObject({
      objectId: String(result.batchId),
      actorName: expect.stringContaining('公安'),
    });
  });

  it('rotates a key: the new one works, the old one is refused, both steps audited', async () => {
    const res = await t.call('POST', `/api/api-keys/${keyId}/rotate`, { cookie: admin });
    expect(res.statusCode, res.body).toBe(200);
    const rotated = res.json<{ apiKey: ApiKeyView; key: string }>();
    expect(rotated.key).not.toBe(key);
    expect(rotated.apiKey).toMatchObject({
      organisationId: police.id,
      name: '公安人口系统',
      revokedAt: null,
    });
    const [revoked] = await t.audit('API_KEY_REVOKED');
    expect(revoked).toMatchObject({
      objectId: String(keyId),
      details: { prefix: key.slice(3, 11), reason: `ROTATED_TO_${rotated.apiKey.id}` },
    });
    const [created] = await t.audit('API_KEY_CREATED');
    expect(created).toMatchObject({ objectId: String(rotated.apiKey.id) });

    const batches = await countBatches();
    expectError(await push('hukou', '2024-Q2', [hukouRow(40)], { key }), 401, 'UNAUTHENTICATED');
    expect(await countBatches()).toBe(batches);
    const result = await pushOk('hukou', '2024-Q2', [hukouRow(40)], { key: rotated.key });
    expect(result.status).toBe('committed');
    expect((await t.deps.store.batches.get(result.batchId as number))?.apiKeyId).toBe(rotated.apiKey.id);
    const [entry] = await t.audit('BATCH_COMMITTED');
    expect(entry).toMatchObject({ objectId: String(result.batchId) });
    key = rotated.key;
    keyId = rotated.apiKey.id;
  });

  it('refuses a revoked key with 401 and stores nothing', async () => {
    const res = await t.call('POST', `/api/api-keys/${keyId}/revoke`, { cookie: admin });
    expect(res.statusCode).toBe(204);
    const [entry] = await t.audit('API_KEY_REVOKED');
    expect(entry).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectId: String(keyId),
      outcome: 'success',
      details: { reason: 'REVOKED' },
    });
    expect((await t.deps.store.apiKeys.get(keyId))?.revokedAt).toBe(t.clock.now().toISOString());
    const [batches, records] = [await countBatches(), await countRecords()];
    expectError(await push('hukou', '2024-Q1', [hukouRow(50)], { key }), 401, 'UNAUTHENTICATED');
    expectError(
      await push('hukou', '2024-Q1', `${JSON.stringify(byKey(hukouRow(50)))}\n`, { key, ndjson: true }),
      401,
      'UNAUTHENTICATED',
    );
    expect([await countBatches(), await countRecords()]).toEqual([batches, records]);
  });
});
