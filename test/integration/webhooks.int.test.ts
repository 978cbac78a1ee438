import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { verifyWebhook } from '../../client/webhooks.ts';
import { sendDeadlineReminders } from '../../src/app/cases/deadline-reminders.ts';
import { createApiKey } from '../../src/app/ingest/api-keys.ts';
import { deliverWebhooks } from '../../src/app/webhooks/deliver-webhooks.ts';
import { recordCaseEvent } from '../../src/app/webhooks/outbox.ts';
import type { ApiScope } from '../../src/domain/access/scopes.ts';
import { httpWebhookSender } from '../../src/webhooks/http-sender.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { actorOf, openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on the loopback interface: it keeps every request and answers from a script (default 200). */
class Receiver {
  readonly received: Received[] = [];
  script: number[] = [];
  delayMs = 0;
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const status = this.script.shift() ?? 200;
      setTimeout(() => res.writeHead(status).end(status === 200 ? 'ok' : 'nope'), this.delayMs);
    });
  });
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
  }
  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
  async stop(): Promise<void> {
    await new Promise((r) => this.server.close(r));
  }
}

const MEMBERS = [
  { idNumber: idNumber(40), name: personName(40), relation: '本人', coResiding: true },
  { idNumber: idNumber(41), name: personName(41), relation: '配偶', coResiding: true },
];
const BOTH = ['entrustment.state_changed', 'entrustment.document_issued'];

