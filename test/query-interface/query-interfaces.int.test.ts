import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { actorOfUser } from '../../src/app/actor.ts';
import type { Actor } from '../../src/app/ports.ts';
import { fetchQueryInterfaceRecords } from '../../src/app/query-interface/fetch-for-case.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

/** The department's side: what its server saw, and how it answers each person's n-th request. */
interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}
type Handler = (res: ServerResponse) => void;
type Responder = (idNumber: string, nth: number) => Handler;

const seen: Seen[] = [];
let responder: Responder = () => json(500, { error: 'no handler' });
let server: Server;
let baseUrl: string;

function json(status: number, body: unknown): Handler {
  return (res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

function delayed(ms: number, then: Handler): Handler {
  return (res) => {
    const timer = setTimeout(() => then(res), ms);
    res.on('close', () => clearTimeout(timer));
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
      const idNumber = String(body.idNumber ?? '');
      const nth = seen.filter((s) => s.body.idNumber === idNumber).length;
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      responder(idNumber, nth)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  seen.length = 0;
  responder = () => json(500, { error: 'no handler' });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const SECRET = 'tok-SECRET-9f3a';
const ZHANG = '621002198503150410';
const LI = '621002199001011239';
const CAR = {
  sfzh: ZHANG,
  hphm: '甘M12345',
  cllx: '小型普通客车',
  syxz: '非营运',
  ccdjrq: '2019-05-20',
  zt: '正常',
};
const found = (...records: unknown[]) => json(200, { code: 0, data: { records } });

function vehicleConfig(overrides: Record<string, unknown> = {}) {
  return {
    departmentCode: 'public_security',
    dataset: 'vehicle',
    url: `${baseUrl}/api/vehicles`,
    auth: { kind: 'bearer', token: SECRET },
    timeoutMs: 300,
    retries: 1,
    backoffMs: 1,
    response: {
      rowsPath: 'data.records',
      fieldMap: {
        身份证号: 'sfzh',
        号牌号码: 'hphm',
        车辆类型: 'cllx',
        使用性质: 'syxz',
        初次登记日期: 'ccdjrq',
        车辆状态: 'zt',
      },
    },
    ...overrides,
  };
}

interface View {
  id: number;
  name: string;
  enabled: boolean;
  urlHost: string;
  authKind: string;
  config: { auth: Record<string, string>; timeoutMs: number };
}

describeEachDatabase('query interfaces', (dialect) => {
  const t = useTestApp(dialect);
  let admin: string;
  let staff: string;
  let officer: string;
  let interfaceId: number;
  /** Every body the API sent back: none may carry the credential. */
  const bodies: string[] = [];

  const call = async (...args: Parameters<typeof t.call>) => {
    const res = await t.call(...args);
    bodies.push(res.body);
    return res;
  };

  const actorOf = (username: string): Promise<Actor> => actorOfUser(t.deps.store, username);

  async function patch(body: Record<string, unknown>) {
    const res = await call('PATCH', `/api/query-interfaces/${interfaceId}`, { cookie: admin, body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ queryInterface: View }>().queryInterface;
  }

  beforeAll(async () => {
    admin = await t.login('admin');
    staff = await t.login('city_staff');
    officer = await t.login('dept_public_security');
  });

  it('lists every problem of an invalid configuration at once, with stable codes and Chinese messages', async () => {
    const res = await call('POST', '/api/query-interfaces', {
      cookie: admin,
      body: {
        name: ' ',
        config: vehicleConfig({
          url: 'http://dept.example.cn/api',
          timeoutMs: 1,
          response: { rowsPath: 'data.records', fieldMap: { 身份证号: 'sfzh', 颜色: 'ys' } },
        }),
      },
    });
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    const errors = (error.details as { errors: { path: string; code: string; message: string }[] }).errors;
    expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual(
      expect.arrayContaining([
        'name OUT_OF_RANGE',
        'url INSECURE_URL',
        'timeoutMs OUT_OF_RANGE',
        'response.fieldMap.颜色 UNKNOWN_COLUMN',
        'response.fieldMap.号牌号码 MISSING_MAPPING',
      ]),
    );
    for (const e of errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await t.deps.store.queryInterfaces.list({ enabledOnly: false })).toEqual([]);
  });

  it('creates an interface disabled, stores its configuration encrypted and never returns the credential', async () => {
    const res = await call('POST', '/api/query-interfaces', {
      cookie: admin,
      body: { config: vehicleConfig() },
    });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<{ queryInterface: View }>().queryInterface;
    interfaceId = view.id;
    expect(view).toMatchObject({
      name: '公安机动车登记查询接口',
      enabled: false,
      urlHost: new URL(baseUrl).host,
      authKind: 'bearer',
      config: { auth: { kind: 'bearer', token: '***' }, timeoutMs: 300 },
    });
    const stored = await t.deps.store.queryInterfaces.get(view.id);
    expect(stored?.configEnc).toMatch(/^v1\./);
    expect(stored?.configEnc).not.toContain(SECRET);

    const [saved] = await t.audit('QUERY_INTERFACE_SAVED');
    expect(saved).toMatchObject({
      actorUserId: await t.userId('admin'),
      objectType: 'query_interface',
      objectId: String(view.id),
      outcome: 'success',
      details: { change: 'created', dataset: 'vehicle', authKind: 'bearer', enabled: false },
    });
  });

  it('refuses a second interface for the same department and dataset', async () => {
    const res = await call('POST', '/api/query-interfaces', {
      cookie: admin,
      body: { config: vehicleConfig() },
    });
    expectError(res, 409, 'CONFLICT');
  });

  it('lets agency staff list and read interfaces, redacted, but not change or test them', async () => {
    const list = await call('GET', '/api/query-interfaces', { cookie: staff });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: View[] }>().items.map((i) => i.id)).toEqual([interfaceId]);
    const one = await call('GET', `/api/query-interfaces/${interfaceId}`, { cookie: staff });
    expect(one.json<{ queryInterface: View }>().queryInterface.config.auth.token).toBe('***');

    expectError(
      await call('POST', '/api/query-interfaces', { cookie: staff, body: { config: vehicleConfig() } }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await call('PATCH', `/api/query-interfaces/${interfaceId}`, { cookie: staff, body: { enabled: true } }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await call('POST', `/api/query-interfaces/${interfaceId}/test`, {
        cookie: staff,
        body: { idNumber: ZHANG },
      }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(await call('GET', '/api/query-interfaces', { cookie: officer }), 403, 'PERMISSION_DENIED');
    expectError(await call('GET', '/api/query-interfaces/999999', { cookie: admin }), 404, 'NOT_FOUND');
  });

  it('keeps the stored credential when an update sends it back redacted', async () => {
    const view = await patch({
      name: '公安车辆查询',
      config: { ...vehicleConfig(), auth: { kind: 'bearer', token: '***' } },
    });
    expect(view.name).toBe('公安车辆查询');
    const [saved] = await t.audit('QUERY_INTERFACE_SAVED');
    expect(saved?.details).toMatchObject({ change: 'updated', fields: ['name'] });

    responder = () => found(CAR);
    const res = await call('POST', `/api/query-interfaces/${interfaceId}/test`, {
      cookie: admin,
      body: { idNumber: ZHANG, name: '张三' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('tests the connection under a TEST case number and answers counts, never the values', async () => {
    responder = () => found(CAR, { ...CAR, hphm: '甘M99999', zt: '坏了' });
    const res = await call('POST', `/api/query-interfaces/${interfaceId}/test`, {
      cookie: admin,
      body: { idNumber: ZHANG, name: '张三' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { result } = res.json<{ result: Record<string, unknown> }>();
    expect(result).toMatchObject({
      interfaceId,
      status: 'ok',
      attempts: 1,
      rowCount: 1,
      rejectedRowCount: 1,
      problems: [{ column: '车辆状态', code: expect.any(String) }],
    });
    expect(result.caseNumber).toMatch(/^TEST-20250926-[0-9a-f]{6}$/);
    expect(res.body).not.toContain('甘M');
    expect(res.body).not.toContain(ZHANG);
    expect(seen[0]?.headers['x-hedui-case']).toBe(result.caseNumber);
    expect(seen[0]?.body.caseNumber).toBe(result.caseNumber);
    expect(seen[0]?.body.operator).toEqual({
      userId: String(await t.userId('admin')),
      name: '系统管理员（演示）',
    });

    const [tested] = await t.audit('QUERY_INTERFACE_TESTED');
    expect(tested).toMatchObject({
      caseId: result.caseNumber,
      outcome: 'success',
      details: { interfaceId, status: 'ok', rowCount: 1, person: expect.stringContaining('*') },
    });
    expect(JSON.stringify(tested)).not.toContain(ZHANG);
  });

  it('reports a test against a failing server as unavailable, and refuses an invalid test ID', async () => {
    responder = () => json(503, { error: 'down' });
    const res = await call('POST', `/api/query-interfaces/${interfaceId}/test`, {
      cookie: admin,
      body: { idNumber: ZHANG },
    });
    expect(res.json<{ result: Record<string, unknown> }>().result).toMatchObject({
      status: 'unavailable',
      reason: 'HTTP_ERROR',
      httpStatus: 503,
      attempts: 2,
      rowCount: 0,
    });
    const [tested] = await t.audit('QUERY_INTERFACE_TESTED');
    expect(tested?.outcome).toBe('failure');

    const bad = await call('POST', `/api/query-interfaces/${interfaceId}/test`, {
      cookie: admin,
      body: { idNumber: '621002198503150411' },
    });
    expectError(bad, 400, 'VALIDATION_FAILED');
  });

  it('calls no disabled interface for a case', async () => {
    responder = () => found(CAR);
    const result = await fetchQueryInterfaceRecords(
      t.deps,
      { caseRef: 'HD-2025-000001', members: [{ idNumber: ZHANG, name: '张三' }] },
      await actorOf('city_staff'),
    );
    expect(result).toEqual({ batchIds: [], sources: [] });
    expect(seen).toEqual([]);
  });

  it('stores what an enabled interface answers for a case as one batch, naming case and operator in every call', async () => {
    const enabled = await patch({ enabled: true });
    expect(enabled.enabled).toBe(true);
    const [saved] = await t.audit('QUERY_INTERFACE_SAVED');
    expect(saved?.details).toMatchObject({ change: 'enabled', fields: ['enabled'] });

    responder = (id) => (id === ZHANG ? found(CAR) : found());
    const actor = await actorOf('city_staff');
    const result = await fetchQueryInterfaceRecords(
      t.deps,
      {
        caseRef: 'HD-2025-000002',
        members: [
          { idNumber: ZHANG, name: '张三' },
          { idNumber: LI, name: '李四' },
        ],
      },
      actor,
    );
    expect(result.sources).toEqual([
      {
        interfaceId,
        name: '公安车辆查询',
        departmentCode: 'public_security',
        dataset: 'vehicle',
        status: 'ok',
        rowCount: 1,
        rejectedRowCount: 0,
        attempts: 2,
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    expect(seen).toHaveLength(2);
    for (const entry of seen) {
      expect(entry.headers['x-hedui-case']).toBe('HD-2025-000002');
      expect(entry.headers['x-hedui-operator']).toBe(String(actor.userId));
      expect(decodeURIComponent(String(entry.headers['x-hedui-operator-name']))).toBe('市级核对员（演示）');
      expect(entry.body.caseNumber).toBe('HD-2025-000002');
      expect(entry.body.operator).toEqual({ userId: String(actor.userId), name: '市级核对员（演示）' });
      expect(entry.headers['x-request-id']).toMatch(new RegExp(`^${result.sources[0]?.requestId}\\.[12]$`));
    }

    expect(result.batchIds).toHaveLength(1);
    const batch = await t.deps.store.batches.get(result.batchIds[0] as number);
    expect(batch).toMatchObject({
      source: 'query',
      dataset: 'vehicle',
      departmentCode: 'public_security',
      period: '2025-09',
      periodFirstMonth: '2025-09',
      periodLastMonth: '2025-09',
      dataAsOf: '2025-09-26',
      status: 'committed',
      fileName: null,
      rowsRead: 1,
      rowsStored: 1,
      uploaderUserId: actor.userId,
      organisationId: actor.organisationId,
    });
    expect(batch?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(batch?.errors).toMatch(/^v1\./);
    const records = await t.deps.store.batches.records(batch?.id as number, 0, 10);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      caseRef: 'HD-2025-000002',
      personKey: t.deps.crypto.blindIndex(ZHANG),
      dataset: 'vehicle',
    });
    expect(t.deps.crypto.decrypt(records[0]?.idEnc as string)).toBe(ZHANG);
    expect(JSON.parse(records[0]?.values as string)).toMatchObject({ plateNumber: '甘M12345' });
    // A case's answers are no delivery: the dataset's current batch of the period is untouched.
    expect(await t.deps.store.batches.current('vehicle', '2025-09')).toBeUndefined();

    const [called] = await t.audit('QUERY_INTERFACE_CALLED');
    expect(called).toMatchObject({
      actorUserId: actor.userId,
      caseId: 'HD-2025-000002',
      outcome: 'success',
      objectId: String(interfaceId),
      details: { attempts: 2, status: 'ok', members: 2, failedMembers: [], batchId: batch?.id },
    });
  });

  it('reports a source that times out as unavailable, never as nothing found', async () => {
    responder = () => delayed(2000, found(CAR));
    const result = await fetchQueryInterfaceRecords(
      t.deps,
      { caseRef: 'HD-2025-000003', members: [{ idNumber: ZHANG, name: '张三' }] },
      await actorOf('city_staff'),
    );
    expect(result.batchIds).toEqual([]);
    expect(result.sources).toEqual([
      expect.objectContaining({ status: 'unavailable', reason: 'TIMEOUT', rowCount: 0, attempts: 2 }),
    ]);
    expect(result.sources[0]?.message).toContain('第1位成员查询失败');
    expect(seen).toHaveLength(2);
    const [called] = await t.audit('QUERY_INTERFACE_CALLED');
    expect(called).toMatchObject({
      caseId: 'HD-2025-000003',
      outcome: 'failure',
      details: { status: 'unavailable', reason: 'TIMEOUT', attempts: 2, failedMembers: [1], batchId: null },
    });
  });

  it('retries after an HTTP 500 and keeps the answer that follows', async () => {
    responder = (_id, nth) => (nth === 0 ? json(500, { error: 'busy' }) : found(CAR));
    const result = await fetchQueryInterfaceRecords(
      t.deps,
      { caseRef: 'HD-2025-000004', members: [{ idNumber: ZHANG, name: '张三' }] },
      await actorOf('city_staff'),
    );
    expect(result.sources[0]).toMatchObject({ status: 'ok', rowCount: 1, attempts: 2 });
    expect(result.batchIds).toHaveLength(1);
    expect(seen.map((s) => s.headers['x-hedui-attempt'])).toEqual(['1', '2']);
  });

  it('keeps the answered members of a partly failing source but marks it unavailable, naming the failed member by position', async () => {
    responder = (id) => (id === ZHANG ? found(CAR) : json(502, { error: 'gateway' }));
    const result = await fetchQueryInterfaceRecords(
      t.deps,
      {
        caseRef: 'HD-2025-000005',
        members: [
          { idNumber: ZHANG, name: '张三' },
          { idNumber: LI, name: '李四' },
        ],
      },
      await actorOf('city_staff'),
    );
    const [source] = result.sources;
    expect(source).toMatchObject({ status: 'unavailable', reason: 'HTTP_ERROR', rowCount: 1, attempts: 3 });
    expect(source?.message).toContain('第2位成员查询失败（共2位）');
    expect(source?.message).not.toContain(LI);
    expect(result.batchIds).toHaveLength(1);
    const records = await t.deps.store.batches.records(result.batchIds[0] as number, 0, 10);
    expect(records.map((r) => r.personKey)).toEqual([t.deps.crypto.blindIndex(ZHANG)]);
  });

  it('refuses members whose ID number cannot be asked about, before calling anyone', async () => {
    await expect(
      fetchQueryInterfaceRecords(
        t.deps,
        {
          caseRef: 'HD-2025-000006',
          members: [
            { idNumber: ZHANG, name: '张三' },
            { idNumber: '123', name: '王五' },
          ],
        },
        await actorOf('city_staff'),
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { members: [2] } });
    expect(seen).toEqual([]);
  });

  it('never puts the credential in a response or an audit entry', async () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body).not.toContain(SECRET);
    const entries = await t.deps.store.audit.list({ offset: 0, limit: 10_000 });
    expect(JSON.stringify(entries.items)).not.toContain(SECRET);
  });
});
