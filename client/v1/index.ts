import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.d.ts';

/**
 * The typed client of Hedui's integration API v1 (docs/integration.md), generated from its OpenAPI document:
 * `schema.d.ts` comes from `npm run client:generate`; this file only adds the credentials.
 *
 *   const hedui = createHeduiClient({ baseUrl: 'https://hedui.example.gov.cn', apiKey: process.env.HEDUI_KEY });
 *   const { data, error } = await hedui.GET('/api/v1/entrustments/{id}', { params: { path: { id: 42 } } });
 */

export type { components, operations, paths };
export type HeduiClient = Client<paths>;

export interface HeduiClientOptions {
  /** The server's origin, e.g. `https://hedui.example.gov.cn` (paths already start with /api/v1). */
  baseUrl: string;
  /** An OAuth2 access token (`hdt_…`, from requestAccessToken) … */
  token?: string;
  /** … or the API key itself (`hd_<prefix>_<secret>`). */
  apiKey?: string;
  /** A fetch of your own (proxies, tests). */
  fetch?: (input: Request) => Promise<Response>;
}

export function createHeduiClient(options: HeduiClientOptions): HeduiClient {
  const credential = options.token ?? options.apiKey;
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: credential ? { authorization: `Bearer ${credential}` } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export type AccessToken =
  paths['/api/v1/oauth/token']['post']['responses'][200]['content']['application/json'];

/** OAuth2 client credentials (RFC 6749 §4.4): client_id is the key's prefix, client_secret the whole key. */
export async function requestAccessToken(options: {
  baseUrl: string;
  apiKey: string;
  /** Space-separated scopes narrower than the key's; the key's own when absent. */
  scope?: string;
  fetch?: (input: Request) => Promise<Response>;
}): Promise<AccessToken> {
  const prefix = /^hd_([A-Za-z0-9_-]{8})_/.exec(options.apiKey)?.[1];
  if (!prefix) throw new Error('API 密钥格式应为 hd_<前缀>_<密钥>');
  const client = createHeduiClient({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { data, error } = await client.POST('/api/v1/oauth/token', {
    body: {
      grant_type: 'client_credentials',
      client_id: prefix,
      client_secret: options.apiKey,
      ...(options.scope ? { scope: options.scope } : {}),
    },
  });
  if (!data) throw new Error(`获取访问令牌失败：${JSON.stringify(error)}`);
  return data;
}

/** The multipart body of an entrustment document (ID card, pledge, one authorization per member…). */
export function documentUpload(input: {
  kind: string;
  memberIndex?: number | null;
  file: Blob;
  fileName: string;
}): { body: never; bodySerializer: (body: unknown) => FormData } {
  const form = new FormData();
  form.set('kind', input.kind);
  if (input.memberIndex !== undefined && input.memberIndex !== null)
    form.set('memberIndex', String(input.memberIndex));
  form.set('file', input.file, input.fileName);
  return { body: form as never, bodySerializer: () => form };
}
