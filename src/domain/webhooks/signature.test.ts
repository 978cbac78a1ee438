import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../../client/webhooks.ts';
import { signWebhook, webhookHeaders } from './signature.ts';

/** The Standard Webhooks specification's published test vector (also in its reference libraries' tests). */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT = new Date(VECTOR.timestamp * 1000);

describe(signWebhook.name, () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('takes the secret with or without its whsec_ prefix', () => {
    expect(signWebhook(VECTOR.secret.slice(6), VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('signs with every secret given, space-separated, newest first', () => {
    const other = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const headers = webhookHeaders([other, VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(headers['webhook-signature']?.split(' ')).toEqual([
      signWebhook(other, VECTOR.id, VECTOR.timestamp, VECTOR.body),
      VECTOR.signature,
    ]);
    expect(headers).toMatchObject({ 'webhook-id': VECTOR.id, 'webhook-timestamp': '1614265330' });
  });
});

describe(verifyWebhook.name, () => {
  const headers = {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestamp),
    'webhook-signature': VECTOR.signature,
  };

  it('accepts the test vector, among other signatures, with headers of any case or a Headers object', () => {
    expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, 300, AT)).toEqual({ test: 2432232314 });
    const several = { ...headers, 'webhook-signature': `v1,bm9wZQ== v2,xyz ${VECTOR.signature}` };
    expect(verifyWebhook(VECTOR.secret, several, Buffer.from(VECTOR.body), 300, AT)).toEqual({
      test: 2432232314,
    });
    const upper = {
      'Webhook-Id': VECTOR.id,
      'Webhook-Timestamp': '1614265330',
      'Webhook-Signature': VECTOR.signature,
    };
    expect(verifyWebhook(VECTOR.secret, upper, VECTOR.body, 300, AT)).toBeTruthy();
    expect(verifyWebhook(VECTOR.secret, new Headers(headers), VECTOR.body, 300, AT)).toBeTruthy();
  });

  it('refuses a changed body, id or timestamp, and a timestamp outside the tolerance', () => {
    expect(() => verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', 300, AT)).toThrow(/signature/);
    expect(() =>
      verifyWebhook(VECTOR.secret, { ...headers, 'webhook-id': 'msg_x' }, VECTOR.body, 300, AT),
    ).toThrow(/signature/);
    const later = { ...headers, 'webhook-timestamp': String(VECTOR.timestamp + 1) };
    expect(() => verifyWebhook(VECTOR.secret, later, VECTOR.body, 300, AT)).toThrow(/signature/);
    expect(() =>
      verifyWebhook(VECTOR.secret, headers, VECTOR.body, 300, new Date(AT.getTime() + 301_000)),
    ).toThrow(/tolerance/);
    expect(
      verifyWebhook(VECTOR.secret, headers, VECTOR.body, 300, new Date(AT.getTime() + 300_000)),
    ).toBeTruthy();
    const bad = { ...headers, 'webhook-timestamp': '1614265330.5' };
    expect(() => verifyWebhook(VECTOR.secret, bad, VECTOR.body, 300, AT)).toThrow(/invalid/);
  });
});
