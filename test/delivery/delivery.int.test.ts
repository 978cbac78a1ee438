import { beforeAll, describe, expect, it } from 'vitest';
import { checkOverdueDeliveries } from '../../src/app/delivery/check-overdue-deliveries.ts';
import type { DeliveryStatusItem } from '../../src/app/delivery/get-delivery-status.ts';
import { updateDeliveryRule } from '../../src/app/delivery/update-delivery-rule.ts';
import { DATASETS } from '../../src/domain/catalog/datasets.ts';
import { expectError, TEST_START, type TestApp, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { benefitRow, commit, hukouRow, IMPORT_ACTOR } from '../support/deliveries.ts';

interface RuleBody {
  dataset: string;
  frequency: string;
  dueDay: number;
  firstPeriod: string | null;
  overridden: boolean;
  catalogFrequency: string;
  updatedAt: string | null;
  updatedBy: number | null;
}

interface StatusBody {
  today: string;
  items: DeliveryStatusItem[];
}

interface NoticeBody {
  id: number;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

interface NoticeListBody {
  items: NoticeBody[];
  total: number;
  unread: number;
}

async function status(t: TestApp, username: string): Promise<StatusBody> {
  const res = await t.call('GET', '/api/delivery/status', { cookie: await t.login(username) });
  expect(res.statusCode).toBe(200);
  return res.json<StatusBody>();
}

function item(body: StatusBody, dataset: string): DeliveryStatusItem {
  const found = body.items.find((i) => i.dataset === dataset);
  if (!found) throw new Error(`${dataset} missing from the status`);
  return found;
}

async function notices(t: TestApp, username: string): Promise<NoticeListBody> {
  const res = await t.call('GET', '/api/notices?pageSize=200', { cookie: await t.login(username) });
  expect(res.statusCode).toBe(200);
  return res.json<NoticeListBody>();
}

async function noticeKeys(t: TestApp, prefix: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('notice')
    .select('dedupeKey')
    .where('dedupeKey', 'like', `${prefix}%`)
    .orderBy('dedupeKey')
    .execute();
  return rows.map((r) => r.dedupeKey);
}

describeEachDatabase('delivery schedule', (dialect) => {
  const t = useTestApp(dialect);

  describe('delivery rules', () => {
    it('lists the catalog default for every dataset without a rule', async () => {
      const res = await t.call('GET', '/api/delivery/rules', { cookie: await t.login('admin') });
      expect(res.statusCode).toBe(200);
      const { items } = res.json<{ items: RuleBody[] }>();
      expect(items.map((r) => r.dataset)).toEqual(DATASETS.map((d) => d.code));
      expect(items.find((r) => r.dataset === 'hukou')).toEqual({
        dataset: 'hukou',
        datasetName: '户籍人口',
        departmentCode: 'public_security',
        departmentName: '公安',
        frequency: 'quarterly',
        dueDay: 10,
        firstPeriod: null,
        overridden: false,
        catalogFrequency: 'quarterly',
        updatedAt: null,
        updatedBy: null,
      });
    });

    it('overrides a dataset rule, normalising the first period, and audits the change', async () => {
      const cookie = await t.login('admin');
      const res = await t.call('PUT', '/api/delivery/rules/hukou', {
        cookie,
        body: { frequency: 'quarterly', dueDay: 15, firstPeriod: '2025-q1' },
      });
      expect(res.statusCode).toBe(200);
      const adminId = await t.userId('admin');
      expect(res.json<{ rule: RuleBody }>().rule).toMatchObject({
        dataset: 'hukou',
        frequency: 'quarterly',
        dueDay: 15,
        firstPeriod: '2025-Q1',
        overridden: true,
        updatedAt: TEST_START,
        updatedBy: adminId,
      });
      const listed = (await t.call('GET', '/api/delivery/rules', { cookie })).json<{ items: RuleBody[] }>();
      expect(listed.items.find((r) => r.dataset === 'hukou')).toMatchObject({ dueDay: 15, overridden: true });
      const [audit] = await t.audit('DELIVERY_RULE_UPDATED');
      expect(audit).toMatchObject({
        actorUserId: adminId,
        objectType: 'delivery_rule',
        objectId: 'hukou',
        outcome: 'success',
        details: {
          before: { frequency: 'quarterly', dueDay: 10, firstPeriod: null },
          after: { frequency: 'quarterly', dueDay: 15, firstPeriod: '2025-Q1' },
        },
      });
    });

    it('refuses a due day outside 1–28, a malformed first period and an unknown dataset, changing nothing', async () => {
      const cookie = await t.login('admin');
      const put = (dataset: string, body: object) =>
        t.call('PUT', `/api/delivery/rules/${dataset}`, { cookie, body });
      expectError(
        await put('hukou', { frequency: 'quarterly', dueDay: 29, firstPeriod: null }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await put('hukou', { frequency: 'weekly', dueDay: 10, firstPeriod: null }),
        400,
        'VALIDATION_FAILED',
      );
      const malformed = expectError(
        await put('hukou', { frequency: 'quarterly', dueDay: 10, firstPeriod: '2025-13' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(malformed.details).toEqual({
        errors: [expect.objectContaining({ path: 'firstPeriod', code: 'INVALID_RULE' })],
      });
      expectError(
        await put('nope', { frequency: 'monthly', dueDay: 10, firstPeriod: null }),
        404,
        'NOT_FOUND',
      );
      expect(await t.audit('DELIVERY_RULE_UPDATED')).toHaveLength(1);
    });

    it('lets only the system administrator read and change rules', async () => {
      const staff = await t.login('city_staff');
      const body = { frequency: 'monthly', dueDay: 10, firstPeriod: null };
      expectError(
        await t.call('PUT', '/api/delivery/rules/benefit', { cookie: staff, body }),
        403,
        'PERMISSION_DENIED',
      );
      const officer = await t.login('dept_human_resources');
      expectError(await t.call('GET', '/api/delivery/rules', { cookie: officer }), 403, 'PERMISSION_DENIED');
      expect(await t.audit('DELIVERY_RULE_UPDATED')).toHaveLength(1);
    });
  });

  describe('freshness', () => {
    beforeAll(async () => {
      const admin = { ...IMPORT_ACTOR, name: '测试管理员' };
      await updateDeliveryRule(
        t.deps,
        'hukou',
        { frequency: 'quarterly', dueDay: 10, firstPeriod: '2025-Q1' },
        admin,
      );
      await commit(t, {
        dataset: 'hukou',
        period: '2025-Q1',
        rows: [1, 2, 3].map(hukouRow),
        at: '2025-04-08T02:00:00.000Z',
      });
      // benefit keeps the default rule: expected from 2024-01, the first period of the previous year.
      const year = ['2024-03', '2024-11'].map((m) => benefitRow(1, m));
      await commit(t, { dataset: 'benefit', period: '2024', rows: year, at: '2025-01-20T02:00:00.000Z' });
      const half = [benefitRow(1, '2025-02'), benefitRow(2, '2025-06')];
      await commit(t, { dataset: 'benefit', period: '2025-H1', rows: half, at: '2025-07-05T02:00:00.000Z' });
      const july = [benefitRow(1, '2025-07')];
      await commit(t, { dataset: 'benefit', period: '2025-07', rows: july, at: '2025-08-09T02:00:00.000Z' });
      t.clock.set(TEST_START);
    });

    it('reports a quarterly dataset delivered for Q1, overdue for Q2 by 78 days and next due for Q3', async () => {
      const body = await status(t, 'city_staff');
      expect(body.today).toBe('2025-09-26');
      expect(item(body, 'hukou')).toEqual({
        dataset: 'hukou',
        datasetName: '户籍人口',
        departmentCode: 'public_security',
        departmentName: '公安',
        frequency: 'quarterly',
        dueDay: 10,
        firstPeriod: '2025-Q1',
        expectedFrom: '2025-Q1',
        latestPeriod: '2025-Q1',
        dataAsOf: '2025-04-08',
        lastDeliveredAt: '2025-04-08T02:00:00.000Z',
        nextDue: { period: '2025-Q3', dueDate: '2025-10-10' },
        overdue: [{ period: '2025-Q2', dueDate: '2025-07-10', daysOverdue: 78 }],
      });
    });

    it('counts a yearly batch for every month of a monthly dataset, from the default first period', async () => {
      expect(item(await status(t, 'city_staff'), 'benefit')).toMatchObject({
        frequency: 'monthly',
        firstPeriod: null,
        expectedFrom: '2024-01',
        latestPeriod: '2025-07',
        dataAsOf: '2025-07-31',
        lastDeliveredAt: '2025-08-09T02:00:00.000Z',
        nextDue: { period: '2025-09', dueDate: '2025-10-10' },
        overdue: [{ period: '2025-08', dueDate: '2025-09-10', daysOverdue: 16 }],
      });
    });

    it('owes every expected period of a dataset nobody delivered', async () => {
      const payroll = item(await status(t, 'city_staff'), 'payroll');
      expect(payroll).toMatchObject({ latestPeriod: null, dataAsOf: null, lastDeliveredAt: null });
      expect(payroll.overdue.map((o) => o.period)).toEqual(['2024-H1', '2024-H2', '2025-H1']);
    });

    it('does not call a period overdue on its due date in Shanghai, and does from the next Shanghai day', async () => {
      t.clock.set('2025-09-10T15:59:00.000Z');
      expect(item(await status(t, 'city_staff'), 'benefit')).toMatchObject({
        nextDue: { period: '2025-08', dueDate: '2025-09-10' },
        overdue: [],
      });
      t.clock.set('2025-09-10T16:00:00.000Z');
      expect(item(await status(t, 'city_staff'), 'benefit')).toMatchObject({
        nextDue: { period: '2025-09', dueDate: '2025-10-10' },
        overdue: [{ period: '2025-08', dueDate: '2025-09-10', daysOverdue: 1 }],
      });
      t.clock.set(TEST_START);
    });

    it('follows an overridden due day', async () => {
      const admin = await t.login('admin');
      const put = (dueDay: number) =>
        t.call('PUT', '/api/delivery/rules/benefit', {
          cookie: admin,
          body: { frequency: 'monthly', dueDay, firstPeriod: null },
        });
      expect((await put(20)).statusCode).toBe(200);
      expect(item(await status(t, 'city_reviewer'), 'benefit')).toMatchObject({
        dueDay: 20,
        nextDue: { period: '2025-09', dueDate: '2025-10-20' },
        overdue: [{ period: '2025-08', dueDate: '2025-09-20', daysOverdue: 6 }],
      });
      expect((await put(10)).statusCode).toBe(200);
    });

    it('shows a department officer only the datasets their department delivers', async () => {
      expect((await status(t, 'dept_public_security')).items.map((i) => i.dataset)).toEqual([
        'hukou',
        'vehicle',
        'exit_entry',
      ]);
      expect((await status(t, 'dept_civil_affairs')).items.map((i) => i.dataset)).toEqual([
        'marriage',
        'death',
        'social_assistance',
      ]);
      expect((await status(t, 'city_reviewer')).items).toHaveLength(DATASETS.length);
    });

    it('refuses the status to the system administrator, requesters and auditors', async () => {
      for (const username of ['admin', 'xifeng_requester', 'auditor'])
        expectError(
          await t.call('GET', '/api/delivery/status', { cookie: await t.login(username) }),
          403,
          'PERMISSION_DENIED',
        );
    });
  });

  describe('overdue notices', () => {
    let otherCityAgency = 0;

    beforeAll(async () => {
      t.clock.set(TEST_START);
      const lanzhou = await t.deps.store.organisations.create({
        name: '兰州市核对中心（测试）',
        kind: 'agency',
        regionCode: '620100',
        parentId: null,
        departmentCode: null,
        active: true,
        createdAt: TEST_START,
      });
      otherCityAgency = lanzhou.id;
    });

    it('notifies the delivering department and its city agency once per overdue period, audited', async () => {
      const result = await checkOverdueDeliveries(t.deps);
      expect(result).toMatchObject({ today: '2025-09-26', datasetsChecked: DATASETS.length });
      // 庆阳市公安局 and the city agency of 庆阳市; neither its county agencies nor 兰州's.
      expect(result.items.filter((i) => i.dataset === 'hukou')).toEqual([
        {
          dataset: 'hukou',
          period: '2025-Q2',
          dueDate: '2025-07-10',
          daysOverdue: 78,
          recipients: 2,
          noticesCreated: 2,
        },
      ]);
      expect(result.items.find((i) => i.dataset === 'benefit' && i.period === '2025-08')).toMatchObject({
        recipients: 2,
        noticesCreated: 2,
      });
      expect(await noticeKeys(t, 'delivery_overdue:hukou:')).toHaveLength(2);
      expect(await noticeKeys(t, `delivery_overdue:hukou:2025-Q2:${otherCityAgency}`)).toEqual([]);
      // No organisation of 教育 is on the demo platform: its datasets are overdue but nobody is told.
      expect(result.items.find((i) => i.dataset === 'student_status')).toMatchObject({
        recipients: 0,
        noticesCreated: 0,
      });
      expect(result.noticesCreated).toBe(result.items.reduce((n, i) => n + i.noticesCreated, 0));
      const audits = (await t.audit('DELIVERY_OVERDUE_NOTIFIED')).filter((a) => a.objectId === 'hukou');
      expect(audits).toEqual([
        expect.objectContaining({
          actorUserId: null,
          objectType: 'dataset',
          details: { period: '2025-Q2', dueDate: '2025-07-10', notices: 2 },
        }),
      ]);
    });

    it('creates nothing new when the check runs again', async () => {
      const before = (await t.audit('DELIVERY_OVERDUE_NOTIFIED')).length;
      const again = await checkOverdueDeliveries(t.deps);
      expect(again.noticesCreated).toBe(0);
      expect(again.items.find((i) => i.dataset === 'hukou')).toMatchObject({
        period: '2025-Q2',
        noticesCreated: 0,
      });
      expect(await noticeKeys(t, 'delivery_overdue:hukou:')).toHaveLength(2);
      expect(await t.audit('DELIVERY_OVERDUE_NOTIFIED')).toHaveLength(before);
    });

    it("lists the caller's organisation's notices with the unread count, in Chinese", async () => {
      const city = await notices(t, 'city_staff');
      expect(city.unread).toBe(city.total);
      const hukou = city.items.find((n) => n.title.includes('户籍人口'));
      expect(hukou).toMatchObject({
        kind: 'delivery_overdue',
        title: '数据报送逾期：户籍人口 2025年第2季度（2025-Q2）',
        readAt: null,
        createdAt: TEST_START,
      });
      expect(hukou?.body).toContain('应于 2025-07-10 前报送');

      const department = await notices(t, 'dept_public_security');
      expect(department.total).toBeGreaterThan(0);
      expect(department.items.every((n) => /户籍人口|机动车登记|出入境/.test(n.title))).toBe(true);
      expect((await notices(t, 'dept_finance')).items.some((n) => n.title.includes('户籍人口'))).toBe(false);
      expect(await notices(t, 'admin')).toEqual({ items: [], total: 0, unread: 0 });
    });

    it('marks a notice read once, audited; notices of other organisations are out of scope', async () => {
      const staff = await t.login('city_staff');
      const [first] = (await notices(t, 'city_staff')).items;
      if (!first) throw new Error('city_staff has no notice');
      expectError(
        await t.call('POST', `/api/notices/${first.id}/read`, { cookie: await t.login('xifeng_staff') }),
        404,
        'OUT_OF_SCOPE',
      );
      expectError(await t.call('POST', '/api/notices/999999/read', { cookie: staff }), 404, 'OUT_OF_SCOPE');
      expect(await t.audit('NOTICE_READ')).toEqual([]);

      const read = await t.call('POST', `/api/notices/${first.id}/read`, { cookie: staff });
      expect(read.statusCode).toBe(200);
      expect(read.json<{ notice: NoticeBody }>().notice).toMatchObject({ id: first.id, readAt: TEST_START });
      const after = await notices(t, 'city_staff');
      expect(after.unread).toBe(after.total - 1);
      expect(after.items.find((n) => n.id === first.id)?.readAt).toBe(TEST_START);
      const unreadOnly = (
        await t.call('GET', '/api/notices?unread=true&pageSize=200', { cookie: staff })
      ).json<NoticeListBody>();
      expect(unreadOnly.items.map((n) => n.id)).not.toContain(first.id);
      expect(unreadOnly.total).toBe(after.unread);

      t.clock.set('2025-09-26T03:00:00.000Z');
      const again = await t.call('POST', `/api/notices/${first.id}/read`, {
        cookie: await t.login('city_staff'),
      });
      expect(again.json<{ notice: NoticeBody }>().notice.readAt).toBe(TEST_START);
      t.clock.set(TEST_START);
      expect(await t.audit('NOTICE_READ')).toEqual([
        expect.objectContaining({
          actorUserId: await t.userId('city_staff'),
          objectType: 'notice',
          objectId: String(first.id),
        }),
      ]);
    });

    it('stops owing a period delivered late, and notifies a newly overdue one first in the list', async () => {
      await commit(t, {
        dataset: 'hukou',
        period: '2025-Q2',
        rows: [1, 2].map(hukouRow),
        at: '2025-09-30T02:00:00.000Z',
      });
      t.clock.set('2025-10-11T02:00:00.000Z');
      const result = await checkOverdueDeliveries(t.deps);
      expect(result.items.filter((i) => i.dataset === 'hukou')).toEqual([
        {
          dataset: 'hukou',
          period: '2025-Q3',
          dueDate: '2025-10-10',
          daysOverdue: 1,
          recipients: 2,
          noticesCreated: 2,
        },
      ]);
      const [newest] = (await notices(t, 'city_staff')).items;
      expect(newest?.createdAt).toBe('2025-10-11T02:00:00.000Z');
      const titles = (await notices(t, 'city_staff')).items.map((n) => n.title);
      expect(titles).toContain('数据报送逾期：户籍人口 2025年第3季度（2025-Q3）');
      t.clock.set(TEST_START);
    });
  });
});
