import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { WebhookResponse, WebhookSenderPort } from '../app/webhooks/webhooks.port.ts';
import { checkWebhookUrl, refusedAddress, type TargetPolicy } from '../domain/webhooks/webhooks.ts';

/**
 * POSTs a webhook with node:http/https. The target is judged again on every call (SSRF): the URL as written,
 * then every address its host name resolves to, at connection time — so a name that later resolves to a private
 * address (DNS rebinding) is refused too. Redirects are not followed (a 3xx is no delivery).
 */
export type Resolve = (
  hostname: string,
  callback: (error: Error | null, addresses: { address: string; family: number }[]) => void,
) => void;

const systemResolve: Resolve = (hostname, callback) =>
  dnsLookup(hostname, { all: true }, (error, addresses) => callback(error, addresses ?? []));

/** `resolve`: the system resolver; tests give names of their own. */
export function httpWebhookSender(policy: TargetPolicy, resolve: Resolve = systemResolve): WebhookSenderPort {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, (error, list) => {
      if (error) return callback(error, '', 0);
      const refused = list.map((a) => refusedAddress(a.address, policy)).find((r) => r !== null);
      if (refused || list.length === 0) return callback(new Error(refused ?? '无法解析推送地址'), '', 0);
      if (options.all) return callback(null, list as never);
      const first = list[0] as { address: string; family: number };
      callback(null, first.address, first.family);
    });
  };

  return {
    post(url, headers, body, timeoutMs) {
      return new Promise<WebhookResponse>((resolve, reject) => {
        const checked = checkWebhookUrl(url, policy);
        if ('problem' in checked) return reject(new Error(checked.problem));
        const target = checked.url;
        const literal = isIP(target.hostname.replace(/^\[|\]$/g, ''));
        const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(
          target,
          {
            method: 'POST',
            headers: {
              ...headers,
              'content-length': Buffer.byteLength(body),
              'user-agent': 'Hedui-Webhooks/1',
            },
            ...(literal ? {} : { lookup: guardedLookup }),
            timeout: timeoutMs,
          },
          (res) => {
            // The answer's body is not kept: read and dropped, so the connection is released.
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
            res.on('error', reject);
          },
        );
        const deadline = setTimeout(
          () => req.destroy(new Error(`推送超时（${timeoutMs / 1000} 秒）`)),
          timeoutMs,
        );
        deadline.unref();
        req.on('timeout', () => req.destroy(new Error(`推送超时（${timeoutMs / 1000} 秒）`)));
        req.on('error', (e) => {
          clearTimeout(deadline);
          reject(e);
        });
        req.on('close', () => clearTimeout(deadline));
        req.end(body);
      });
    },
  };
}
