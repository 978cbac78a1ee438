import type { OrganisationKind, Role } from './roles.ts';

/**
 * Scopes of machine clients (API keys and the OAuth2 tokens issued for them): a key carries some of
 * the scopes its organisation's kind allows, and a route open to machines names the one it needs.
 */
export const API_SCOPES = [
  'entrustments:write',
  'entrustments:read',
  'documents:read',
  'batches:write',
  'exchanges:write',
  'registry:search',
  'webhooks:manage',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  'entrustments:write': '提交与补正委托',
  'entrustments:read': '查询委托状态',
  'documents:read': '下载回执、告知书与报告',
  'batches:write': '推送部门数据批次',
  'exchanges:write': '答复离线交换请求',
  'registry:search': '社会救助登记查询',
  'webhooks:manage': '管理事件通知（Webhook）',
};

/** Which scopes a key of each kind of organisation may carry (none for the agency and administration). */
const SCOPES_BY_KIND: Record<OrganisationKind, readonly ApiScope[]> = {
  requester: [
    'entrustments:write',
    'entrustments:read',
    'documents:read',
    'registry:search',
    'webhooks:manage',
  ],
  department: ['batches:write', 'exchanges:write'],
  agency: [],
  admin: [],
};

export function scopesAllowedFor(kind: OrganisationKind): readonly ApiScope[] {
  return SCOPES_BY_KIND[kind];
}

/** The role a machine client acts in: the one role of its organisation's kind. */
export function machineRoleFor(kind: OrganisationKind): Role | null {
  if (kind === 'requester') return 'requester_staff';
  if (kind === 'department') return 'department_officer';
  return null;
}

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** A space-separated scope list (RFC 6749 §3.3) → the scopes, or null when one is unknown. */
export function parseScopes(text: string): ApiScope[] | null {
  const parts = text.split(/\s+/).filter((s) => s.length > 0);
  if (!parts.every(isApiScope)) return null;
  return [...new Set(parts as ApiScope[])];
}

/** Chinese reason why `scopes` do not suit an organisation of `kind`, or null. */
export function checkScopes(scopes: readonly ApiScope[], kind: OrganisationKind): string | null {
  if (scopes.length === 0) return '至少选择一个权限范围';
  const allowed = scopesAllowedFor(kind);
  const wrong = scopes.filter((s) => !allowed.includes(s));
  if (wrong.length > 0) return `此类单位的密钥不能具有权限范围：${wrong.join('、')}`;
  return null;
}
