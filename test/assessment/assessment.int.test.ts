import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../src/app/ingest/import-batch.ts';
import { BIRTH_KEY_PURPOSE } from '../../src/domain/matching/birth-date.ts';
import { expectError, useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import {
  birthDateOf,
  csvBytes,
  hukouRow,
  idNumber,
  multipart,
  payrollRow,
  personName,
  type Row,
} from '../support/department-data.ts';

/**
 * The whole path of issue #4 on both databases: department batches uploaded over HTTP → an assessment of a
 * household → figures with their evidence, discrepancies against the declaration, name flags, possible matches
 * decided by a person, reproducible re-runs and re-runs against newer data. The test clock stands at
 * 2025-09-26 (Shanghai), so the default window is 2024-09 … 2025-08.
 */

interface Evidence {
  recordId: number;
  dataset: string;
  batchId: number;
  departmentCode: string;
  dataAsOf: string;
  counted: boolean;
  reason?: string;
  amountFen: number;
  month: string;
}
interface Figure {
  totalFen: number;
  months: { month: string; amountFen: number; evidence: Evidence[] }[];
}
interface View {
  id: number;
  caseRef: string;
  policyLabel: string;
  asOfDate: string;
  mode: string;
  rerunOf: number | null;
  batchIds: number[];
  summary: Record<string, number>;
  result: {
    members: { memberId: string; idNumberMasked: string; name: string }[];
    assessment: {
      window: { firstMonth: string; lastMonth: string };
      members: {
        member: { memberId: string };
        counted: boolean;
        notCountedReasons: string[];
        income: { categories: Record<string, Figure>; total: Figure };
        assets: {
          deposits: { totalFen: number };
          vehicles: { count: number; evidence: { counted: boolean; reason?: string; identifier: string }[] };
        };
      }[];
      household: {
        countedMemberIds: string[];
        perCapitaMonthlyIncomeFen: number | null;
        income: { total: { totalFen: number }; categories: Record<string, { totalFen: number }> };
        assets: { deposits: { totalFen: number }; vehicles: { count: number } };
      };
    };
    civilStatus: {
      members: {
        memberId: string;
        hukou: { householdNumber: string; provenance: { batchId: number } } | null;
      }[];
      contradictions: { code: string; memberId: string; severity: string }[];
    };
    discrepancies: {
      memberId: string;
      category: string;
      kind: string;
      severity: string;
      differenceFen: number | null;
    }[];
    links: {
      recordId: number;
      memberId: string;
      basis: string;
      flag: { code: string; recordName: string; personName: string } | null;
    }[];
    possibleMatches: {
      recordId: number;
      memberId: string;
      status: string;
      reasons: string[];
      record: { name: string };
    }[];
    sources: { batches: { id: number; dataset: string; departmentCode: string; dataAsOf: string }[] };
    policy: { label: string; source: string };
    notice: string;
  };
}
interface Comparison {
  changes: { memberId: string; figure: string; before: number | null; after: number | null }[];
  batchesAdded: number[];
  batchesRemoved: number[];
}

/** Accepted cases of this household (every data query serves one), opened in beforeAll. */
let CASE = '';
const cases: Record<string, string> = {};
const A = 0; // 户主
const B = 1; // 配偶
const C = 2; // 子, conscript (not counted)
const H1 = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];

function household(overrides: Record<string, unknown> = {}) {
  return {
    caseRef: CASE,
    regionCode: '621002',
    assistanceType: 'subsistence_allowance',
    members: [
      {
        idNumber: idNumber(A),
        name: personName(A),
        relation: '本人',
        coResiding: true,
        exclusion: null,
        declaredIncome: { wages: 3_000_000 },
      },
      { idNumber: idNumber(B), name: personName(B), relation: '配偶', coResiding: true, exclusion: null },
      {
        idNumber: idNumber(C),
        name: personName(C),
        relation: '子',
        coResiding: true,
        exclusion: 'conscript',
      },
    ],
    declaredAssets: { depositsFen: 1_200_000, vehicles: { count: 0 } },
    ...overrides,
  };
}

