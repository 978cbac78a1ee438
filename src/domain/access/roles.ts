/** The six roles of SPEC §1. Three-role separation: administration, business and audit never mix. */
export const ROLES = [
  'agency_staff',
  'agency_reviewer',
  'requester_staff',
  'department_officer',
  'system_admin',
  'audit_officer',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  agency_staff: '核对员',
  agency_reviewer: '审核员',
  requester_staff: '委托单位经办人',
  department_officer: '部门数据员',
  system_admin: '系统管理员',
  audit_officer: '审计员',
};

export const ORGANISATION_KINDS = ['agency', 'requester', 'department', 'admin'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  agency: '核对机构',
  requester: '委托单位',
  department: '数据提供部门',
  admin: '管理机构',
};

/** Which roles a user of each kind of organisation may hold. */
const ROLES_BY_KIND: Record<OrganisationKind, readonly Role[]> = {
  agency: ['agency_staff', 'agency_reviewer'],
  requester: ['requester_staff'],
  department: ['department_officer'],
  admin: ['system_admin', 'audit_officer'],
};

export function rolesAllowedFor(kind: OrganisationKind): readonly Role[] {
  return ROLES_BY_KIND[kind];
}

/**
 * Three-role separation (三员分立): the administrator, the auditor and business users are
 * different people. A user may be both handler and reviewer (different cases), nothing else mixes.
 */
export function checkRoleCombination(roles: readonly Role[], kind: OrganisationKind): string | null {
  if (roles.length === 0) return '至少需要一个角色';
  const allowed = rolesAllowedFor(kind);
  const wrong = roles.filter((r) => !allowed.includes(r));
  if (wrong.length > 0) {
    return `${ORGANISATION_KIND_LABELS[kind]}的用户不能担任：${wrong.map((r) => ROLE_LABELS[r]).join('、')}`;
  }
  if (roles.includes('system_admin') && roles.includes('audit_officer')) {
    return '系统管理员与审计员必须由不同人员担任（三员分立）';
  }
  return null;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
