import type { OrganisationKind, Role } from '../../domain/access/roles.ts';
import { findRegion } from '../../domain/regions/regions.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import type { Deps, RegionRecord, Repositories } from '../ports.ts';
import { hashPassword } from '../security/password.ts';

/**
 * A synthetic city for trying Hedui: the real GB/T 2260 codes of 庆阳市 (so ID numbers and region
 * trees look real), with invented townships, organisations and people. Every name says it is synthetic.
 */
const CITY = '621000';
const SYNTHETIC = '（合成演示）';
const TOWNSHIP_NAMES = ['城关镇', '东街街道', '南川乡'];
const COUNTY_SLUGS: Record<string, string> = {
  '621002': 'xifeng',
  '621021': 'qingcheng',
  '621022': 'huanxian',
  '621023': 'huachi',
  '621024': 'heshui',
  '621025': 'zhengning',
  '621026': 'ningxian',
  '621027': 'zhenyuan',
};

/** Departments of CATALOG.md that deliver the core datasets (Q§7, C§2). */
export const DEMO_DEPARTMENTS: { code: string; name: string }[] = [
  { code: 'public_security', name: '庆阳市公安局' },
  { code: 'finance', name: '庆阳市财政局' },
  { code: 'human_resources', name: '庆阳市人力资源和社会保障局' },
  { code: 'natural_resources', name: '庆阳市自然资源局' },
  { code: 'housing_fund', name: '庆阳市住房公积金管理中心' },
  { code: 'market_regulation', name: '庆阳市市场监督管理局' },
  { code: 'taxation', name: '国家税务总局庆阳市税务局' },
  { code: 'banking', name: '中国人民银行庆阳市分行' },
  { code: 'transport', name: '庆阳市交通运输局' },
  { code: 'civil_affairs', name: '庆阳市民政局（婚姻殡葬）' },
  { code: 'agriculture', name: '庆阳市农业农村局' },
  { code: 'disabled_persons', name: '庆阳市残疾人联合会' },
];

export interface DemoCredential {
  username: string;
  displayName: string;
  roles: Role[];
  organisation: string;
}

function region(code: string): RegionRecord {
  const r = findRegion(code);
  if (!r) throw new Error(`demo city: region ${code} missing from the GB/T 2260 data`);
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode };
}

export async function loadDemoCity(
  deps: Pick<Deps, 'store' | 'clock'>,
  password: string,
): Promise<DemoCredential[]> {
  const at = deps.clock.now().toISOString();
  const passwordHash = await hashPassword(password);
  const counties = Object.keys(COUNTY_SLUGS);
  const credentials: DemoCredential[] = [];

  await deps.store.transaction(async (tx: Repositories) => {
    const townships: RegionRecord[] = counties.flatMap((county) =>
      TOWNSHIP_NAMES.map((name, i) => ({
        code: `${county}${String(i + 1).padStart(3, '0')}`,
        name,
        level: 'township' as const,
        parentCode: county,
      })),
    );
    await tx.regions.upsertMany([region('620000'), region(CITY), ...counties.map(region), ...townships]);

    const org = async (
      name: string,
      kind: OrganisationKind,
      regionCode: string,
      parentId: number | null,
      departmentCode: string | null = null,
    ) =>
      tx.organisations.create({
        name: `${name}${SYNTHETIC}`,
        kind,
        regionCode,
        parentId,
        departmentCode,
        active: true,
        createdAt: at,
      });
    const user = async (
      username: string,
      displayName: string,
      organisation: { id: number; name: string },
      roles: Role[],
    ) => {
      await tx.users.create({
        username,
        displayName,
        organisationId: organisation.id,
        passwordHash,
        active: true,
        failedLoginCount: 0,
        lockedUntil: null,
        passwordChangedAt: at,
        lastLoginAt: null,
        createdAt: at,
        roles,
      });
      credentials.push({ username, displayName, roles, organisation: organisation.name });
    };

    const civil = await org('庆阳市民政局', 'admin', CITY, null);
    await user('admin', '系统管理员（演示）', civil, ['system_admin']);
    await user('auditor', '审计员（演示）', civil, ['audit_officer']);
    const cityAgency = await org('庆阳市居民家庭经济状况核对中心', 'agency', CITY, civil.id);
    await user('city_staff', '市级核对员（演示）', cityAgency, ['agency_staff']);
    await user('city_reviewer', '市级审核员（演示）', cityAgency, ['agency_reviewer']);
    for (const d of DEMO_DEPARTMENTS) {
      const dept = await org(d.name, 'department', CITY, null, d.code);
      await user(`dept_${d.code}`, `${d.name.replace('庆阳市', '')}数据员（演示）`, dept, [
        'department_officer',
      ]);
    }
    for (const county of counties) {
      const slug = COUNTY_SLUGS[county] as string;
      const name = region(county).name;
      const countyCivil = await org(`${name}民政局`, 'admin', county, civil.id);
      const agency = await org(`${name}居民家庭经济状况核对中心`, 'agency', county, cityAgency.id);
      const requester = await org(`${name}民政局社会救助股`, 'requester', county, countyCivil.id);
      if (slug === 'xifeng' || slug === 'qingcheng') {
        await user(`${slug}_admin`, `${name}系统管理员（演示）`, countyCivil, ['system_admin']);
        await user(`${slug}_auditor`, `${name}审计员（演示）`, countyCivil, ['audit_officer']);
        await user(`${slug}_staff`, `${name}核对员（演示）`, agency, ['agency_staff']);
        await user(`${slug}_reviewer`, `${name}审核员（演示）`, agency, ['agency_reviewer']);
        await user(`${slug}_requester`, `${name}救助经办人（演示）`, requester, ['requester_staff']);
      }
      for (const t of townships.filter((x) => x.parentCode === county)) {
        const township = await org(`${name}${t.name}人民政府`, 'requester', t.code, requester.id);
        if (slug === 'xifeng' && t.code.endsWith('001'))
          await user(`${slug}_township`, `${name}${t.name}经办人（演示）`, township, ['requester_staff']);
      }
    }
    await tx.audit.append(
      SYSTEM_ACTOR,
      {
        action: 'DEMO_CITY_LOADED',
        outcome: 'success',
        details: { users: credentials.length, synthetic: true },
      },
      at,
    );
  });
  return credentials;
}
