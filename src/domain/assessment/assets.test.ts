import { describe, expect, it } from 'vitest';
import { assessMemberAssets, normalizeIdentifier } from './assets.ts';
import { deposit, marketEntity, payroll, realEstate, record, transport, vehicle } from './records.fixture.ts';

const AS_OF = '2025-06-30';

describe(assessMemberAssets.name, () => {
  it('takes the latest balance per account on or before the as-of date and ignores later ones', () => {
    const older = deposit('6228480012345678901', '定期存款', 1_000_000, '2024-12-31');
    const newer = deposit('6228480012345678901', '定期存款', 1_200_000, '2025-03-31');
    const later = deposit('6228480012345678901', '定期存款', 5_000_000, '2025-09-30');
    const { assets } = assessMemberAssets([older, later, newer], AS_OF);
    expect(assets.deposits.totalFen).toBe(1_200_000);
    expect(assets.deposits.byType.定期存款).toBe(1_200_000);
    expect(assets.deposits.accounts).toEqual([
      expect.objectContaining({
        key: '6228480012345678901',
        balanceFen: 1_200_000,
        recordId: newer.recordId,
      }),
    ]);
    const byId = new Map(assets.deposits.evidence.map((e) => [e.recordId, e]));
    expect(byId.get(newer.recordId)).toMatchObject({ counted: true, date: '2025-03-31' });
    expect(byId.get(older.recordId)).toMatchObject({ counted: false, reason: 'superseded_balance' });
    expect(byId.get(later.recordId)).toMatchObject({ counted: false, reason: 'after_as_of_date' });
  });

  it('keys a row without 账号 by institution and asset type, and sums by type', () => {
    const { assets } = assessMemberAssets(
      [
        deposit(null, '理财产品', 300_000, '2025-03-31', '庆阳银行'),
        deposit(null, '理财产品', 350_000, '2025-06-30', '庆阳银行'),
        deposit(null, '理财产品', 100_000, '2025-06-30', '甘肃银行'),
        deposit(null, '基金', 50_000, '2025-06-30', '庆阳银行'),
        deposit('A-1', '活期存款', 12_345, '2025-06-30'),
      ],
      AS_OF,
    );
    expect(assets.deposits.byType.理财产品).toBe(450_000);
    expect(assets.deposits.byType.基金).toBe(50_000);
    expect(assets.deposits.byType.活期存款).toBe(12_345);
    expect(assets.deposits.totalFen).toBe(512_345);
    expect(assets.deposits.accounts.map((a) => a.key)).toEqual([
      '庆阳银行|理财产品',
      '甘肃银行|理财产品',
      '庆阳银行|基金',
      'A-1',
    ]);
  });

  it('prefers the newer batch when one account has two balances on the same date', () => {
    const first = deposit('B-2', '活期存款', 100, '2025-06-30', '银行', { dataAsOf: '2025-06-30' });
    const second = deposit('B-2', '活期存款', 200, '2025-06-30', '银行', { dataAsOf: '2025-07-05' });
    expect(assessMemberAssets([second, first], AS_OF).assets.deposits.totalFen).toBe(200);
    expect(assessMemberAssets([first, second], AS_OF).assets.deposits.totalFen).toBe(200);
  });

  it('counts normal vehicles and valid transport permits but not a disability vehicle or a cancelled one', () => {
    const car = vehicle('甘M12345');
    const disability = vehicle('甘M99999', '正常', true);
    const cancelled = vehicle('甘M55555', '注销');
    const emptyFlag = vehicle('甘M 77777', '正常', null);
    const taxi = transport('甘MD2345');
    const oldPermit = transport('甘MD0001', '注销');
    const { assets } = assessMemberAssets([car, disability, cancelled, emptyFlag, taxi, oldPermit], AS_OF);
    expect(assets.vehicles).toMatchObject({
      count: 3,
      vehicleRecords: 2,
      transportRecords: 1,
      identifiers: ['甘M12345', '甘M77777', '甘MD2345'],
    });
    const byId = new Map(assets.vehicles.evidence.map((e) => [e.recordId, e]));
    expect(byId.get(disability.recordId)).toMatchObject({ counted: false, reason: 'disability_vehicle' });
    expect(byId.get(cancelled.recordId)).toMatchObject({
      counted: false,
      reason: 'status_not_counted',
      status: '注销',
    });
    expect(byId.get(oldPermit.recordId)).toMatchObject({ counted: false, reason: 'status_not_counted' });
  });

  it('weights real estate by the member’s share: 50 % of 120 m² is 60 m²', () => {
    const shared = realEstate('621002001001GB00001F00010001', 12_000, 5_000);
    const { assets } = assessMemberAssets([shared], AS_OF);
    expect(assets.realEstate).toMatchObject({ count: 1, areaHundredths: 6_000 });
    expect(assets.realEstate.evidence[0]).toMatchObject({
      counted: true,
      floorAreaHundredths: 12_000,
      shareHundredths: 5_000,
      weightedAreaHundredths: 6_000,
    });
  });

  it('counts 现势 and 查封 rights, takes an empty share as 100 % and leaves out cancelled rights', () => {
    const { assets } = assessMemberAssets(
      [
        realEstate('U1', 8_965, null),
        realEstate('U2', 5_000, 10_000, '查封'),
        realEstate('U3', 9_000, 10_000, '注销'),
      ],
      AS_OF,
    );
    expect(assets.realEstate).toMatchObject({ count: 2, areaHundredths: 13_965, units: ['U1', 'U2'] });
  });

  it('sums the exact share-weighted areas before rounding once', () => {
    // 0.15 m² × 50 % = 0.075 m² per row: 8 hundredths each when rounded alone, 15 for the two together.
    const { assets } = assessMemberAssets([realEstate('S1', 15, 5_000), realEstate('S2', 15, 5_000)], AS_OF);
    expect(assets.realEstate.evidence.map((e) => e.weightedAreaHundredths)).toEqual([8, 8]);
    expect(assets.realEstate.areaHundredths).toBe(15);
  });

  it('counts market entities in 存续 with their subscribed capital', () => {
    const { assets } = assessMemberAssets(
      [
        marketEntity('92621002MA7ABCDE1R', 5_000_000),
        marketEntity('91621002MA7XYZ0001', null),
        marketEntity('91621002MA7XYZ0002', 9_000_000, '注销'),
      ],
      AS_OF,
    );
    expect(assets.marketEntities).toMatchObject({
      count: 2,
      subscribedCapitalFen: 5_000_000,
      creditCodes: ['92621002MA7ABCDE1R', '91621002MA7XYZ0001'],
    });
  });

  it('sets aside an unreadable asset row and ignores income records', () => {
    const broken = record('real_estate', {
      unitNumber: 'U9',
      floorArea: 'big',
      rightStatus: '现势',
      share: null,
    });
    const { assets, unusedRecords } = assessMemberAssets([broken, payroll('2025-01', 100)], AS_OF);
    expect(assets.realEstate.count).toBe(0);
    expect(unusedRecords).toEqual([
      expect.objectContaining({ reason: 'unreadable_value', detail: 'floorArea' }),
    ]);
  });
});

describe(normalizeIdentifier.name, () => {
  it('ignores spaces, width and case', () => {
    expect(normalizeIdentifier(' 甘m １2345 ')).toBe('甘M12345');
  });
});
