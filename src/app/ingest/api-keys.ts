import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type ApiScope, checkScopes, scopesAllowedFor } from '../../domain/access/scopes.ts';
import { sm3Hex } from '../../domain/audit/chain.ts';
import { AppError } from '../../domain/shared/errors.ts';
import { organisationInScope } from '../admin/scope.ts';
import type { Actor, ApiKeyRecord, Deps, OrganisationRecord } from '../ports.ts';

/**
 * Departments and requesters with systems of their own call the integration API with a per-organisation API key:
 * `hd_<8-char prefix>_<secret>`. Only the SM3 hash is stored; the key is shown once, at creation. A key carries
 * scopes within what its organisation's kind allows (domain/access/scopes.ts); without a choice, all of those.
 */
function newKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const key = `hd_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: sm3Hex(`api-key:${key}`) };
}

export async function createApiKey(
  deps: Deps,
  input: { organisationId: number; name: string; scopes?: readonly ApiScope[] },
  actor: Actor,
): Promise<{ apiKey: ApiKeyRecord; key: string }> {
  const org = await organisationInScope(deps.store, actor, input.organisationId);
  const allowed = scopesAllowedFor(org.kind);
  if (allowed.length === 0) throw new AppError('VALIDATION_FAILED', 'API 密钥只发给委托单位和数据提供部门');
  const scopes = [...new Set(input.scopes ?? allowed)];
  const wrongScopes = checkScopes(scopes, org.kind);
  if (wrongScopes) throw new AppError('VALIDATION_FAILED', wrongScopes);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 60)
    throw new AppError('VALIDATION_FAILED', '密钥名称须为 1–60 个字符');
  const { key, prefix, hash } = newKey();
  const at = deps.clock.now().toISOString();
  const apiKey = await deps.store.transaction(async (tx) => {
    const created = await tx.apiKeys.create({
      organisationId: org.id,
      name,
      prefix,
      keyHash: hash,
      createdAt: at,
      createdBy: actor.userId,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
      scopes,
    });
    await tx.audit.append(
      actor,
      {
        action: 'API_KEY_CREATED',
        outcome: 'success',
        objectType: 'api_key',
        objectId: String(created.id),
        details: { organisationId: org.id, name, prefix, scopes },
      },
      at,
    );
    return created;
  });
  return { apiKey, key };
}

async function keyInScope(deps: Deps, id: number, actor: Actor): Promise<ApiKeyRecord> {
  const k = await deps.store.apiKeys.get(id);
  if (!k) throw new AppError('OUT_OF_SCOPE', 'API 密钥不存在或不在您的数据范围内');
  await organisationInScope(deps.store, actor, k.organisationId);
  return k;
}

export async function revokeApiKey(deps: Deps, id: number, actor: Actor, reason = 'REVOKED'): Promise<void> {
  const k = await keyInScope(deps, id, actor);
  if (k.revokedAt) return;
  const at = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    await tx.apiKeys.update(id, { revokedAt: at, revokedBy: actor.userId });
    await tx.audit.append(
      actor,
      {
        action: 'API_KEY_REVOKED',
        outcome: 'success',
        objectType: 'api_key',
        objectId: String(id),
        details: { prefix: k.prefix, reason },
      },
      at,
    );
  });
}

/** Rotation: a new key for the same organisation with the same scopes, and the old one revoked in the same step. */
export async function rotateApiKey(deps: Deps, id: number, actor: Actor) {
  const old = await keyInScope(deps, id, actor);
  const created = await createApiKey(
    deps,
    { organisationId: old.organisationId, name: old.name, scopes: old.scopes },
    actor,
  );
  await revokeApiKey(deps, id, actor, `ROTATED_TO_${created.apiKey.id}`);
  return created;
}

/** The organisation behind a presented key, or null when the key is unknown, malformed or revoked. */
export async function authenticateApiKey(
  deps: Deps,
  presented: string,
): Promise<{ apiKey: ApiKeyRecord; organisation: OrganisationRecord } | null> {
  const m = /^hd_([A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{20,}$/.exec(presented);
  if (!m) return null;
  const k = await deps.store.apiKeys.getByPrefix(m[1] as string);
  if (!k || k.revokedAt) return null;
  const expected = Buffer.from(k.keyHash, 'hex');
  const actual = Buffer.from(sm3Hex(`api-key:${presented}`), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  const organisation = await deps.store.organisations.get(k.organisationId);
  if (!organisation?.active) return null;
  await deps.store.apiKeys.update(k.id, { lastUsedAt: deps.clock.now().toISOString() });
  return { apiKey: k, organisation };
}
