import { expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/app/actor.ts';
import { buildDemoDepartmentData } from '../../src/app/demo/demo-department-data.ts';
import { reencryptIdentifiers } from '../../src/app/ingest/reencrypt.ts';
import { TEST_START, useTestApp } from '../support/app.ts';
import { describeEachDatabase } from '../support/databases.ts';

/**
 * A disability certificate number is the holder's ID number plus two digits: found in plain text in a database
 * dump by the backup drill. Such columns (`identifying` in the catalog) are stored encrypted, decrypted only for
 * the assessment, and `hedui keys rotate --resume` encrypts those stored before.
 */
describeEachDatabase('columns that embed an ID number', (dialect) => {
  const t = useTestApp(dialect, { env: { HEDUI_DEMO_DATA: 'on' } });

  async function disabilityRecords() {
    const { items } = await t.deps.store.batches.list({ dataset: 'disability', offset: 0, limit: 10 });
    const batch = items.find((b) => b.status === 'committed');
    if (!batch) throw new Error('no disability batch in the demo data');
    return t.deps.store.batches.records(batch.id, 0, 1000);
  }

  it('stores the disability certificate number encrypted, and the assessment shows it decrypted', async () => {
    const records = await disabilityRecords();
    expect(records.length).toBeGreaterThan(0);
    const certificates = records.map((r) => {
      const stored = (JSON.parse(r.values) as { certificateNumber: string }).certificateNumber;
      expect(stored).toMatch(/^v1\./);
      return { id: t.deps.crypto.decrypt(r.idEnc as string), number: t.deps.crypto.decrypt(stored) };
    });
    for (const c of certificates) expect(c.number.startsWith(c.id)).toBe(true);

    const first = certificates[0] as { id: string; number: string };
    const family = buildDemoDepartmentData(TEST_START.slice(0, 10)).families.find((f) =>
      f.members.some((m) => m.idNumber === first.id),
    );
    if (!family) throw new Error('no demo family for the disability record');
    const { items } = await t.deps.store.cases.list({ regionScope: null, offset: 0, limit: 500 });
    const kase = items.find(
      (k) =>
        (JSON.parse(t.deps.crypto.decrypt(k.householdEnc)) as { members: { idNumber: string }[] }).members[0]
          ?.idNumber === family.members[0]?.idNumber,
    );
    const cookie = await t.login(family.county === '621002' ? 'xifeng_staff' : 'qingcheng_staff');
    const res = await t.call('POST', '/api/assessments', {
      cookie,
      body: {
        caseRef: kase?.number,
        regionCode: family.county,
        assistanceType: 'subsistence_allowance',
        members: family.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(`"certificateNumber":"${first.number}"`);
  });

  it('encrypts a certificate number stored in plain text before, when identifiers are re-encrypted', async () => {
    const [record] = await disabilityRecords();
    if (!record) throw new Error('no disability record');
    const values = JSON.parse(record.values) as Record<string, string>;
    const plain = t.deps.crypto.decrypt(values.certificateNumber as string);
    await t.deps.store.batches.updateRecordCiphertexts(record.id, {
      idEnc: record.idEnc,
      nameEnc: record.nameEnc,
      values: JSON.stringify({ ...values, certificateNumber: plain }),
    });
    await reencryptIdentifiers(t.deps, { ...SYSTEM_ACTOR, name: '测试' });
    const after = (await disabilityRecords()).find((r) => r.id === record.id);
    const stored = (JSON.parse(after?.values ?? '{}') as { certificateNumber: string }).certificateNumber;
    expect(stored).toMatch(/^v1\./);
    expect(t.deps.crypto.decrypt(stored)).toBe(plain);
  });
});
