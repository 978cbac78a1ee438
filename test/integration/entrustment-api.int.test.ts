import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createHeduiClient,
  documentUpload,
  type HeduiClient,
  requestAccessToken,
} from '../../client/v1/index.ts';
import { REPLY_SHEET } from '../../src/domain/exchange/offline-exchange.ts';
import { useTestApp } from '../support/app.ts';
import { authorizationPdf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, multipart, personName } from '../support/department-data.ts';
import { exportAs } from '../support/exports.ts';

/**
 * The integration API end to end (issue #9 item 5), over a real loopback socket and with the GENERATED client:
 * a requester organisation's key (issued by the administrator), an OAuth2 token for it, one entrustment from
 * submission through its authorizations to the agency's report, the receipt and report PDFs; scopes, revocation,
 * another requester's case, idempotent retries; and a department's key answering an offline exchange.
 */

const pdfText = (bytes: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes }).toString('utf8');

const MEMBERS = [
  { idNumber: idNumber(9301), name: personName(9301), relation: '本人' },
  { idNumber: idNumber(9302), name: personName(9302), relation: '配偶' },
];
const ENTRUSTMENT = { assistanceType: 'subsistence_allowance', members: MEMBERS };

interface IssuedKey {
  apiKey: { id: number; prefix: string; scopes: string[] };
  key: string;
}

