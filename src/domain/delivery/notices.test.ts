import { describe, expect, it } from 'vitest';
import { findDataset } from '../catalog/datasets.ts';
import type { DatasetDef } from '../catalog/types.ts';
import { cityOf, type NoticeOrganisation, overdueNotice, overdueRecipients } from './notices.ts';

function dataset(code: string): DatasetDef {
  const found = findDataset(code);
  if (!found) throw new Error(`${code} missing from the catalog`);
  return found;
}

function org(
  id: number,
  kind: string,
  regionCode: string,
  departmentCode: string | null = null,
  active = true,
) {
  return { id, kind, regionCode, departmentCode, active } satisfies NoticeOrganisation;
}

describe(cityOf.name, () => {
  it('finds the city above a county or township, and keeps a city or province', () => {
    expect(cityOf('621002')).toBe('621000');
    expect(cityOf('621002001')).toBe('621000');
    expect(cityOf('621000')).toBe('621000');
    expect(cityOf('620000')).toBe('620000');
  });
});

describe(overdueRecipients.name, () => {
  const organisations = [
    org(1, 'department', '621000', 'public_security'),
    org(2, 'department', '621000', 'finance'),
    org(3, 'agency', '621000'),
    org(4, 'agency', '621002'),
    org(5, 'agency', '620100'),
    org(6, 'agency', '621021', null, false),
    org(7, 'requester', '621002'),
    org(8, 'department', '621000', 'health'),
  ];

  it('tells the delivering department and the active agency of its city, no county agency, no one else', () => {
    expect(overdueRecipients(dataset('hukou'), organisations).map((o) => o.id)).toEqual([1, 3]);
  });

  it('tells every department that delivers a shared dataset', () => {
    expect(overdueRecipients(dataset('death'), organisations).map((o) => o.id)).toEqual([8, 3]);
  });

  it('tells nobody when no organisation of the department is on the platform', () => {
    expect(overdueRecipients(dataset('tax_income'), organisations)).toEqual([]);
  });
});

describe(overdueNotice.name, () => {
  const overdue = { period: '2025-Q2', dueDate: '2025-07-10', daysOverdue: 78 };

  it('names the dataset, the period and the due date, keyed by dataset, period and organisation', () => {
    const notice = overdueNotice(dataset('hukou'), overdue, org(1, 'department', '621000'), '2025-09-26');
    expect(notice).toMatchObject({
      organisationId: 1,
      kind: 'delivery_overdue',
      dedupeKey: 'delivery_overdue:hukou:2025-Q2:1',
      title: '数据报送逾期：户籍人口 2025年第2季度（2025-Q2）',
    });
    expect(notice.body).toContain('2025-07-10');
    expect(notice.body).toContain('已逾期 78 天');
    expect(notice.body).toContain('请尽快');
  });

  it('tells an agency which department owes the data', () => {
    const notice = overdueNotice(dataset('hukou'), overdue, org(3, 'agency', '621000'), '2025-09-26');
    expect(notice.body).toContain('公安');
    expect(notice.dedupeKey).toBe('delivery_overdue:hukou:2025-Q2:3');
  });
});
