import { beforeAll, expect, it } from 'vitest';
import { expectError, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

interface Version {
  version: number;
  label: string;
  windowMonths: number;
  exemptSubsidyItems: string[];
  tolerances: Record<string, number>;
  seriousMultiple: number;
  notes: string;
  effectiveFrom: string;
  publishedBy: number | null;
}
interface Profile {
  id: number;
  regionCode: string;
  assistanceType: string;
  assistanceTypeName: string;
  versions: Version[];
}
interface Resolved {
  source: 'profile' | 'default';
  regionCode: string | null;
  profileId: number | null;
  version: Version | null;
  policy: { version: string; windowMonths: number; exemptSubsidyItems: string[] };
}

describeEachDatabase('policy profiles', (dialect) => {
  const t = useTestApp(dialect);
  let cityReviewer: string;
  let cityStaff: string;
  let xifengReviewer: string;
  let xifengStaff: string;
  let qingchengStaff: string;
  let admin: string;

  beforeAll(async () => {
    cityReviewer = await t.login('city_reviewer');
    cityStaff = await t.login('city_staff');
    xifengReviewer = await t.login('xifeng_reviewer');
    xifengStaff = await t.login('xifeng_staff');
    qingchengStaff = await t.login('qingcheng_staff');
    admin = await t.login('admin');
  });

  const createProfile = async (cookie: string, regionCode: string, assistanceType: string) => {
    const res = await t.call('POST', '/api/policy-profiles', {
      cookie,
      body: { regionCode, assistanceType },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ profile: Profile }>().profile;
  };
  const publish = async (cookie: string, id: number, body: Record<string, unknown>) => {
    const res = await t.call('POST', `/api/policy-profiles/${id}/versions`, { cookie, body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ version: Version }>().version;
  };
  const resolve = async (cookie: string, regionCode: string, assistanceType: string, date: string) => {
    const res = await t.call(
      'GET',
      `/api/policy-profiles/resolve?regionCode=${regionCode}&assistanceType=${assistanceType}&date=${date}`,
      { cookie },
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Resolved>();
  };

  it('creates a profile, publishes numbered immutable versions and audits both', async () => {
    const profile = await createProfile(xifengReviewer, '621002', 'subsistence_allowance');
    expect(profile).toMatchObject({
      regionCode: '621002',
      assistanceType: 'subsistence_allowance',
      assistanceTypeName: '最低生活保障',
      versions: [],
    });
    const v1 = await publish(xifengReviewer, profile.id, {
      windowMonths: 6,
      exemptSubsidyItems: ['高龄补贴', ' 残疾人两项补贴 '],
      tolerances: { wages: 20_000 },
      seriousMultiple: 3,
      notes: '西峰区低保核对办法（测试）',
      effectiveFrom: '2025-01-01',
    });
    expect(v1).toMatchObject({
      version: 1,
      label: '621002-subsistence_allowance-v1',
      windowMonths: 6,
      exemptSubsidyItems: ['高龄补贴', '残疾人两项补贴'],
      tolerances: { wages: 20_000, deposits: 100_000 },
      seriousMultiple: 3,
      effectiveFrom: '2025-01-01',
      publishedBy: await t.userId('xifeng_reviewer'),
    });
    const v2 = await publish(xifengReviewer, profile.id, { windowMonths: 12, effectiveFrom: '2025-09-01' });
    // What version 2 leaves out keeps version 1's value, not the built-in default.
    expect(v2).toMatchObject({
      version: 2,
      label: '621002-subsistence_allowance-v2',
      windowMonths: 12,
      exemptSubsidyItems: ['高龄补贴', '残疾人两项补贴'],
      tolerances: { wages: 20_000, deposits: 100_000 },
      seriousMultiple: 3,
    });

    const detail = (await t.call('GET', `/api/policy-profiles/${profile.id}`, { cookie: xifengStaff })).json<{
      profile: Profile;
    }>().profile;
    expect(detail.versions.map((v) => [v.version, v.windowMonths, v.effectiveFrom])).toEqual([
      [1, 6, '2025-01-01'],
      [2, 12, '2025-09-01'],
    ]);
    // Version 1 is unchanged by the publication of version 2.
    expect(detail.versions[0]).toEqual(v1);

    const [created] = await t.audit('POLICY_PROFILE_CREATED');
    expect(created).toMatchObject({
      actorUserId: await t.userId('xifeng_reviewer'),
      outcome: 'success',
      objectType: 'policy_profile',
      objectId: String(profile.id),
      details: { regionCode: '621002', assistanceType: 'subsistence_allowance' },
    });
    const published = await t.audit('POLICY_VERSION_PUBLISHED');
    expect(published.map((e) => e.details.label)).toEqual([
      '621002-subsistence_allowance-v2',
      '621002-subsistence_allowance-v1',
    ]);

    const list = (await t.call('GET', '/api/policy-profiles', { cookie: xifengStaff })).json<{
      items: (Profile & { latest: Version | null })[];
    }>();
    expect(list.items.find((p) => p.id === profile.id)?.latest?.version).toBe(2);
  });

  it('refuses a second profile for the same region and type with 409 CONFLICT', async () => {
    const res = await t.call('POST', '/api/policy-profiles', {
      cookie: xifengReviewer,
      body: { regionCode: '621002', assistanceType: 'subsistence_allowance' },
    });
    expectError(res, 409, 'CONFLICT');
  });

  it('resolves by effective date and up the region tree, else the default', async () => {
    const city = await createProfile(cityReviewer, '621000', 'subsistence_allowance');
    await publish(cityReviewer, city.id, { windowMonths: 24, effectiveFrom: '2024-01-01' });

    // Township → its county's profile, by date.
    const sept = await resolve(xifengStaff, '621002001', 'subsistence_allowance', '2025-09-26');
    expect(sept).toMatchObject({
      source: 'profile',
      regionCode: '621002',
      version: { version: 2 },
      policy: { version: '621002-subsistence_allowance-v2', windowMonths: 12 },
    });
    const june = await resolve(xifengStaff, '621002', 'subsistence_allowance', '2025-06-30');
    expect(june.policy).toMatchObject({
      version: '621002-subsistence_allowance-v1',
      windowMonths: 6,
      exemptSubsidyItems: ['高龄补贴', '残疾人两项补贴'],
    });
    // Before the county's first version, the city's applies.
    const before = await resolve(xifengStaff, '621002', 'subsistence_allowance', '2024-06-01');
    expect(before).toMatchObject({ source: 'profile', regionCode: '621000', policy: { windowMonths: 24 } });
    // A county without a profile of its own gets the city's.
    const qingcheng = await resolve(qingchengStaff, '621021', 'subsistence_allowance', '2025-09-26');
    expect(qingcheng.policy.version).toBe('621000-subsistence_allowance-v1');
    // Before anything is in effect, and for a type nobody configured: the built-in default.
    expect(await resolve(cityStaff, '621002', 'subsistence_allowance', '2023-12-31')).toMatchObject({
      source: 'default',
      regionCode: null,
      version: null,
      policy: { version: 'default-v1', windowMonths: 12 },
    });
    expect((await resolve(cityStaff, '621002', 'medical_assistance', '2025-09-26')).policy.version).toBe(
      'default-v1',
    );
  });

  it('keeps profiles and regions of other counties out of scope (404 OUT_OF_SCOPE)', async () => {
    expectError(
      await t.call('POST', '/api/policy-profiles', {
        cookie: xifengReviewer,
        body: { regionCode: '621021', assistanceType: 'medical_assistance' },
      }),
      404,
      'OUT_OF_SCOPE',
    );
    const qingcheng = await createProfile(cityReviewer, '621021', 'medical_assistance');
    expectError(
      await t.call('POST', `/api/policy-profiles/${qingcheng.id}/versions`, {
        cookie: xifengReviewer,
        body: { effectiveFrom: '2025-01-01' },
      }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await t.call('GET', `/api/policy-profiles/${qingcheng.id}`, { cookie: xifengStaff }),
      404,
      'OUT_OF_SCOPE',
    );
    expectError(
      await t.call(
        'GET',
        '/api/policy-profiles/resolve?regionCode=621021&assistanceType=medical_assistance&date=2025-09-26',
        { cookie: xifengStaff },
      ),
      404,
      'OUT_OF_SCOPE',
    );
    const xifengList = (await t.call('GET', '/api/policy-profiles', { cookie: xifengStaff })).json<{
      items: Profile[];
    }>();
    expect(xifengList.items.map((p) => p.regionCode)).toEqual(['621002']);
    const cityList = (await t.call('GET', '/api/policy-profiles', { cookie: cityStaff })).json<{
      items: Profile[];
    }>();
    expect(cityList.items.map((p) => p.regionCode).sort()).toEqual(['621000', '621002', '621021']);
    expectError(
      await t.call('GET', '/api/policy-profiles/999999', { cookie: cityStaff }),
      404,
      'OUT_OF_SCOPE',
    );
  });

  it('lets only reviewers publish, and refuses administrators and auditors (403)', async () => {
    const body = { regionCode: '621002', assistanceType: 'temporary_assistance' };
    expectError(
      await t.call('POST', '/api/policy-profiles', { cookie: xifengStaff, body }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(
      await t.call('POST', '/api/policy-profiles', { cookie: admin, body }),
      403,
      'PERMISSION_DENIED',
    );
    expectError(await t.call('GET', '/api/policy-profiles', { cookie: admin }), 403, 'PERMISSION_DENIED');
    const auditor = await t.login('auditor');
    expectError(await t.call('GET', '/api/policy-profiles', { cookie: auditor }), 403, 'PERMISSION_DENIED');
    const profile = await createProfile(xifengReviewer, '621002', 'temporary_assistance');
    for (const cookie of [xifengStaff, admin, auditor])
      expectError(
        await t.call('POST', `/api/policy-profiles/${profile.id}/versions`, {
          cookie,
          body: { effectiveFrom: '2025-01-01' },
        }),
        403,
        'PERMISSION_DENIED',
      );
  });

  it('refuses invalid settings with 400 VALIDATION_FAILED listing every problem, and publishes nothing', async () => {
    const profile = await createProfile(xifengReviewer, '621002', 'education_assistance');
    const res = await t.call('POST', `/api/policy-profiles/${profile.id}/versions`, {
      cookie: xifengReviewer,
      body: {
        windowMonths: 40,
        seriousMultiple: 0,
        tolerances: { deposits: -5, bonus: 1 },
        exemptSubsidyItems: [''],
        effectiveFrom: '2025-13-01',
      },
    });
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    const { errors } = error.details as { errors: { path: string; code: string; message: string }[] };
    expect(errors.map((e) => e.code).sort()).toEqual(
      [
        'EFFECTIVE_FROM_INVALID',
        'EXEMPT_ITEM_INVALID',
        'SERIOUS_MULTIPLE_INVALID',
        'TOLERANCE_INVALID',
        'TOLERANCE_UNKNOWN_CATEGORY',
        'WINDOW_MONTHS_INVALID',
      ].sort(),
    );
    expect(errors.find((e) => e.code === 'WINDOW_MONTHS_INVALID')?.message).toContain('1–36');
    const detail = (
      await t.call('GET', `/api/policy-profiles/${profile.id}`, { cookie: xifengReviewer })
    ).json<{ profile: Profile }>().profile;
    expect(detail.versions).toEqual([]);

    expectError(
      await t.call('POST', '/api/policy-profiles', {
        cookie: xifengReviewer,
        body: { regionCode: '621002', assistanceType: 'pension' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await t.call('POST', '/api/policy-profiles', {
        cookie: cityReviewer,
        body: { regionCode: '621099', assistanceType: 'housing_assistance' },
      }),
      400,
      'INVALID_REGION',
    );
    expectError(
      await t.call(
        'GET',
        '/api/policy-profiles/resolve?regionCode=621002&assistanceType=housing_assistance&date=2025-02-30',
        { cookie: xifengStaff },
      ),
      400,
      'INVALID_DATE',
    );
  });

  it('refuses a second profile for the same region and type at the database too, as CONFLICT', async () => {
    // The use case checks first; two creations racing past that check meet the unique index instead.
    const profile = {
      regionCode: '621026',
      assistanceType: 'temporary_assistance' as const,
      createdAt: '2025-09-26T02:00:00.000Z',
      createdBy: null,
    };
    await t.deps.store.policyProfiles.create(profile);
    await expect(t.deps.store.policyProfiles.create(profile)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