describeEachDatabase('integration API v1 with the generated client', (dialect) => {
  const t = useTestApp(dialect, { env: { HEDUI_PASSWORD_MAX_AGE_DAYS: '0' } });
  let baseUrl = '';
  let admin = '';
  let requesterKey: IssuedKey;
  let hedui: HeduiClient;

  const orgOf = async (username: string) => {
    const user = await t.deps.store.users.getByUsername(username);
    if (!user) throw new Error(`no user ${username}`);
    return user.organisationId;
  };
  const issueKey = async (organisationId: number, name: string, scopes?: string[]) => {
    const res = await t.call('POST', '/api/api-keys', {
      cookie: admin,
      body: { organisationId, name, ...(scopes ? { scopes } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<IssuedKey>();
  };
  const tokenClient = async (key: string, scope?: string) => {
    const token = await requestAccessToken({ baseUrl, apiKey: key, ...(scope ? { scope } : {}) });
    return { token, client: createHeduiClient({ baseUrl, token: token.access_token }) };
  };

  beforeAll(async () => {
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    admin = await t.login('admin');
    requesterKey = await issueKey(await orgOf('xifeng_requester'), '西峰救助系统');
    hedui = (await tokenClient(requesterKey.key)).client;
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('issues requester keys with the requester scopes and refuses scopes of another kind', async () => {
    expect(requesterKey.apiKey.scopes.sort()).toEqual([
      'documents:read',
      'entrustments:read',
      'entrustments:write',
      'registry:search',
      'webhooks:manage',
    ]);
    const wrong = await t.call('POST', '/api/api-keys', {
      cookie: admin,
      body: { organisationId: await orgOf('xifeng_requester'), name: 'x', scopes: ['batches:write'] },
    });
    expect(wrong.statusCode).toBe(400);
    const listed = await t.call('GET', '/api/api-keys', { cookie: admin });
    const row = listed
      .json<{ items: { id: number; scopes: string[] }[] }>()
      .items.find((k) => k.id === requesterKey.apiKey.id);
    expect(row?.scopes).toContain('entrustments:write');
  });

  it('answers token requests as RFC 6749 does: form or JSON or Basic, §5.2 errors', async () => {
    const form = await fetch(`${baseUrl}/api/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: requesterKey.apiKey.prefix,
        client_secret: requesterKey.key,
        scope: 'entrustments:read documents:read',
      }),
    });
    expect(form.status).toBe(200);
    expect(form.headers.get('cache-control')).toBe('no-store');
    const granted = (await form.json()) as Record<string, unknown>;
    expect(granted).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'entrustments:read documents:read',
    });
    expect(String(granted.access_token)).toMatch(/^hdt_/);

    const basic = Buffer.from(`${requesterKey.apiKey.prefix}:${requesterKey.key}`).toString('base64');
    const viaBasic = await fetch(`${baseUrl}/api/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    expect(viaBasic.status).toBe(200);

    const errorOf = async (body: Record<string, string>) => {
      const res = await fetch(`${baseUrl}/api/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error: string; error_description: string } };
    };
    const badSecret = await errorOf({
      grant_type: 'client_credentials',
      client_id: requesterKey.apiKey.prefix,
      client_secret: `${requesterKey.key.slice(0, -2)}xx`,
    });
    expect(badSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(badSecret.body.error_description).toMatch(/客户端认证失败/);
    expect(await errorOf({ grant_type: 'password', client_id: 'x', client_secret: 'y' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(
      await errorOf({
        grant_type: 'client_credentials',
        client_id: requesterKey.apiKey.prefix,
        client_secret: requesterKey.key,
        scope: 'batches:write',
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const refused = await t.audit('OAUTH_TOKEN_REFUSED');
    expect(refused.map((e) => (e.details as { error: string }).error)).toEqual(
      expect.arrayContaining(['invalid_client', 'unsupported_grant_type', 'invalid_scope']),
    );
  });

  let caseId = 0;
  let caseNumber = '';

  it('drives one entrustment from submission to the report PDF', async () => {
    // Submission, with the requester system's own reference.
    const submitted = await hedui.POST('/api/v1/entrustments', {
      body: { ...ENTRUSTMENT, externalRef: 'XF-2025-0001' },
    });
    expect(submitted.error, JSON.stringify(submitted.error)).toBeUndefined();
    const created = submitted.data?.entrustment;
    if (!created) throw new Error('no entrustment');
    caseId = created.id;
    caseNumber = created.number;
    expect(created).toMatchObject({
      state: 'submitted',
      stateLabel: '待受理',
      externalRef: 'XF-2025-0001',
      missingAuthorizations: [0, 1],
    });
    expect(submitted.data?.replayed).toBe(false);

    // One authorization per member, through the same checks as the web upload.
    for (const memberIndex of [0, 1]) {
      const uploaded = await hedui.POST('/api/v1/entrustments/{id}/documents', {
        params: { path: { id: caseId } },
        ...documentUpload({
          kind: 'authorization',
          memberIndex,
          file: new Blob([new Uint8Array(authorizationPdf())], { type: 'application/pdf' }),
          fileName: `授权书-${memberIndex}.pdf`,
        }),
      });
      expect(uploaded.error, JSON.stringify(uploaded.error)).toBeUndefined();
    }
    const notPdf = await hedui.POST('/api/v1/entrustments/{id}/documents', {
      params: { path: { id: caseId } },
      ...documentUpload({ kind: 'other', file: new Blob(['MZ not a document']), fileName: 'x.exe' }),
    });
    expect(notPdf.response.status).toBe(415);

    // Polling: the status and what is missing.
    const polled = await hedui.GET('/api/v1/entrustments/{id}', { params: { path: { id: caseId } } });
    expect(polled.data?.entrustment.missingAuthorizations).toEqual([]);
    expect(polled.data?.entrustment.deadlines.map((d) => d.kind)).toContain('acceptance');

    // The agency accepts (the receipt is issued) and reports, through its own screens' API.
    const staff = await t.login('xifeng_staff');
    const reviewer = await t.login('xifeng_reviewer');
    const accepted = await t.call('POST', `/api/cases/${caseId}/accept`, {
      cookie: staff,
      body: { handlerId: await t.userId('xifeng_staff'), reviewerId: await t.userId('xifeng_reviewer') },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const assessed = await t.call('POST', '/api/assessments', {
      cookie: staff,
      body: {
        caseRef: caseNumber,
        regionCode: '621002',
        assistanceType: 'subsistence_allowance',
        members: MEMBERS,
      },
    });
    expect(assessed.statusCode, assessed.body).toBe(200);
    for (const [cookie, path] of [
      [staff, 'report/submit'],
      [reviewer, 'report/approve'],
    ] as const) {
      const res = await t.call('POST', `/api/cases/${caseId}/${path}`, { cookie, body: {} });
      expect(res.statusCode, res.body).toBe(200);
    }

    const since = new Date(Date.parse(polled.data?.entrustment.updatedAt ?? '') - 1).toISOString();
    const changed = await hedui.GET('/api/v1/entrustments', {
      params: { query: { updatedSince: since, state: 'reported' } },
    });
    expect(changed.data?.items.map((c) => [c.id, c.externalRef, c.stateLabel])).toEqual([
      [caseId, 'XF-2025-0001', '已出具报告'],
    ]);

    const done = await hedui.GET('/api/v1/entrustments/{id}', { params: { path: { id: caseId } } });
    const documents = done.data?.entrustment.documents ?? [];
    expect(documents.map((d) => d.kind).sort()).toEqual(['receipt', 'report']);
    for (const document of documents) {
      expect(document.downloadPath).toBe(`/api/v1/entrustments/${caseId}/documents/${document.id}`);
      const pdf = await hedui.GET('/api/v1/entrustments/{id}/documents/{documentId}', {
        params: { path: { id: caseId, documentId: document.id } },
        parseAs: 'arrayBuffer',
      });
      expect(pdf.response.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(pdf.data as ArrayBuffer);
      expect(bytes.subarray(0, 4).toString()).toBe('%PDF');
      expect(pdfText(bytes)).toContain(caseNumber);
    }

    // Every look was audited with the case, under the key's name.
    const downloads = (await t.audit('CASE_DOCUMENT_DOWNLOADED')).filter((e) => e.caseId === caseNumber);
    expect(downloads).toHaveLength(2);
    expect(downloads.every((e) => e.actorName?.includes(requesterKey.apiKey.prefix))).toBe(true);
    const views = (await t.audit('CASE_VIEWED')).filter((e) => e.caseId === caseNumber);
    expect(
      views.some((e) => e.actorName === `API密钥 西峰救助系统（${requesterKey.apiKey.prefix}·OAuth）`),
    ).toBe(true);
  });

  it('returns the same entrustment to a retried submission (Idempotency-Key or externalRef)', async () => {
    const headers = { 'idempotency-key': 'retry-7f3a' };
    const first = await hedui.POST('/api/v1/entrustments', {
      body: ENTRUSTMENT,
      params: { header: headers },
    });
    const again = await hedui.POST('/api/v1/entrustments', {
      body: ENTRUSTMENT,
      params: { header: headers },
    });
    expect(first.data?.replayed).toBe(false);
    expect(again.data?.replayed).toBe(true);
    expect(again.data?.entrustment.id).toBe(first.data?.entrustment.id);

    const byRef = await hedui.POST('/api/v1/entrustments', {
      body: { ...ENTRUSTMENT, externalRef: 'XF-2025-0001' },
    });
    expect(byRef.data).toMatchObject({ replayed: true, entrustment: { id: caseId } });

    const requester = await orgOf('xifeng_requester');
    const cases = await t.deps.store.cases.list({
      regionScope: null,
      requesterOrganisationId: requester,
      offset: 0,
      limit: 100,
    });
    expect(cases.total).toBe(2);
  });

  it('refuses a token without the scope (403 SCOPE_REQUIRED, audited)', async () => {
    const { client } = await tokenClient(requesterKey.key, 'entrustments:read');
    const read = await client.GET('/api/v1/entrustments/{id}', { params: { path: { id: caseId } } });
    expect(read.response.status).toBe(200);
    const write = await client.POST('/api/v1/entrustments', { body: ENTRUSTMENT });
    expect(write.response.status).toBe(403);
    expect((write.error as { error: { code: string } }).error.code).toBe('SCOPE_REQUIRED');
    const denied = await t.audit('PERMISSION_DENIED');
    expect(denied[0]?.details).toMatchObject({
      route: '/api/v1/entrustments',
      reason: 'SCOPE:entrustments:write',
    });

    const limitedKey = await issueKey(await orgOf('xifeng_requester'), '只读', ['entrustments:read']);
    const byKey = createHeduiClient({ baseUrl, apiKey: limitedKey.key });
    const pdf = await byKey.GET('/api/v1/entrustments/{id}/documents/{documentId}', {
      params: { path: { id: caseId, documentId: 1 } },
    });
    expect(pdf.response.status).toBe(403);
  });

  it("answers 404 for another requester's entrustment", async () => {
    const other = await issueKey(await orgOf('qingcheng_requester'), '庆城救助系统');
    const { client } = await tokenClient(other.key);
    const res = await client.GET('/api/v1/entrustments/{id}', { params: { path: { id: caseId } } });
    expect(res.response.status).toBe(404);
    expect((res.error as { error: { code: string } }).error.code).toBe('OUT_OF_SCOPE');
    const list = await client.GET('/api/v1/entrustments', { params: { query: {} } });
    expect(list.data?.items.map((c) => c.id)).not.toContain(caseId);
  });

  it("ends a key's tokens with its revocation", async () => {
    const key = await issueKey(await orgOf('xifeng_requester'), '将吊销');
    const { client } = await tokenClient(key.key);
    expect((await client.GET('/api/v1/entrustments', { params: { query: {} } })).response.status).toBe(200);
    const revoked = await t.call('POST', `/api/api-keys/${key.apiKey.id}/revoke`, { cookie: admin });
    expect(revoked.statusCode).toBe(204);
    const after = await client.GET('/api/v1/entrustments', { params: { query: {} } });
    expect(after.response.status).toBe(401);
    await expect(requestAccessToken({ baseUrl, apiKey: key.key })).rejects.toThrow(/invalid_client/);
  });

  it('expires tokens after an hour', async () => {
    const { client } = await tokenClient(requesterKey.key);
    t.clock.advance(3601 * 1000);
    try {
      const res = await client.GET('/api/v1/entrustments', { params: { query: {} } });
      expect(res.response.status).toBe(401);
    } finally {
      t.clock.advance(-3601 * 1000);
    }
  });

  it('lets a department key answer an offline exchange through v1', async () => {
    const staff = await t.login('xifeng_staff');
    // A case being verified (the entrustment above is reported already): the one the exchange serves.
    const verified = [9311, 9312].map((i, n) => ({
      idNumber: idNumber(i),
      name: personName(i),
      relation: n ? '配偶' : '本人',
    }));
    const open = await openCase(t.deps, verified);
    const persons = verified.map((m) => ({ caseRef: open.number, idNumber: m.idNumber, name: m.name }));
    const created = await t.call('POST', '/api/offline-exchanges', {
      cookie: staff,
      body: { departmentCode: 'finance', dataset: 'payroll', persons },
    });
    expect(created.statusCode, created.body).toBe(200);
    const exchangeId = created.json<{ exchange: { id: number } }>().exchange.id;
    const exported = await exportAs(
      t,
      'xifeng_staff',
      { kind: 'offline_exchange', exchangeId },
      { cookie: staff },
    );
    expect(exported.statusCode, exported.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(REPLY_SHEET) as ExcelJS.Worksheet;
    const first = verified[0] as (typeof verified)[number];
    [
      '1',
      open.number,
      first.idNumber,
      first.name,
      null,
      '西峰区第一小学',
      '2025-08',
      '6820.00',
      '5312.45',
    ].forEach((v, i) => {
      sheet.getCell(2, i + 1).value = v;
    });

    const finance = await issueKey(
      (await t.deps.store.organisations.list(null)).find((o) => o.departmentCode === 'finance')?.id ?? -1,
      '财政系统',
    );
    expect(finance.apiKey.scopes.sort()).toEqual(['batches:write', 'exchanges:write']);
    const department = createHeduiClient({ baseUrl, apiKey: finance.key });
    const pending = await department.GET('/api/v1/offline-exchanges', { params: { query: {} } });
    expect(pending.data?.items.map((e) => e.id)).toContain(exchangeId);

    const { payload, headers } = multipart(
      {},
      { name: 'reply.xlsx', content: Buffer.from(await workbook.xlsx.writeBuffer()) },
    );
    const answered = await fetch(`${baseUrl}/api/v1/offline-exchanges/${exchangeId}/answer`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${finance.key}` },
      body: new Uint8Array(payload),
    });
    const result = (await answered.json()) as { status: string; personsWithRecords: number };
    expect(answered.status, JSON.stringify(result)).toBe(200);
    expect(result).toMatchObject({ status: 'answered', personsWithRecords: 1 });

    // A department key reaches no requester route, and a requester key no department route.
    const wrongKind = await department.GET('/api/v1/entrustments', { params: { query: {} } });
    expect(wrongKind.response.status).toBe(403);
    const requesterOnExchanges = await hedui.GET('/api/v1/offline-exchanges', { params: { query: {} } });
    expect(requesterOnExchanges.response.status).toBe(403);
  });

  it('serves its own OpenAPI document with the scopes of each operation', async () => {
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
    const doc = (await res.json()) as {
      info: { version: string };
      paths: Record<string, Record<string, { operationId: string; security: Record<string, string[]>[] }>>;
      components: {
        securitySchemes: Record<string, { flows?: { clientCredentials: { tokenUrl: string } } }>;
      };
    };
    expect(doc.info.version).toMatch(/^1\./);
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
    expect(doc.paths['/api/v1/entrustments']?.post?.security).toEqual([
      { apiKey: ['entrustments:write'] },
      { oauth2: ['entrustments:write'] },
      { session: [] },
    ]);
    expect(doc.paths['/api/v1/datasets/{code}/batches']?.post?.security?.[0]).toEqual({
      apiKey: ['batches:write'],
    });
    expect(doc.components.securitySchemes.oauth2?.flows?.clientCredentials.tokenUrl).toBe(
      '/api/v1/oauth/token',
    );
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const whole = await (await fetch(`${baseUrl}/api/openapi.json`)).json();
    expect(Object.keys((whole as { paths: object }).paths)).toContain('/api/cases');
  });
});
