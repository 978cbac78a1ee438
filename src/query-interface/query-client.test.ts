import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type QueryInterfaceConfig, validateQueryInterfaceConfig } from '../domain/query-interface/config.ts';
import { fixedClock } from '../domain/shared/clock.ts';
import { type QueryPersonInput, queryPerson, retryAfterMs } from './query-client.ts';

/** What the department's server saw, per request. */
interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const seen: Seen[] = [];
let handlers: Handler[] = [];
let server: Server;
let baseUrl: string;

/** Each request takes the next handler; the last one repeats. */
function respondWith(...next: Handler[]): void {
  handlers = next;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

function delayed(ms: number, then: Handler): Handler {
  return (req, res, entry) => {
    const timer = setTimeout(() => then(req, res, entry), ms);
    res.on('close', () => clearTimeout(timer));
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const entry: Seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const handler = handlers[Math.min(seen.length, handlers.length - 1)];
      seen.push(entry);
      if (handler) handler(req, res, entry);
      else json(500, { error: 'no handler' })(req, res, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  seen.length = 0;
  handlers = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const PERSON: QueryPersonInput = {
  caseNumber: 'HD-2025-000123',
  operator: { userId: 'u-42', name: '李核对' },
  idNumber: '621002198503150410',
  name: '张三',
};
const OTHER_ID = '621002199001011239';

function config(overrides: Record<string, unknown> = {}): QueryInterfaceConfig {
  const result = validateQueryInterfaceConfig({
    departmentCode: 'public_security',
    dataset: 'vehicle',
    url: `${baseUrl}/api/vehicles`,
    auth: { kind: 'bearer', token: 'tok-SECRET-123' },
    timeoutMs: 1000,
    retries: 2,
    backoffMs: 5,
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
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const slept: number[] = [];
const deps = {
  now: fixedClock('2025-07-01T02:00:00Z').now,
  sleep: async (ms: number) => {
    slept.push(ms);
  },
  requestId: () => 'req-0001',
};
afterEach(() => {
  slept.length = 0;
});

const CAR = {
  sfzh: PERSON.idNumber,
  hphm: '甘M12345',
  cllx: '小型普通客车',
  syxz: '非营运',
  ccdjrq: '2019-05-20',
  zt: '正常',
};

function expectCaseAndOperator(entry: Seen): void {
  expect(entry.headers['x-hedui-case']).toBe('HD-2025-000123');
  expect(entry.headers['x-hedui-operator']).toBe('u-42');
  expect(decodeURIComponent(String(entry.headers['x-hedui-operator-name']))).toBe('李核对');
  expect(entry.headers['x-request-id']).toBe('req-0001');
}

describe('queryPerson against a real HTTP server', () => {
  it('maps the returned records into catalog values and names the case and operator', async () => {
    respondWith(json(200, { code: 0, data: { records: [CAR] } }));
    const result = await queryPerson(config(), PERSON, deps);

    expect(result).toEqual({
      status: 'ok',
      departmentCode: 'public_security',
      dataset: 'vehicle',
      rows: [
        {
          idNumber: PERSON.idNumber,
          name: '张三',
          plateNumber: '甘M12345',
          vehicleType: '小型普通客车',
          useCharacter: '非营运',
          firstRegistrationDate: '2019-05-20',
          vehicleStatus: '正常',
          disabilityVehicle: false,
        },
      ],
      rejectedRows: [],
      request: { attempts: 1, durationMs: 0, requestId: 'req-0001' },
      respondedAt: '2025-07-01T02:00:00.000Z',
    });
    expect(seen).toHaveLength(1);
    const [entry] = seen;
    if (!entry) throw new Error('no request seen');
    expect(entry.method).toBe('POST');
    expect(entry.path).toBe('/api/vehicles');
    expect(entry.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(entry.body)).toEqual({
      idNumber: PERSON.idNumber,
      name: '张三',
      caseNumber: 'HD-2025-000123',
      operator: { userId: 'u-42', name: '李核对' },
    });
    expectCaseAndOperator(entry);
    expect(entry.headers.authorization).toBe('Bearer tok-SECRET-123');
  });

  it('sends a GET with the configured field names in the query and basic authentication', async () => {
    respondWith(
      json(200, [
        {
          unit: { no: '621002001001GB00001F00010001' },
          yt: '住宅',
          mj: '89.65',
          djrq: '2016-09-12',
          qlzt: '现势',
          gyfs: '单独所有',
        },
      ]),
    );
    const result = await queryPerson(
      config({
        departmentCode: 'natural_resources',
        dataset: 'real_estate',
        url: `${baseUrl}/bdc/query?channel=hedui`,
        auth: { kind: 'basic', username: 'hedui', password: 'p@ss word' },
        request: { method: 'GET', idField: 'zjhm', nameField: 'xm', caseField: 'ajbh', operatorField: 'czr' },
        response: {
          rowsPath: '',
          fieldMap: {
            unitNumber: 'unit.no',
            purpose: 'yt',
            floorArea: 'mj',
            registrationDate: 'djrq',
            rightStatus: 'qlzt',
            ownershipMode: 'gyfs',
          },
        },
      }),
      PERSON,
      deps,
    );

    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.rows).toEqual([
      {
        idNumber: PERSON.idNumber,
        name: '张三',
        unitNumber: '621002001001GB00001F00010001',
        location: null,
        purpose: '住宅',
        floorArea: 8965,
        registrationDate: '2016-09-12',
        rightStatus: '现势',
        ownershipMode: '单独所有',
        share: 10000,
      },
    ]);
    const [entry] = seen;
    if (!entry) throw new Error('no request seen');
    expect(entry.method).toBe('GET');
    expect(Object.fromEntries(entry.query)).toEqual({
      channel: 'hedui',
      zjhm: PERSON.idNumber,
      xm: '张三',
      ajbh: 'HD-2025-000123',
      czr: 'u-42',
      czrName: '李核对',
    });
    expectCaseAndOperator(entry);
    expect(entry.headers.authorization).toBe(`Basic ${Buffer.from('hedui:p@ss word').toString('base64')}`);
  });

  it('sends a custom authentication header', async () => {
    respondWith(json(200, { data: { records: [] } }));
    await queryPerson(
      config({ auth: { kind: 'header', name: 'X-Api-Key', value: 'key-777' } }),
      PERSON,
      deps,
    );
    expect(seen[0]?.headers['x-api-key']).toBe('key-777');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('treats an empty array as a real nothing-found', async () => {
    respondWith(json(200, { data: { records: [] } }));
    const result = await queryPerson(config(), PERSON, deps);
    expect(result).toMatchObject({ status: 'ok', rows: [], rejectedRows: [], request: { attempts: 1 } });
  });

  it('reports records that fail the catalog rules or belong to someone else instead of dropping them', async () => {
    respondWith(
      json(200, {
        data: {
          records: [
            CAR,
            { ...CAR, hphm: '甘M99999', syxz: '出租', ccdjrq: '2030-01-01' },
            { ...CAR, sfzh: OTHER_ID },
            'garbage',
          ],
        },
      }),
    );
    const result = await queryPerson(config(), PERSON, deps);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.rows).toHaveLength(1);
    expect(
      result.rejectedRows.map((row) => ({ index: row.index, codes: row.errors.map((error) => error.code) })),
    ).toEqual([
      { index: 1, codes: ['INVALID_ENUM', 'FUTURE_DATE'] },
      { index: 2, codes: ['OTHER_PERSON'] },
      { index: 3, codes: ['NOT_AN_OBJECT'] },
    ]);
    expect(result.rejectedRows[0]?.errors[0]?.column).toBe('使用性质');
    expect(JSON.stringify(result.rejectedRows[1])).not.toContain(OTHER_ID);
  });

  it('retries a timeout and ends unavailable after retries + 1 attempts, naming the case every time', async () => {
    respondWith(delayed(400, json(200, { data: { records: [CAR] } })));
    const started = Date.now();
    const result = await queryPerson(config({ timeoutMs: 100, retries: 2, backoffMs: 10 }), PERSON, deps);

    expect(result).toMatchObject({ status: 'unavailable', reason: 'TIMEOUT', attempts: 3 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen).toHaveLength(3);
    for (const entry of seen) {
      expectCaseAndOperator(entry);
      expect(JSON.parse(entry.body)).toMatchObject({
        caseNumber: 'HD-2025-000123',
        operator: { userId: 'u-42' },
      });
    }
    expect(seen.map((entry) => entry.headers['x-hedui-attempt'])).toEqual(['1', '2', '3']);
    expect(slept).toEqual([10, 20]);
    if (result.status === 'unavailable') expect(result.message).toContain('100毫秒内未响应');
  });

  it('counts a body that stalls after the headers against the timeout', async () => {
    respondWith((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"data": {"records": [');
    });
    const result = await queryPerson(config({ timeoutMs: 100, retries: 0 }), PERSON, deps);
    expect(result).toMatchObject({ status: 'unavailable', reason: 'TIMEOUT', attempts: 1 });
  });

  it('recovers from a 500 with one retry after the backoff', async () => {
    respondWith(json(500, { error: 'db down' }), json(200, { data: { records: [CAR] } }));
    const result = await queryPerson(config(), PERSON, deps);
    expect(result).toMatchObject({ status: 'ok', request: { attempts: 2 } });
    expect(slept).toEqual([5]);
    expect(seen).toHaveLength(2);
    for (const entry of seen) expectCaseAndOperator(entry);
  });

  it('honours Retry-After on 429, capped', async () => {
    respondWith(
      json(429, { error: 'slow down' }, { 'Retry-After': '1' }),
      json(429, { error: 'slow down' }, { 'Retry-After': '3600' }),
      json(200, { data: { records: [CAR] } }),
    );
    const result = await queryPerson(config(), PERSON, deps);
    expect(result).toMatchObject({ status: 'ok', request: { attempts: 3 } });
    expect(slept).toEqual([1000, 10_000]);
  });

  it('ends HTTP_ERROR with the status after exhausting retries on 503', async () => {
    respondWith(json(503, { error: 'maintenance' }));
    const result = await queryPerson(config({ retries: 1 }), PERSON, deps);
    expect(result).toMatchObject({
      status: 'unavailable',
      reason: 'HTTP_ERROR',
      httpStatus: 503,
      attempts: 2,
    });
  });

  it.each([404, 401, 400])('does not retry a %i and never returns the credential', async (status) => {
    respondWith(json(status, { error: 'nope', echoed: 'Bearer tok-SECRET-123' }));
    const result = await queryPerson(config(), PERSON, deps);
    expect(result).toMatchObject({
      status: 'unavailable',
      reason: 'HTTP_ERROR',
      httpStatus: status,
      attempts: 1,
    });
    expect(seen).toHaveLength(1);
    expect(slept).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('SECRET');
    expect(JSON.stringify(result)).not.toContain(PERSON.idNumber);
  });

  it('does not follow a redirect that would carry the credential elsewhere', async () => {
    respondWith(json(302, {}, { Location: 'https://elsewhere.example/' }));
    const result = await queryPerson(config(), PERSON, deps);
    expect(result).toMatchObject({
      status: 'unavailable',
      reason: 'HTTP_ERROR',
      httpStatus: 302,
      attempts: 1,
    });
  });

  it.each([
    ['malformed JSON', '{"data": {"records": [', '不是有效的JSON'],
    ['a missing rowsPath', { data: {} }, '缺少记录数组'],
    ['a rowsPath that is not an array', { data: { records: { total: 0 } } }, '不是数组'],
    ['a null body', 'null', '缺少记录数组'],
  ])('turns %s in a 200 into BAD_RESPONSE, never an empty result', async (_label, body, text) => {
    respondWith(json(200, body));
    const result = await queryPerson(config(), PERSON, deps);
    expect(result).toMatchObject({
      status: 'unavailable',
      reason: 'BAD_RESPONSE',
      httpStatus: 200,
      attempts: 1,
    });
    if (result.status === 'unavailable') expect(result.message).toContain(text);
  });

  it('reports NETWORK_ERROR when nothing listens, after the retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await queryPerson(config({ url: `http://127.0.0.1:${port}/q`, retries: 1 }), PERSON, deps);
    expect(result).toMatchObject({ status: 'unavailable', reason: 'NETWORK_ERROR', attempts: 2 });
  });

  it('refuses to query without a valid ID number or a case', async () => {
    await expect(queryPerson(config(), { ...PERSON, idNumber: '621002198503150411' }, deps)).rejects.toThrow(
      '身份证号不正确',
    );
    await expect(queryPerson(config(), { ...PERSON, caseNumber: ' ' }, deps)).rejects.toThrow('案件编号');
    expect(seen).toHaveLength(0);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates and caps long waits', () => {
    const now = new Date('2025-07-01T02:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Tue, 01 Jul 2025 02:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('86400', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
