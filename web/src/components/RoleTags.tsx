import { Space, Tag } from 'antd';
import type { OrgKind, Role } from '../api/types';
import { useI18n } from '../i18n';

const ROLE_COLORS: Record<Role, string> = {
  agency_staff: 'blue',
  agency_reviewer: 'geekblue',
  requester_staff: 'cyan',
  department_officer: 'green',
  system_admin: 'volcano',
  audit_officer: 'purple',
};

const ORG_KIND_COLORS: Record<OrgKind, string> = {
  agency: 'blue',
  requester: 'cyan',
  department: 'green',
  admin: 'volcano',
};

export function RoleTag({ role }: { role: Role }) {
  const { label } = useI18n();
  return (
    <Tag color={ROLE_COLORS[role]} data-testid={`role-${role}`}>
      {label('role', role)}
    </Tag>
  );
}

export function RoleTags({ roles }: { roles: readonly Role[] }) {
  return (
    <Space size={[0, 4]} wrap>
      {roles.map((role) => (
        <RoleTag key={role} role={role} />
      ))}
    </Space>
  );
}

export function OrgKindTag({ kind }: { kind: OrgKind }) {
  const { label } = useI18n();
  return <Tag color={ORG_KIND_COLORS[kind]}>{label('orgKind', kind)}</Tag>;
}
