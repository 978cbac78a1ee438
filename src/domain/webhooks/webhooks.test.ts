import { describe, expect, it } from 'vitest';
import {
  addressKind,
  checkWebhookUrl,
  MAX_ATTEMPTS,
  nextAttemptAt,
  stateChangedPayload,
} from './webhooks.ts';

describe(addressKind.name, () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['203.0.113.9', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'private'],
    ['100.64.0.1', 'private'],
    ['0.0.0.0', 'private'],
    ['224.0.0.1', 'private'],
    ['fd12::1', 'private'],
    ['fe80::1', 'private'],
    ['::', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['2001:db8::1', 'public'],
    ['not-an-ip', 'private'],
  ])('%s is %s', (ip, kind) => {
    expect(addressKind(ip)).toBe(kind);
  });
});

describe(checkWebhookUrl.name, () => {
  const strict = { allowHttp: false, allowLoopback: false };
  const problem = (url: string, policy = strict) => {
    const r = checkWebhookUrl(url, policy);
    return 'problem' in r ? r.problem : null;
  };

  it('takes https to a public host and refuses http, private and loopback targets by default', () => {
    expect(problem('https://hooks.example.com/hedui')).toBeNull();
    expect(problem('http://hooks.example.com/hedui')).toMatch(/https/);
    expect(problem('https://127.0.0.1/x')).toMatch(/本机/);
    expect(problem('https://localhost:8443/x')).toMatch(/本机/);
    expect(problem('https://10.1.2.3/x')).toMatch(/内网/);
    expect(problem('https://[fe80::1]/x')).toMatch(/内网/);
    expect(problem('https://u:p@hooks.example.com/')).toMatch(/用户名/);
    expect(problem('gopher://hooks.example.com/')).toMatch(/https/);
    expect(problem('hooks.example.com')).toMatch(/有效/);
  });

  it('lets loopback over plain http only when loopback is allowed, and other http only when http is', () => {
    const loopback = { allowHttp: false, allowLoopback: true };
    expect(problem('http://127.0.0.1:9000/x', loopback)).toBeNull();
    expect(problem('http://localhost:9000/x', loopback)).toBeNull();
    expect(problem('http://hooks.example.com/x', loopback)).toMatch(/https/);
    expect(problem('http://10.0.0.1/x', { allowHttp: true, allowLoopback: true })).toMatch(/内网/);
    expect(problem('http://hooks.example.com/x', { allowHttp: true, allowLoopback: false })).toBeNull();
  });
});

describe(nextAttemptAt.name, () => {
  it('backs off 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h and gives up after the 8th attempt', () => {
    const t0 = new Date('2025-09-26T02:00:00Z');
    const minutes = [1, 2, 3, 4, 5, 6, 7].map(
      (n) => ((nextAttemptAt(n, t0)?.getTime() ?? 0) - t0.getTime()) / 60_000,
    );
    expect(minutes).toEqual([1, 5, 30, 120, 360, 720, 1440]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect(nextAttemptAt(8, t0)).toBeNull();
  });
});

describe(stateChangedPayload.name, () => {
  it('carries the case number, states and labels, never anything about its members', () => {
    const payload = stateChangedPayload(
      { id: 7, number: 'HD-621002-2025-000007', state: 'submitted' },
      {
        id: 31,
        at: '2025-09-26T02:00:00.000Z',
        step: 'accept',
        fromState: 'submitted',
        toState: 'verifying',
      },
    );
    expect(payload).toEqual({
      type: 'entrustment.state_changed',
      timestamp: '2025-09-26T02:00:00.000Z',
      data: {
        eventId: 'case-event-31',
        occurredAt: '2025-09-26T02:00:00.000Z',
        entrustmentId: 7,
        caseNumber: 'HD-621002-2025-000007',
        state: 'verifying',
        stateLabel: '核对中',
        previousState: 'submitted',
        step: 'accept',
      },
    });
  });
});
