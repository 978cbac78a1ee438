import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifying Hedui's webhooks on the receiving side (Standard Webhooks, https://www.standardwebhooks.com).
 * Self-contained (node:crypto only): copy this file into a receiver as it is.
 *
 *   const event = verifyWebhook(process.env.HEDUI_WEBHOOK_SECRET, req.headers, rawBody);
 *
 * `body` must be the raw request body as received (not re-serialised JSON). Throws WebhookVerificationError
 * when the signature does not match any of the header's `v1` signatures or the timestamp is further than
 * `toleranceSeconds` from now (replay); returns the parsed payload otherwise. Deduplicate on `webhook-id`:
 * a retry carries the same id.
 */

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export interface HeduiWebhookEvent {
  type: 'entrustment.state_changed' | 'entrustment.document_issued' | 'ping';
  timestamp: string;
  data: Record<string, string | number | null>;
}

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

export function verifyWebhook(
  secret: string,
  headers: Headers,
  body: string | Buffer,
  toleranceSeconds = 300,
  now: Date = new Date(),
): HeduiWebhookEvent {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('missing webhook headers');
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(seconds))
    throw new WebhookVerificationError('invalid webhook-timestamp');
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds)
    throw new WebhookVerificationError('webhook-timestamp outside the tolerance');
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${text}`).digest();
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('no matching signature');
  return JSON.parse(text) as HeduiWebhookEvent;
}
