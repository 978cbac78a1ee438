import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../domain/access/roles.ts';
import { type ApiScope, machineRoleFor, parseScopes } from '../../domain/access/scopes.ts';
import { sm3Hex } from '../../domain/audit/chain.ts';
import { anonymousActor } from '../actor.ts';
import { authenticateApiKey } from '../ingest/api-keys.ts';
import type { Actor, ApiKeyRecord, Deps, OrganisationRecord } from '../ports.ts';

/** A machine client, authenticated by its API key or by an OAuth2 access token issued for that key. */
export interface MachineClient {
  apiKey: ApiKeyRecord;
  organisation: OrganisationRecord;
  /** What this request may do: the key's scopes, or the (possibly narrower) scopes granted to the token. */
  scopes: ApiScope[];
  role: Role;
  via: 'api_key' | 'oauth_token';
}

/** OAuth2 access tokens live an hour (RFC 6749 §4.4.3 `expires_in`). */
export const TOKEN_LIFETIME_SECONDS = 3600;
const TOKEN_PATTERN = /^hdt_[A-Za-z0-9_-]{43}$/;

function tokenHash(token: string): string {
  return sm3Hex(`oauth-token:${token}`);
}

/** The actor a machine client acts as: no user, its key's name, its organisation kind's role. */
export function machineActor(client: MachineClient, ip: string | null, userAgent: string | null): Actor {
  const via = client.via === 'oauth_token' ? '·OAuth' : '';
  return {
    userId: null,
    name: `API密钥 ${client.apiKey.name}（${client.apiKey.prefix}${via}）`,
    roles: [client.role],
    organisationId: client.organisation.id,
    regionCode: client.organisation.regionCode,
    ip,
    userAgent,
  };
}

function clientOf(
  found: { apiKey: ApiKeyRecord; organisation: OrganisationRecord },
  scopes: readonly ApiScope[],
  via: MachineClient['via'],
): MachineClient | null {
  const role = machineRoleFor(found.organisation.kind);
  if (role === null) return null;
  return { ...found, scopes: scopes.filter((s) => found.apiKey.scopes.includes(s)), role, via };
}

/**
 * The client behind a bearer credential: an API key (`hd_…`) or an unexpired access token (`hdt_…`) whose key is
 * still valid — revoking a key ends its tokens at once. Null for anything else.
 */
export async function authenticateMachine(deps: Deps, bearer: string): Promise<MachineClient | null> {
  if (!TOKEN_PATTERN.test(bearer)) {
    const found = await authenticateApiKey(deps, bearer);
    return found ? clientOf(found, found.apiKey.scopes, 'api_key') : null;
  }
  const token = await deps.store.oauthTokens.getByHash(tokenHash(bearer));
  if (!token || token.expiresAt <= deps.clock.now().toISOString()) return null;
  const apiKey = await deps.store.apiKeys.get(token.apiKeyId);
  if (!apiKey || apiKey.revokedAt) return null;
  const organisation = await deps.store.organisations.get(apiKey.organisationId);
  if (!organisation?.active) return null;
  return clientOf({ apiKey, organisation }, token.scopes, 'oauth_token');
}

/** RFC 6749 §5.2 error codes the token endpoint answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_scope'
  | 'unsupported_grant_type';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
}

function samePrefix(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * OAuth2 client credentials (RFC 6749 §4.4): client_id is the key's prefix, client_secret the whole key. The token
 * gets the requested scopes (all of the key's when none is asked for), which must all be the key's.
 */
export async function issueClientToken(
  deps: Deps,
  request: TokenRequest,
  origin: { ip: string | null; userAgent: string | null },
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
  const at = deps.clock.now();
  const refuse = async (error: OAuthErrorCode, description: string, client?: MachineClient) => {
    await deps.store.audit.append(
      client
        ? machineActor(client, origin.ip, origin.userAgent)
        : anonymousActor(origin.ip, origin.userAgent),
      {
        action: 'OAUTH_TOKEN_REFUSED',
        outcome: 'denied',
        objectType: 'api_key',
        objectId: client ? String(client.apiKey.id) : null,
        details: { error, clientId: (request.clientId ?? '').slice(0, 40) },
      },
      at.toISOString(),
    );
    return new OAuthError(error, description);
  };
  if (request.grantType !== 'client_credentials')
    throw await refuse('unsupported_grant_type', '只支持 grant_type=client_credentials（客户端凭据模式）');
  if (!request.clientId || !request.clientSecret)
    throw await refuse('invalid_client', '缺少 client_id 或 client_secret（也可用 HTTP Basic 认证）');
  const found = await authenticateApiKey(deps, request.clientSecret);
  const client = found ? clientOf(found, found.apiKey.scopes, 'api_key') : null;
  if (!client || !samePrefix(client.apiKey.prefix, request.clientId))
    throw await refuse('invalid_client', '客户端认证失败：client_id 或 client_secret 错误，或密钥已吊销');
  let scopes = client.scopes;
  if (request.scope !== undefined && request.scope.trim() !== '') {
    const asked = parseScopes(request.scope);
    if (asked === null || asked.some((s) => !client.scopes.includes(s)))
      throw await refuse('invalid_scope', `请求的权限范围无效或超出此密钥的范围：${request.scope}`, client);
    scopes = asked;
  }
  if (scopes.length === 0) throw await refuse('invalid_scope', '此密钥没有任何权限范围', client);
  const token = `hdt_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(at.getTime() + TOKEN_LIFETIME_SECONDS * 1000).toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.oauthTokens.purgeExpired(at.toISOString());
    const created = await tx.oauthTokens.create({
      apiKeyId: client.apiKey.id,
      tokenHash: tokenHash(token),
      scopes,
      createdAt: at.toISOString(),
      expiresAt,
    });
    await tx.audit.append(
      machineActor(client, origin.ip, origin.userAgent),
      {
        action: 'OAUTH_TOKEN_ISSUED',
        outcome: 'success',
        objectType: 'api_key',
        objectId: String(client.apiKey.id),
        details: { tokenId: created.id, scopes, expiresAt },
      },
      at.toISOString(),
    );
  });
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    scope: scopes.join(' '),
  };
}