describeEachDatabase('assessment engine from uploaded batches', (dialect) => {
  const t = useTestApp(dialect);
  let staff: string;
  let otherCounty: string;
  const batches: Record<string, number> = {};

  const upload = async (
    cookie: string,
    dataset: string,
    period: string,
    rows: Row[],
  ): Promise<ImportResult> => {
    const { payload, headers } = multipart(
      { dataset, period },
      { name: `${dataset}.csv`, content: csvBytes(rows) },
    );
    const res = await t.call('POST', '/api/batches', { cookie, body: payload, headers });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<ImportResult>();
    expect(result.status, JSON.stringify(result.errors.slice(0, 3))).toBe('committed');
    return result;
  };
  const assess = async (body: unknown) => {
    const res = await t.call('POST', '/api/assessments', { cookie: staff, body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ assessment: View }>().assessment;
  };
  const member = (view: View, memberId: string) => {
    const found = view.result.assessment.members.find((m) => m.member.memberId === memberId);
    if (!found) throw new Error(`no ${memberId}`);
    return found;
  };

  beforeAll(async () => {
    const members = household().members.map(({ idNumber, name, relation }) => ({ idNumber, name, relation }));
    for (const key of ['main', 'recorded', 'asOf', 'noId', 'other'])
      cases[key] = (await openCase(t.deps, members)).number;
    CASE = cases.main as string;
    staff = await t.login('xifeng_staff');
    otherCounty = await t.login('qingcheng_staff');
    const police = await t.login('dept_public_security');
    batches.hukou = (await upload(police, 'hukou', '2025-Q3', [hukouRow(A), hukouRow(B), hukouRow(C)]))
      .batchId as number;
    batches.vehicle = (
      await upload(police, 'vehicle', '2025-Q3', [
        {
          身份证号: idNumber(A),
          姓名: '王五',
          号牌号码: '甘M12345',
          车辆类型: '小型轿车',
          使用性质: '非营运',
          初次登记日期: '2019-05-20',
          车辆状态: '正常',
          残疾人专用车: '',
        },
        {
          身份证号: idNumber(A),
          姓名: personName(A),
          号牌号码: '甘M00001',
          车辆类型: '残疾人专用车',
          使用性质: '非营运',
          初次登记日期: '2020-01-10',
          车辆状态: '正常',
          残疾人专用车: '是',
        },
      ])
    ).batchId as number;
    const finance = await t.login('dept_finance');
    batches.payroll = (
      await upload(finance, 'payroll', '2025-H1', [
        ...H1.map((month) => payrollRow(A, month, { 应发工资: '5000.00', 实发工资: '4200.00' })),
        payrollRow(C, '2025-03', { 应发工资: '1000.00', 实发工资: '900.00' }),
      ])
    ).batchId as number;
    const tax = await t.login('dept_taxation');
    batches.tax = (
      await upload(tax, 'tax_income', '2025-H1', [
        {
          身份证号: idNumber(A),
          姓名: personName(A),
          所得项目: '工资薪金',
          所属期起: '2025-01',
          所属期止: '2025-06',
          收入额: '36000.00',
          已缴税额: '600.00',
        },
      ])
    ).batchId as number;
    const bank = await t.login('dept_banking');
    batches.deposit = (
      await upload(bank, 'deposit', '2025-Q3', [
        {
          身份证号: idNumber(B),
          姓名: personName(B),
          金融机构: '庆阳农商银行',
          账号: '6230000000001',
          资产类型: '活期存款',
          余额: '12000.50',
          截至日期: '2025-09-20',
        },
      ])
    ).batchId as number;
  });

  describe('a first assessment', () => {
    let view: View;
    beforeAll(async () => {
      view = await assess(household());
    });

    it('counts the co-residing members who are not excluded and reports the excluded one apart', () => {
      expect(view.result.assessment.window).toMatchObject({ firstMonth: '2024-09', lastMonth: '2025-08' });
      expect(view.result.assessment.household.countedMemberIds).toEqual(['m1', 'm2']);
      expect(member(view, 'm3')).toMatchObject({ counted: false, notCountedReasons: ['conscript'] });
      expect(member(view, 'm3').income.categories.wages?.totalFen).toBe(100_000);
      expect(view.result.assessment.household.income.categories.wages?.totalFen).toBe(3_600_000);
    });

    it('takes the larger source per month and keeps the smaller one as evidence, with its batch and date', () => {
      const march = member(view, 'm1').income.categories.wages?.months.find((m) => m.month === '2025-03');
      expect(march?.amountFen).toBe(600_000);
      const byDataset = Object.fromEntries(march?.evidence.map((e) => [e.dataset, e]) ?? []);
      expect(byDataset.tax_income).toMatchObject({
        counted: true,
        amountFen: 600_000,
        batchId: batches.tax,
        departmentCode: 'taxation',
        // A periodic batch's data are as of the end of its period unless the department says otherwise.
        dataAsOf: '2025-06-30',
      });
      expect(byDataset.payroll).toMatchObject({
        counted: false,
        reason: 'covered_by_larger_source',
        amountFen: 500_000,
        batchId: batches.payroll,
        departmentCode: 'finance',
      });
    });

    it('computes transfer expenses, per-capita income, deposits and vehicles without the disability vehicle', () => {
      const household = view.result.assessment.household;
      expect(household.income.categories.transferExpense?.totalFen).toBe(60_000);
      expect(household.income.total.totalFen).toBe(3_540_000);
      // 3 540 000 fen ÷ 12 months ÷ 2 members
      expect(household.perCapitaMonthlyIncomeFen).toBe(147_500);
      expect(household.assets.deposits.totalFen).toBe(1_200_050);
      expect(household.assets.vehicles.count).toBe(1);
      const plates = member(view, 'm1').assets.vehicles.evidence;
      expect(plates.find((e) => e.identifier === '甘M00001')).toMatchObject({
        counted: false,
        reason: 'disability_vehicle',
      });
    });

    it('lists every discrepancy against the declaration with its severity', () => {
      const found = view.result.discrepancies.map((d) => [d.memberId, d.category, d.kind, d.severity]);
      expect(found).toContainEqual(['m1', 'wages', 'amount', 'serious']);
      expect(found).toContainEqual(['m1', 'vehicles', 'undeclared_asset', 'serious']);
      // Tax paid is a transfer expense: declared transfer net income 0 against −600 元 found.
      expect(found).toContainEqual(['m1', 'transferNet', 'amount', 'warning']);
      expect(found).toContainEqual(['household', 'deposits', 'amount', 'info']);
      expect(view.result.discrepancies.find((d) => d.category === 'wages')?.differenceFen).toBe(600_000);
    });

    it('shows civil-status facts with their source and flags contradictions', () => {
      const civil = view.result.civilStatus;
      expect(civil.members[0]?.hukou).toMatchObject({
        householdNumber: 'H0000000',
        provenance: { batchId: batches.hukou },
      });
      // hukou lists person B as 子 of the head; the family declared B as 配偶.
      expect(civil.contradictions).toContainEqual(
        expect.objectContaining({ code: 'RELATION_DIFFERS', memberId: 'm2', severity: 'info' }),
      );
      expect(view.summary.contradictions).toBe(civil.contradictions.length);
    });

    it('links a record with the same ID and another name, flagged NAME_MISMATCH with both names', () => {
      const flagged = view.result.links.filter((link) => link.flag !== null);
      expect(flagged).toHaveLength(1);
      expect(flagged[0]?.flag).toMatchObject({
        code: 'NAME_MISMATCH',
        recordName: '王五',
        personName: personName(A),
      });
      expect(view.summary.nameMismatches).toBe(1);
    });

    it('records the batches and the policy version it used, masks ID numbers and decides nothing', () => {
      expect(view.batchIds).toEqual(Object.values(batches).sort((a, b) => a - b));
      expect(view.result.sources.batches.map((b) => b.dataset).sort()).toEqual(
        ['deposit', 'hukou', 'payroll', 'tax_income', 'vehicle'].sort(),
      );
      expect(view.policyLabel).toBe('default-v1');
      expect(view.result.policy.source).toBe('default');
      const text = JSON.stringify(view);
      for (const index of [A, B, C]) expect(text).not.toContain(idNumber(index));
      expect(view.result.members[0]?.idNumberMasked).toMatch(/^6210\*{10}\d{3}[\dX]$/);
      expect(text).not.toMatch(/符合条件|不符合|建议(给予|不予)|eligible/);
      expect(view.result.notice).toContain('只核对、不认定');
    });

    it('is audited with its case, and reading it again is audited too', async () => {
      const [run] = await t.audit('ASSESSMENT_RUN');
      expect(run).toMatchObject({ caseId: CASE, objectId: String(view.id) });
      const res = await t.call('GET', `/api/assessments/${view.id}`, { cookie: staff });
      expect(res.statusCode).toBe(200);
      const [viewed] = await t.audit('ASSESSMENT_VIEWED');
      expect(viewed).toMatchObject({ caseId: CASE, objectId: String(view.id) });
    });

    it('is out of scope for another county and listed without personal data in its own', async () => {
      expectError(
        await t.call('GET', `/api/assessments/${view.id}`, { cookie: otherCounty }),
        404,
        'OUT_OF_SCOPE',
      );
      const list = await t.call('GET', `/api/assessments?caseRef=${CASE}`, { cookie: staff });
      expect(list.statusCode).toBe(200);
      const body = list.json<{ items: Record<string, unknown>[]; total: number }>();
      expect(body.total).toBeGreaterThanOrEqual(1);
      expect(body.items[0]).not.toHaveProperty('result');
      expect(JSON.stringify(body)).not.toContain(personName(A));
      const none = await t.call('GET', `/api/assessments?caseRef=${CASE}`, { cookie: otherCounty });
      expect(none.json<{ total: number }>().total).toBe(0);
    });
  });

  describe('reproducibility', () => {
    it('re-runs with the recorded batches after newer data arrived, and shows the change against data standing now', async () => {
      const first = await assess(household({ caseRef: cases.recorded }));
      t.clock.advance(2 * 86_400_000);
      staff = await t.login('xifeng_staff');
      const bank = await t.login('dept_banking');
      const newer = await upload(bank, 'deposit', '2025-Q3', [
        {
          身份证号: idNumber(B),
          姓名: personName(B),
          金融机构: '庆阳农商银行',
          账号: '6230000000001',
          资产类型: '活期存款',
          余额: '80000.00',
          截至日期: '2025-09-25',
        },
      ]);
      const recorded = await t.call('POST', `/api/assessments/${first.id}/rerun`, {
        cookie: staff,
        body: { mode: 'recorded' },
      });
      expect(recorded.statusCode, recorded.body).toBe(200);
      const same = recorded.json<{ assessment: View; comparison: Comparison }>();
      expect(same.assessment).toMatchObject({
        mode: 'recorded',
        rerunOf: first.id,
        batchIds: first.batchIds,
      });
      expect(same.comparison.changes).toEqual([]);
      expect(same.assessment.result.assessment.household.assets.deposits.totalFen).toBe(1_200_050);

      const now = await t.call('POST', `/api/assessments/${first.id}/rerun`, {
        cookie: staff,
        body: { mode: 'standing' },
      });
      const changed = now.json<{ assessment: View; comparison: Comparison }>();
      expect(changed.comparison.batchesAdded).toEqual([newer.batchId]);
      expect(changed.comparison.batchesRemoved).toEqual([batches.deposit]);
      expect(changed.comparison.changes).toContainEqual({
        memberId: 'household',
        figure: 'assets.deposits',
        before: 1_200_050,
        after: 8_000_000,
      });
      const stored = await t.call('GET', `/api/assessments/${changed.assessment.id}/comparison`, {
        cookie: staff,
      });
      expect(stored.json<{ comparison: Comparison }>().comparison.changes).toEqual(
        changed.comparison.changes,
      );

      // As of the first day, the batch that stood then is used, not the newer one.
      const asOf = await assess(household({ caseRef: cases.asOf, asOfDate: '2025-09-26' }));
      expect(asOf.result.assessment.household.assets.deposits.totalFen).toBe(1_200_050);
      expect(asOf.batchIds).toContain(batches.deposit);
      expect(asOf.batchIds).not.toContain(newer.batchId);
    });
  });

  describe('records without an ID number', () => {
    it('proposes a homophone as a possible match only; a confirmed match counts after a re-run, audited', async () => {
      const caseRef = cases.noId as string;
      const { deps } = t;
      const birth = birthDateOf(idNumber(B));
      const at = t.clock.now().toISOString();
      // An offline reply's row for this case that the bank found by name and birth date, without an ID.
      const reply = await deps.store.batches.create({
        dataset: 'deposit',
        period: '2025-09',
        periodFirstMonth: '2025-09',
        periodLastMonth: '2025-09',
        departmentCode: 'banking',
        organisationId: null,
        uploaderUserId: null,
        apiKeyId: null,
        source: 'offline',
        fileName: null,
        fingerprint: 'test-offline-reply',
        bytes: 0,
        format: 'xlsx',
        encoding: null,
        rowsRead: 1,
        rowsStored: 1,
        duplicateRows: 0,
        unmatchedRows: null,
        errorCount: 0,
        errors: deps.crypto.encrypt('{}'),
        status: 'committed',
        supersededBy: null,
        dataAsOf: '2025-09-28',
        createdAt: at,
        finishedAt: at,
        retractedAt: null,
        retractedBy: null,
        retractReason: null,
        reportFile: null,
        exchangeId: null,
      });
      // 赵婉瑾 → 赵婉锦: 瑾 and 锦 are both read jǐn.
      expect(personName(B)).toBe('赵婉瑾');
      const homophone = '赵婉锦';
      await deps.store.batches.insertRecords(reply.id, 'deposit', [
        {
          personKey: null,
          birthKey: deps.crypto.blindIndex(birth, BIRTH_KEY_PURPOSE),
          caseRef,
          rowNumber: 2,
          rowHash: 'offline-row-1',
          idEnc: null,
          nameEnc: deps.crypto.encrypt(homophone),
          month: null,
          values: JSON.stringify({
            birthDate: birth,
            institution: '庆阳农商银行',
            accountNumber: '6230000000999',
            assetType: '定期存款',
            balance: 5_000_000,
            asOfDate: '2025-09-25',
          }),
        },
      ]);
      const first = await assess(household({ caseRef }));
      const proposal = first.result.possibleMatches.find((p) => p.memberId === 'm2');
      expect(proposal, JSON.stringify(first.result.possibleMatches)).toMatchObject({ status: 'pending' });
      expect(proposal?.record.name).toBe(homophone);
      expect(first.summary.possibleMatches).toBe(1);
      const before = first.result.assessment.household.assets.deposits.totalFen;

      // The same record is not seen by another case.
      const other = await assess(household({ caseRef: cases.other }));
      expect(other.result.possibleMatches).toEqual([]);

      expectError(
        await t.call('POST', `/api/assessments/${first.id}/matches`, {
          cookie: staff,
          body: { recordId: proposal?.recordId, memberId: 'm2', decision: 'confirmed', reason: '' },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.call('POST', `/api/assessments/${first.id}/matches`, {
          cookie: staff,
          body: { recordId: proposal?.recordId, memberId: 'm1', decision: 'confirmed', reason: '核实为本人' },
        }),
        404,
        'NOT_FOUND',
      );
      const decided = await t.call('POST', `/api/assessments/${first.id}/matches`, {
        cookie: staff,
        body: {
          recordId: proposal?.recordId,
          memberId: 'm2',
          decision: 'confirmed',
          reason: '经电话核实为本人账户',
        },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      const [audit] = await t.audit('MATCH_CONFIRMED');
      expect(audit).toMatchObject({ caseId: caseRef, objectId: String(proposal?.recordId) });

      const rerun = await t.call('POST', `/api/assessments/${first.id}/rerun`, {
        cookie: staff,
        body: { mode: 'recorded' },
      });
      const after = rerun.json<{ assessment: View }>().assessment;
      expect(after.result.links).toContainEqual(
        expect.objectContaining({ recordId: proposal?.recordId, memberId: 'm2', basis: 'confirmed' }),
      );
      expect(after.result.assessment.household.assets.deposits.totalFen).toBe(before + 5_000_000);
    });
  });

  describe('bad input', () => {
    it('lists every problem in Chinese with a stable code and stores nothing', async () => {
      const count = async () =>
        (await t.call('GET', '/api/assessments?limit=200', { cookie: staff })).json<{ total: number }>()
          .total;
      const before = await count();
      const bad = household({
        members: [
          { idNumber: '62100219800101001X', name: '甲', relation: '本人' },
          { idNumber: idNumber(B), name: personName(B), relation: '配偶' },
          { idNumber: idNumber(B), name: personName(B), relation: '配偶' },
        ],
      });
      const res = await t.call('POST', '/api/assessments', { cookie: staff, body: bad });
      const error = expectError(res, 400, 'VALIDATION_FAILED');
      const errors = (error.details as { errors: { code: string; path: string; message: string }[] }).errors;
      expect(errors.map((e) => [e.code, e.path])).toEqual([
        ['INVALID_ID_NUMBER', 'members.0.idNumber'],
        ['DUPLICATE_MEMBER', 'members.2.idNumber'],
      ]);
      expect(errors[0]?.message).toMatch(/身份证号无效/);
      expectError(
        await t.call('POST', '/api/assessments', {
          cookie: staff,
          body: household({ regionCode: '621021' }),
        }),
        404,
        'OUT_OF_SCOPE',
      );
      expect(await count()).toBe(before);
    });

    it('is refused without an accepted case, outside its work group, or for persons who are not its members', async () => {
      const code = async (body: unknown, cookie = staff) => {
        const res = await t.call('POST', '/api/assessments', { cookie, body });
        return [res.statusCode, res.json<{ error?: { details?: { code?: string } } }>().error?.details?.code];
      };
      expect(await code(household({ caseRef: 'HD-621002-2025-999999' }))).toEqual([403, 'NO_CASE']);
      const requester = await t.login('xifeng_requester');
      const submitted = await t.call('POST', '/api/cases', {
        cookie: requester,
        body: { assistanceType: 'subsistence_allowance', members: household().members },
      });
      const pending = submitted.json<{ case: { number: string } }>().case.number;
      expect(await code(household({ caseRef: pending }))).toEqual([403, 'WRONG_STATE']);
      // The city's staff see the county's cases, but only the work group queries for one.
      expect(await code(household(), await t.login('city_staff'))).toEqual([403, 'NOT_HANDLER']);
      const stranger = { idNumber: idNumber(40), name: personName(40), relation: '子' };
      const withStranger = household();
      expect(await code({ ...withStranger, members: [...withStranger.members, stranger] })).toEqual([
        403,
        'MEMBER_NOT_IN_CASE',
      ]);
      // The reviewer of the work group may look too.
      const reviewer = await t.login('xifeng_reviewer');
      expect(
        (await t.call('POST', '/api/assessments', { cookie: reviewer, body: household() })).statusCode,
      ).toBe(200);
    });

    it('is refused to users outside the agency', async () => {
      const police = await t.login('dept_public_security');
      expectError(
        await t.call('POST', '/api/assessments', { cookie: police, body: household() }),
        403,
        'PERMISSION_DENIED',
      );
    });
  });
});
