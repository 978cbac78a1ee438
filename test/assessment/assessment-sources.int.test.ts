import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUERY_RETRY_JOB, QUERY_RETRY_NOTICE_KIND } from '../../src/app/query-interface/retry-unavailable.ts';
import { inProcessJobRunner } from '../../src/jobs/in-process-runner.ts';
import { platformWorkers } from '../../src/jobs/jobs.ts';
import { useTestApp } from '../support/app.ts';
import { openCase } from '../support/cases.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { idNumber, personName } from '../support/department-data.ts';

/**
 * An assessment calls the departments' query interfaces (Q§7) for the members of its case and uses what they
 * answer as that department's source, with provenance; an interface that fails leaves a clear "source
 * unavailable" state in the result, never an empty source.
 */

let answer: 'vehicle' | 'fail' = 'vehicle';
const seenCases: string[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      seenCases.push(String(body.caseNumber));
      if (answer === 'fail') {
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end('{"error":"maintenance"}');
        return;
      }
      const records =
        body.idNumber === idNumber(0)
          ? [
              {
                sfzh: idNumber(0),
                hphm: '甘M88888',
                syxz: '非营运',
                ccdjrq: '2021-04-01',
                zt: '正常',
              },
            ]
          : [];
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: { records } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Outcome {
  departmentCode: string;
  dataset: string;
  status: string;
  rowCount: number;
  message?: string;
}
interface View {
  id: number;
  summary: Record<string, number>;
  batchIds: number[];
  result: {
    assessment: {
      household: { assets: { vehicles: { count: number } } };
      members: {
        assets: { vehicles: { evidence: { identifier: string; batchId: number; departmentCode: string }[] } };
      }[];
    };
    sources: {
      batches: { id: number; dataset: string; source: string; departmentCode: string }[];
      queryInterfaces: Outcome[];
    };
  };
}

describeEachDatabase('assessment with query interfaces', (dialect) => {
  const t = useTestApp(dialect);
  let staff: string;

  const household = (caseRef: string) => ({
    caseRef,
    regionCode: '621002',
    assistanceType: 'subsistence_allowance',
    members: [
      { idNumber: idNumber(0), name: personName(0), relation: '本人' },
      { idNumber: idNumber(1), name: personName(1), relation: '配偶' },
    ],
  });
  const assess = async (caseRef: string) => {
    const res = await t.call('POST', '/api/assessments', { cookie: staff, body: household(caseRef) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ assessment: View }>().assessment;
  };

  const cases: string[] = [];

  beforeAll(async () => {
    const members = household('').members;
    for (let i = 0; i < 4; i++) cases.push((await openCase(t.deps, members)).number);
    const admin = await t.login('admin');
    staff = await t.login('xifeng_staff');
    const created = await t.call('POST', '/api/query-interfaces', {
      cookie: admin,
      body: {
        config: {
          departmentCode: 'public_security',
          dataset: 'vehicle',
          url: `${baseUrl}/vehicles`,
          auth: { kind: 'none' },
          timeoutMs: 500,
          retries: 1,
          backoffMs: 1,
          response: {
            rowsPath: 'data.records',
            fieldMap: {
              身份证号: 'sfzh',
              号牌号码: 'hphm',
              使用性质: 'syxz',
              初次登记日期: 'ccdjrq',
              车辆状态: 'zt',
            },
          },
        },
      },
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json<{ queryInterface: { id: number } }>().queryInterface.id;
    const enabled = await t.call('PATCH', `/api/query-interfaces/${id}`, {
      cookie: admin,
      body: { enabled: true },
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
  });

  it('uses the answers of a query interface for the case, with the query batch as provenance', async () => {
    answer = 'vehicle';
    const view = await assess(cases[0] as string);
    expect(seenCases).toContain(cases[0]);
    const [outcome] = view.result.sources.queryInterfaces;
    expect(outcome).toMatchObject({
      departmentCode: 'public_security',
      dataset: 'vehicle',
      status: 'ok',
      rowCount: 1,
    });
    expect(view.result.assessment.household.assets.vehicles.count).toBe(1);
    const evidence = view.result.assessment.members[0]?.assets.vehicles.evidence[0];
    const batch = view.result.sources.batches.find((b) => b.id === evidence?.batchId);
    expect(batch).toMatchObject({ dataset: 'vehicle', source: 'query', departmentCode: 'public_security' });
    expect(evidence).toMatchObject({ identifier: '甘M88888', departmentCode: 'public_security' });
    expect(view.summary.unavailableSources).toBe(0);

    // The answer belongs to its case: another case's assessment does not see it without asking again.
    answer = 'fail';
    const other = await assess(cases[1] as string);
    expect(other.result.assessment.household.assets.vehicles.count).toBe(0);
  });

  it('marks a failing interface unavailable in the result, never as a source that found nothing', async () => {
    answer = 'fail';
    const view = await assess(cases[2] as string);
    const [outcome] = view.result.sources.queryInterfaces;
    expect(outcome).toMatchObject({ status: 'unavailable', dataset: 'vehicle' });
    expect(outcome?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(view.summary.unavailableSources).toBe(1);
  });

  it('asks an interface that did not answer again in the background, and tells the handler when it answers', async () => {
    const runner = inProcessJobRunner({}, () => new Date(), { limit: 5, baseMs: 150 });
    for (const worker of platformWorkers(t.deps)) await runner.work(worker.name, worker.run);
    t.deps.jobs = runner;
    const waitFor = async (id: string, state: string) => {
      for (let i = 0; i < 200; i++) {
        const job = await runner.get(id);
        if (job?.state === state) return job;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`job ${id} never reached ${state}: ${JSON.stringify(await runner.get(id))}`);
    };
    try {
      answer = 'fail';
      const caseRef = cases[3] as string;
      const view = await assess(caseRef);
      expect(view.summary.unavailableSources).toBe(1);
      const queued = (await runner.list()).jobs.filter((j) => j.name === QUERY_RETRY_JOB);
      expect(queued).toHaveLength(1);
      const jobId = queued[0]?.id as string;
      // Still down: the run fails with a Chinese message and waits for its retry.
      const waiting = await waitFor(jobId, 'retry');
      expect(waiting.lastError).toContain(`案件 ${caseRef} 的查询接口仍不可用`);
      const seenBefore = seenCases.filter((c) => c === caseRef).length;

      answer = 'vehicle';
      const done = await waitFor(jobId, 'completed');
      expect(done.attempts).toBe(2);
      expect(seenCases.filter((c) => c === caseRef).length).toBeGreaterThan(seenBefore);
      // The answer is the case's evidence now, asked by the platform (audited with the case).
      const [called] = await t.audit('QUERY_INTERFACE_CALLED');
      expect(called).toMatchObject({
        caseId: caseRef,
        outcome: 'success',
        actorUserId: null,
        actorName: '系统（查询接口补查）',
        details: { status: 'ok', rowsStored: 1 },
      });
      // The staff member who ran the assessment is told, once, to run it again.
      const staffUser = await t.deps.store.users.getByUsername('xifeng_staff');
      const notices = await t.deps.store.notices.list(staffUser?.organisationId as number, {
        unreadOnly: false,
        offset: 0,
        limit: 50,
        userId: staffUser?.id as number,
      });
      const told = notices.items.filter((n) => n.kind === QUERY_RETRY_NOTICE_KIND);
      expect(told).toHaveLength(1);
      expect(told[0]?.title).toBe(`案件 ${caseRef}：查询接口已补查到数据`);
      expect(told[0]?.body).toContain('按最新数据重新核对');
      expect(told[0]?.recipientUserId).toBe(staffUser?.id);
      expect(`${told[0]?.title}${told[0]?.body}`).not.toContain(idNumber(0));

      // Run again on the newest data, the interface down again: the vehicle it answered the retry is counted.
      answer = 'fail';
      const again = await t.call('POST', `/api/assessments/${view.id}/rerun`, {
        cookie: staff,
        body: { mode: 'standing' },
      });
      expect(again.statusCode, again.body).toBe(200);
      const rerun = again.json<{ assessment: View }>().assessment;
      expect(rerun.result.assessment.household.assets.vehicles.count).toBe(1);
    } finally {
      t.deps.jobs = undefined;
      await runner.stop();
    }
  });
});
