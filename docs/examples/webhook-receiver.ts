/**
 * A requester's system receiving Hedui's webhooks (docs/integration.md «Webhooks / 事件推送»).
 *
 *   HEDUI_WEBHOOK_SECRET=whsec_… PORT=9400 npx tsx docs/examples/webhook-receiver.ts
 *
 * Verifies each request with client/webhooks.ts on the raw body, answers 2xx at once (work is done after
 * answering; Hedui waits 10 s at most), and skips a `webhook-id` it has seen (a retry of a delivered message).
 */
import { createServer } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '../../client/webhooks.ts';

const secret = process.env.HEDUI_WEBHOOK_SECRET ?? '';
const seen = new Set<string>();

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const event = verifyWebhook(secret, req.headers, Buffer.concat(chunks));
      const id = String(req.headers['webhook-id']);
      res.writeHead(204).end();
      if (seen.has(id)) return;
      seen.add(id);
      // Fetch the details over the authenticated API (GET /api/v1/entrustments/…) with the entrustment id.
      console.log(id, event.type, JSON.stringify(event.data));
    } catch (e) {
      res.writeHead(e instanceof WebhookVerificationError ? 401 : 400).end();
      console.error('refused:', e instanceof Error ? e.message : e);
    }
  });
}).listen(Number(process.env.PORT ?? 9400), '127.0.0.1');