describeEachDatabase('webhooks to requesters’ systems', (dialect) => {
  const t = useTestApp(dialect, {
    env: {
      HEDUI_WEBHOOK_ALLOW_HTTP: 'true',
      HEDUI_WEBHOOK_ALLOW_LOOPBACK: 'true',
      HEDUI_WEBHOOK_DISABLE_AFTER_FAILURES: '3',
    },
  });
  const receiver = new Receiver();
  let paths = 0;
  let session: { cookie: string; at: number } | null = null;
  /** 西峰区's requester, signed in again when the driven clock has let the session lapse. */
  async function requesterCookie(): Promise<string> {
    const now = t.clock.now().getTime();
    if (!session || now - session.at > 10 * 60_000 || now < session.at)
      session = { cookie: await t.login('xifeng_requester'), at: now };
    return session.cookie;
  }

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => {
    receiver.script = [];
    receiver.delayMs = 0;
  });

  /** A new subscription of 西峰区's requester to its own receiver path. */
  async function subscribe(eventTypes: string[] = BOTH) {
    const path = `/hook-${++paths}`;
    const res = await t.call('POST', '/api/v1/webhooks', {
      cookie: await requesterCookie(),
      body: { url: receiver.url(path), eventTypes },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ subscription: { id: number }; secret: string }>();
    return { id: body.subscription.id, secret: body.secret, path };
  }

  async function deliveries(id: number) {
    const res = await t.call('GET', `/api/v1/webhooks/${id}/deliveries`, { cookie: await requesterCookie() });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      items: {
        id: number;
        state: string;
        messageId: string;
        attempts: number;
        nextAttemptAt: string | null;
        attemptLog: { statusCode: number | null; error: string | null; durationMs: number; at: string }[];
      }[];
      total: number;
    }>();
  }

  it('creates a subscription with a whsec_ secret shown once, stored only encrypted, and audits it', async () => {
    const sub = await subscribe();
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(sub.secret.slice(6), 'base64')).toHaveLength(32);
    const row = await t.deps.store.webhooks.getSubscription(sub.id);
    expect(row?.secretEnc).not.toContain(sub.secret.slice(6));
    expect(t.deps.crypto.decrypt(row?.secretEnc as string)).toBe(sub.secret);
    const list = await t.call('GET', '/api/v1/webhooks', { cookie: await requesterCookie() });
    expect(list.body).not.toContain(sub.secret.slice(6));
    const [created] = await t.audit('WEBHOOK_CREATED');
    expect(created).toMatchObject({ objectId: String(sub.id), outcome: 'success' });
    expect(JSON.stringify(created)).not.toContain(sub.secret.slice(6));
  });

  it('announces a submitted and accepted case in event order, signed, without names or ID numbers', async () => {
    const sub = await subscribe();
    const kase = await openCase(t.deps, MEMBERS);
    const summary = await deliverWebhooks(t.deps);
    expect(summary.failed + summary.retrying).toBe(0);
    const got = receiver.on(sub.path);
    const events = (await t.deps.store.cases.events(kase.id)).filter((e) => e.fromState !== e.toState);
    const documents = await t.deps.store.cases.documents(kase.id);
    expect(got).toHaveLength(events.length + documents.length);
    const payloads = got.map((r) => verifyWebhook(sub.secret, r.headers, r.body, 300, t.clock.now()));
    const changes = payloads.filter((p) => p.type === 'entrustment.state_changed');
    // In the order the case's history recorded them, first the submission.
    expect(changes.map((p) => p.data.state)).toEqual(events.map((e) => e.toState));
    expect(changes[0]?.data).toMatchObject({
      entrustmentId: kase.id,
      caseNumber: kase.number,
      state: 'submitted',
      stateLabel: '待受理',
      previousState: null,
    });
    const issued = payloads.filter((p) => p.type === 'entrustment.document_issued');
    expect(issued.map((p) => p.data.documentNumber)).toEqual(documents.map((d) => d.number));
    expect(issued[0]?.data).toMatchObject({ documentKind: 'receipt', documentKindLabel: '受理回执' });
    for (const r of got) {
      for (const m of MEMBERS) {
        expect(r.body).not.toContain(m.name);
        expect(r.body).not.toContain(m.idNumber);
      }
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(got.length);
  });

  it('retries a receiver answering 500 twice after 1 and 5 minutes, logs every attempt, keeps the webhook-id', async () => {
    const sub = await subscribe();
    receiver.script = [500, 500, 200];
    expect(
      (await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() }))
        .statusCode,
    ).toBe(202);
    const start = t.clock.now().getTime();
    expect(await deliverWebhooks(t.deps)).toMatchObject({ attempted: 1, retrying: 1 });
    let [d] = (await deliveries(sub.id)).items;
    expect(d).toMatchObject({ state: 'pending', attempts: 1 });
    expect(Date.parse(d?.nextAttemptAt as string) - start).toBe(60_000);
    // Not due yet: nothing is sent.
    t.clock.advance(59_000);
    expect((await deliverWebhooks(t.deps)).attempted).toBe(0);
    t.clock.advance(1_000);
    expect(await deliverWebhooks(t.deps)).toMatchObject({ attempted: 1, retrying: 1 });
    [d] = (await deliveries(sub.id)).items;
    expect(Date.parse(d?.nextAttemptAt as string) - t.clock.now().getTime()).toBe(5 * 60_000);
    t.clock.advance(4 * 60_000);
    expect((await deliverWebhooks(t.deps)).attempted).toBe(0);
    t.clock.advance(60_000);
    expect(await deliverWebhooks(t.deps)).toMatchObject({ attempted: 1, delivered: 1 });
    [d] = (await deliveries(sub.id)).items;
    expect(d).toMatchObject({ state: 'delivered', attempts: 3, nextAttemptAt: null });
    expect(d?.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(d?.attemptLog.map((a) => a.error)).toEqual(['对方返回 HTTP 500', '对方返回 HTTP 500', null]);
    expect(d?.attemptLog.map((a) => Date.parse(a.at) - start)).toEqual([0, 60_000, 6 * 60_000]);
    for (const a of d?.attemptLog ?? []) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    const got = receiver.on(sub.path);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([d?.messageId]));
    // A fresh timestamp and signature on each attempt.
    expect(new Set(got.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);
    expect(
      verifyWebhook(sub.secret, got[2]?.headers ?? {}, got[2]?.body ?? '', 300, t.clock.now()).type,
    ).toBe('ping');
  });

  it('fails a delivery after the 8th attempt, and turns off a subscription failing 3 attempts in a row', async () => {
    const sub = await subscribe();
    receiver.script = Array(20).fill(500);
    await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() });
    for (let i = 0; i < 3; i++) {
      await deliverWebhooks(t.deps);
      t.clock.advance(24 * 3_600_000);
    }
    const row = await t.deps.store.webhooks.getSubscription(sub.id);
    expect(row).toMatchObject({ active: false, consecutiveFailures: 3 });
    expect(row?.disabledReason).toContain('连续 3 次');
    const [disabled] = await t.audit('WEBHOOK_DISABLED');
    expect(disabled).toMatchObject({ objectId: String(sub.id), outcome: 'success' });
    const notices = await t.call('GET', '/api/notices', { cookie: await requesterCookie() });
    expect(notices.body).toContain('接口推送已自动停用');
    // Off: nothing is sent until it is turned on again; then the delivery goes on to its 8th attempt.
    expect((await deliverWebhooks(t.deps)).attempted).toBe(0);
    const on = await t.call('PATCH', `/api/v1/webhooks/${sub.id}`, {
      cookie: await requesterCookie(),
      body: { active: true },
    });
    expect(on.json()).toMatchObject({ active: true, disabledReason: null, consecutiveFailures: 0 });
    await t.deps.store.webhooks.updateSubscription(sub.id, { consecutiveFailures: -100 });
    for (let i = 0; i < 6; i++) {
      await deliverWebhooks(t.deps);
      t.clock.advance(24 * 3_600_000);
    }
    const [d] = (await deliveries(sub.id)).items;
    expect(d).toMatchObject({ state: 'failed', attempts: 8, nextAttemptAt: null });
    expect(d?.attemptLog).toHaveLength(8);
    expect(receiver.on(sub.path)).toHaveLength(8);
    // Sent again by hand: from the first attempt, with the same webhook-id.
    const again = await t.call('POST', `/api/v1/webhook-deliveries/${d?.id}/redeliver`, {
      cookie: await requesterCookie(),
    });
    expect(again.json()).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await t.audit('WEBHOOK_REDELIVERED'))[0]).toMatchObject({ objectId: String(d?.id) });
    receiver.script = [];
    expect(await deliverWebhooks(t.deps)).toMatchObject({ delivered: 1 });
    expect(receiver.on(sub.path).at(-1)?.headers['webhook-id']).toBe(d?.messageId);
    const busy = await t.call('POST', `/api/v1/webhook-deliveries/${d?.id}/redeliver`, {
      cookie: await requesterCookie(),
    });
    expect(busy.statusCode).toBe(202);
  });

  it('fails verification of a tampered body, an old timestamp, another secret or a missing signature', async () => {
    const sub = await subscribe(['entrustment.state_changed']);
    await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() });
    await deliverWebhooks(t.deps);
    const [r] = receiver.on(sub.path);
    if (!r) throw new Error('nothing received');
    const now = t.clock.now();
    expect(verifyWebhook(sub.secret, r.headers, r.body, 300, now).type).toBe('ping');
    expect(() => verifyWebhook(sub.secret, r.headers, r.body.replace('ping', 'pong'), 300, now)).toThrow(
      /no matching signature/,
    );
    expect(() =>
      verifyWebhook(sub.secret, r.headers, r.body, 300, new Date(now.getTime() + 301_000)),
    ).toThrow(/tolerance/);
    expect(() =>
      verifyWebhook(sub.secret, r.headers, r.body, 300, new Date(now.getTime() - 301_000)),
    ).toThrow(/tolerance/);
    const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => verifyWebhook(other, r.headers, r.body, 300, now)).toThrow(/no matching signature/);
    const { 'webhook-signature': _, ...unsigned } = r.headers;
    expect(() => verifyWebhook(sub.secret, unsigned, r.body, 300, now)).toThrow(/missing/);
  });

  it('rotates the secret: both sign for 24 hours, then only the new one', async () => {
    const sub = await subscribe();
    const res = await t.call('POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, {
      cookie: await requesterCookie(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const { secret, subscription } = res.json<{
      secret: string;
      subscription: { previousSecretValidUntil: string };
    }>();
    expect(secret).not.toBe(sub.secret);
    expect(Date.parse(subscription.previousSecretValidUntil) - t.clock.now().getTime()).toBe(24 * 3_600_000);
    expect((await t.audit('WEBHOOK_SECRET_ROTATED'))[0]).toMatchObject({ objectId: String(sub.id) });
    await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() });
    await deliverWebhooks(t.deps);
    const [during] = receiver.on(sub.path);
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [secret, sub.secret])
      verifyWebhook(s, during?.headers ?? {}, during?.body ?? '', 300, t.clock.now());
    t.clock.advance(24 * 3_600_000 + 1000);
    await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() });
    await deliverWebhooks(t.deps);
    const after = receiver.on(sub.path)[1];
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifyWebhook(secret, after?.headers ?? {}, after?.body ?? '', 300, t.clock.now()).type).toBe(
      'ping',
    );
    expect(() =>
      verifyWebhook(sub.secret, after?.headers ?? {}, after?.body ?? '', 300, t.clock.now()),
    ).toThrow();
  });

  it('refuses targets in private, link-local or other non-https places (SSRF)', async () => {
    for (const url of [
      'https://10.0.0.5/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.1.10/hook',
      'https://[fd00::1]/hook',
      'https://[::ffff:10.1.2.3]/hook',
      'ftp://example.com/hook',
      'https://user:pw@example.com/hook',
      'not a url',
    ]) {
      const res = await t.call('POST', '/api/v1/webhooks', {
        cookie: await requesterCookie(),
        body: { url, eventTypes: BOTH },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    // Without the loopback allowance (the production default), this machine is refused too, by name and by
    // address, and plain http needs HEDUI_WEBHOOK_ALLOW_HTTP; the sender checks the resolved addresses itself.
    const strict = httpWebhookSender({ allowHttp: false, allowLoopback: false });
    const before = receiver.received.length;
    await expect(strict.post(receiver.url('/x'), {}, '{}', 2000)).rejects.toThrow(/本机/);
    await expect(
      strict.post(receiver.url('/x').replace('127.0.0.1', 'localhost'), {}, '{}', 2000),
    ).rejects.toThrow(/本机/);
    await expect(strict.post('http://example.com/hook', {}, '{}', 2000)).rejects.toThrow(/https/);
    // A name is judged on the addresses it resolves to, at connection time (DNS rebinding included).
    const names: Record<string, string> = {
      'inside.example.test': '127.0.0.1',
      'intranet.example.test': '10.1.1.1',
    };
    const resolve = (host: string, cb: (e: Error | null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: names[host] ?? '203.0.113.9', family: 4 }]);
    const noLoopback = httpWebhookSender({ allowHttp: true, allowLoopback: false }, resolve);
    const port = new URL(receiver.url('/')).port;
    await expect(noLoopback.post(`http://inside.example.test:${port}/x`, {}, '{}', 2000)).rejects.toThrow(
      /本机/,
    );
    await expect(noLoopback.post(`http://intranet.example.test:${port}/x`, {}, '{}', 2000)).rejects.toThrow(
      /内网/,
    );
    // Allowed loopback: the same name reaches the receiver.
    const loopback = httpWebhookSender({ allowHttp: true, allowLoopback: true }, resolve);
    expect(await loopback.post(`http://inside.example.test:${port}/named`, {}, '{}', 2000)).toEqual({
      status: 200,
    });
    expect(receiver.on('/named')).toHaveLength(1);
    receiver.received.splice(receiver.received.indexOf(receiver.on('/named')[0] as Received), 1);
    expect(receiver.received.length).toBe(before);
  });

  it('keeps an organisation’s subscriptions from every other organisation', async () => {
    const sub = await subscribe();
    await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() });
    const [d] = (await deliveries(sub.id)).items;
    for (const username of ['qingcheng_requester', 'xifeng_township']) {
      const cookie = await t.login(username);
      const list = await t.call('GET', '/api/v1/webhooks', { cookie });
      expect(list.json<{ items: { id: number }[] }>().items.map((s) => s.id)).not.toContain(sub.id);
      const attempts: [string, string, unknown][] = [
        ['PATCH', `/api/v1/webhooks/${sub.id}`, { active: false }],
        ['POST', `/api/v1/webhooks/${sub.id}/rotate-secret`, undefined],
        ['GET', `/api/v1/webhooks/${sub.id}/deliveries`, undefined],
        ['POST', `/api/v1/webhooks/${sub.id}/test`, undefined],
        ['DELETE', `/api/v1/webhooks/${sub.id}`, undefined],
        ['POST', `/api/v1/webhook-deliveries/${d?.id}/redeliver`, undefined],
      ];
      for (const [method, url, body] of attempts) {
        const res = await t.call(method as 'GET', url, { cookie, body });
        expectError(res, 404, 'OUT_OF_SCOPE');
        expect(res.body).not.toContain(receiver.url(''));
      }
    }
    expect(await t.deps.store.webhooks.getSubscription(sub.id)).toMatchObject({ active: true });
    // An agency's staff may not subscribe at all.
    const staff = await t.login('xifeng_staff');
    expectError(await t.call('GET', '/api/v1/webhooks', { cookie: staff }), 403, 'PERMISSION_DENIED');
    // Its own organisation deletes it (audited), deliveries and all.
    const del = await t.call('DELETE', `/api/v1/webhooks/${sub.id}`, { cookie: await requesterCookie() });
    expect(del.statusCode).toBe(204);
    expect(await t.deps.store.webhooks.getSubscription(sub.id)).toBeUndefined();
    expect((await t.audit('WEBHOOK_DELETED'))[0]).toMatchObject({ objectId: String(sub.id) });
  });

  it('queues nothing when the case change rolls back (the outbox shares its transaction)', async () => {
    const sub = await subscribe(['entrustment.state_changed']);
    const kase = await openCase(t.deps, [
      { ...MEMBERS[0], idNumber: idNumber(42), name: personName(42) },
    ] as never);
    await deliverWebhooks(t.deps);
    const before = (await deliveries(sub.id)).total;
    await expect(
      t.deps.store.transaction(async (tx) => {
        await recordCaseEvent(tx, kase, {
          at: t.clock.now().toISOString(),
          actorId: null,
          actorName: '测试',
          step: 'terminate',
          fromState: kase.state,
          toState: 'terminated',
          details: {},
        });
        expect((await tx.webhooks.deliveries(sub.id, { offset: 0, limit: 1 })).total).toBe(before + 1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await deliveries(sub.id)).total).toBe(before);
  });

  it('never sends one delivery twice when two deliverers run at once', async () => {
    const sub = await subscribe();
    receiver.delayMs = 5;
    for (let i = 0; i < 30; i++)
      await t.call('POST', `/api/v1/webhooks/${sub.id}/test`, { cookie: await requesterCookie() });
    const [a, b] = await Promise.all([deliverWebhooks(t.deps), deliverWebhooks(t.deps)]);
    expect((a?.delivered ?? 0) + (b?.delivered ?? 0)).toBe(30);
    const ids = receiver.on(sub.path).map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    if (dialect === 'postgres') expect(Math.min(a?.delivered ?? 0, b?.delivered ?? 0)).toBeGreaterThan(0);
  });

  it('announces a deadline due today once, with its date and stage', async () => {
    const sub = await subscribe(['entrustment.deadline_near']);
    const kase = await openCase(t.deps, [
      { ...MEMBERS[0], idNumber: idNumber(43), name: personName(43) },
    ] as never);
    const due = kase.reportDue as string;
    t.clock.set(`${due}T02:00:00.000Z`);
    await sendDeadlineReminders(t.deps);
    await sendDeadlineReminders(t.deps);
    await deliverWebhooks(t.deps);
    const mine = receiver
      .on(sub.path)
      .map((r) => verifyWebhook(sub.secret, r.headers, r.body, 300, t.clock.now()))
      .filter((p) => p.data.entrustmentId === kase.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      type: 'entrustment.deadline_near',
      data: { caseNumber: kase.number, deadline: 'report', due, stage: 'due_today', workdaysLeft: 0 },
    });
    expect(JSON.stringify(mine)).not.toContain(personName(43));
  });

  it('is managed by a requester’s machine client whose key carries webhooks:manage, and by no other key', async () => {
    const admin = await actorOf(t.deps, 'admin');
    const orgOf = async (username: string) => (await actorOf(t.deps, username)).organisationId as number;
    const keyFor = async (username: string, scopes: ApiScope[]) =>
      (
        await createApiKey(
          t.deps,
          { organisationId: await orgOf(username), name: `${username} 系统`, scopes },
          admin,
        )
      ).key;
    const manage = { authorization: `Bearer ${await keyFor('xifeng_requester', ['webhooks:manage'])}` };
    const created = await t.call('POST', '/api/v1/webhooks', {
      headers: manage,
      csrf: false,
      body: { url: receiver.url('/machine'), eventTypes: BOTH },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ subscription: { id: number } }>().subscription.id;
    expect((await t.deps.store.webhooks.getSubscription(id))?.organisationId).toBe(
      await orgOf('xifeng_requester'),
    );
    const [audited] = await t.audit('WEBHOOK_CREATED');
    expect(audited?.actorName).toContain('API');
    const list = await t.call('GET', '/api/v1/webhooks', { headers: manage });
    expect(list.json<{ items: { id: number }[] }>().items.map((s) => s.id)).toContain(id);

    const readOnly = { authorization: `Bearer ${await keyFor('xifeng_requester', ['entrustments:read'])}` };
    expectError(await t.call('GET', '/api/v1/webhooks', { headers: readOnly }), 403, 'SCOPE_REQUIRED');
    const other = { authorization: `Bearer ${await keyFor('qingcheng_requester', ['webhooks:manage'])}` };
    expectError(
      await t.call('GET', `/api/v1/webhooks/${id}/deliveries`, { headers: other }),
      404,
      'OUT_OF_SCOPE',
    );
  });
});
