import { divideRounded, FULL_SHARE } from './fen.ts';
import { provenanceOf, RecordReader, unreadable } from './record-values.ts';
import {
  ASSET_TYPES,
  type AssessmentRecord,
  type AssetEvidence,
  type AssetType,
  type DepositAccount,
  type MemberAssets,
  type UnusedRecord,
} from './types.ts';

/**
 * One member's assets as of a date (CATALOG.md "How datasets feed the assessment", Q§12):
 *
 * - deposits: per account — 账号, or 金融机构 + 资产类型 when 账号 is empty — the row with the latest 截至日期
 *   on or before the as-of date; summed by 资产类型. Rows dated after the as-of date and older balances are
 *   listed as evidence, not counted. Two rows of one account with the same 截至日期: the one from the batch
 *   with the later data-as-of date counts; on a further tie the first given.
 * - vehicles: `vehicle` rows with 车辆状态 正常 and not 残疾人专用车 (empty = 否), plus `transport` rows with
 *   状态 有效. The count is of rows, as the catalog states; the distinct plates/vessel names are given
 *   besides, since one taxi can be in both registers.
 * - real estate: rows with 权利状态 现势 or 查封; the count of rows, the distinct 不动产单元号, and
 *   Σ 建筑面积 × 权利份额 (empty share = 100 %). The products are summed exactly (hundredths of m² × hundredths
 *   of a percent) and divided by 10 000 once per member, rounded half away from zero; each row's evidence shows
 *   its own rounded share, so those may differ from the member's figure by the rounding of the parts.
 * - market entities: rows with 登记状态 存续: the count, the distinct 统一社会信用代码 and Σ 认缴出资额 (empty = 0).
 *
 * The records are the member's rows in the standing batches: for registers delivered as snapshots that is
 * the newest batch, while older deposit balances may be passed along (the latest-per-account rule settles
 * them). Statuses are taken as the register states them, without reference to the as-of date.
 */

export const ASSET_DATASETS = ['deposit', 'vehicle', 'transport', 'real_estate', 'market_entity'] as const;

const COUNTED_RIGHT_STATUS: ReadonlySet<string> = new Set(['现势', '查封']);

export function emptyByType(): Record<AssetType, number> {
  const byType = {} as Record<AssetType, number>;
  for (const type of ASSET_TYPES) byType[type] = 0;
  return byType;
}

/** Plates and vessel names compared without spaces and case: `甘m 12345` is `甘M12345`. */
export function normalizeIdentifier(identifier: string): string {
  return identifier.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

interface DepositRow {
  record: AssessmentRecord;
  evidence: AssetEvidence;
  account: DepositAccount;
}

function isLater(candidate: DepositRow, held: DepositRow): boolean {
  if (candidate.account.asOfDate !== held.account.asOfDate) {
    return candidate.account.asOfDate > held.account.asOfDate;
  }
  return candidate.record.dataAsOf > held.record.dataAsOf;
}

function assessDeposits(
  records: readonly AssessmentRecord[],
  asOfDate: string,
  unused: UnusedRecord[],
): MemberAssets['deposits'] {
  const evidence: AssetEvidence[] = [];
  const latest = new Map<string, DepositRow>();
  for (const record of records) {
    const reader = new RecordReader(record);
    const institution = reader.text('institution');
    const accountNumber = reader.optionalText('accountNumber');
    const assetType = reader.oneOf('assetType', ASSET_TYPES);
    const balanceFen = reader.integer('balance');
    const date = reader.date('asOfDate');
    if (reader.problems.length > 0 || assetType === null) {
      unused.push(unreadable(record, reader));
      continue;
    }
    const key = accountNumber ?? `${institution}|${assetType}`;
    const row: DepositRow = {
      record,
      evidence: {
        ...provenanceOf(record),
        counted: false,
        identifier: key,
        amountFen: balanceFen,
        assetType,
        date,
      },
      account: {
        key,
        institution,
        accountNumber,
        assetType,
        balanceFen,
        asOfDate: date,
        recordId: record.recordId,
      },
    };
    evidence.push(row.evidence);
    if (date > asOfDate) {
      row.evidence.reason = 'after_as_of_date';
      continue;
    }
    const held = latest.get(key);
    if (held === undefined || isLater(row, held)) latest.set(key, row);
  }
  const byType = emptyByType();
  const accounts: DepositAccount[] = [];
  for (const row of latest.values()) {
    row.evidence.counted = true;
    byType[row.account.assetType] += row.account.balanceFen;
    accounts.push(row.account);
  }
  for (const found of evidence)
    if (!found.counted && found.reason === undefined) found.reason = 'superseded_balance';
  const totalFen = ASSET_TYPES.reduce((sum, type) => sum + byType[type], 0);
  return { totalFen, byType, accounts, evidence };
}

function assessVehicles(
  vehicles: readonly AssessmentRecord[],
  transports: readonly AssessmentRecord[],
  unused: UnusedRecord[],
): MemberAssets['vehicles'] {
  const evidence: AssetEvidence[] = [];
  const identifiers = new Set<string>();
  let vehicleRecords = 0;
  let transportRecords = 0;
  for (const record of vehicles) {
    const reader = new RecordReader(record);
    const identifier = reader.text('plateNumber');
    const status = reader.text('vehicleStatus');
    const disability = reader.bool('disabilityVehicle', false);
    if (reader.problems.length > 0) {
      unused.push(unreadable(record, reader));
      continue;
    }
    const found: AssetEvidence = { ...provenanceOf(record), counted: false, identifier, status };
    if (status !== '正常') found.reason = 'status_not_counted';
    else if (disability) found.reason = 'disability_vehicle';
    else {
      found.counted = true;
      vehicleRecords += 1;
      identifiers.add(normalizeIdentifier(identifier));
    }
    evidence.push(found);
  }
  for (const record of transports) {
    const reader = new RecordReader(record);
    const identifier = reader.text('plateOrVesselName');
    const status = reader.text('permitStatus');
    if (reader.problems.length > 0) {
      unused.push(unreadable(record, reader));
      continue;
    }
    const found: AssetEvidence = { ...provenanceOf(record), counted: status === '有效', identifier, status };
    if (found.counted) {
      transportRecords += 1;
      identifiers.add(normalizeIdentifier(identifier));
    } else found.reason = 'status_not_counted';
    evidence.push(found);
  }
  return {
    count: vehicleRecords + transportRecords,
    vehicleRecords,
    transportRecords,
    identifiers: [...identifiers],
    evidence,
  };
}

function assessRealEstate(
  records: readonly AssessmentRecord[],
  unused: UnusedRecord[],
): MemberAssets['realEstate'] {
  const evidence: AssetEvidence[] = [];
  const units = new Set<string>();
  let count = 0;
  let weightedSum = 0;
  for (const record of records) {
    const reader = new RecordReader(record);
    const identifier = reader.text('unitNumber');
    const status = reader.text('rightStatus');
    const floorAreaHundredths = reader.integer('floorArea');
    const shareHundredths = reader.optionalInteger('share') ?? FULL_SHARE;
    if (shareHundredths < 0 || shareHundredths > FULL_SHARE) reader.problems.push('share');
    if (reader.problems.length > 0) {
      unused.push(unreadable(record, reader));
      continue;
    }
    const weighted = floorAreaHundredths * shareHundredths;
    const found: AssetEvidence = {
      ...provenanceOf(record),
      counted: COUNTED_RIGHT_STATUS.has(status),
      identifier,
      status,
      floorAreaHundredths,
      shareHundredths,
      weightedAreaHundredths: divideRounded(weighted, FULL_SHARE),
    };
    if (found.counted) {
      count += 1;
      weightedSum += weighted;
      units.add(normalizeIdentifier(identifier));
    } else found.reason = 'status_not_counted';
    evidence.push(found);
  }
  return { count, areaHundredths: divideRounded(weightedSum, FULL_SHARE), units: [...units], evidence };
}

function assessMarketEntities(
  records: readonly AssessmentRecord[],
  unused: UnusedRecord[],
): MemberAssets['marketEntities'] {
  const evidence: AssetEvidence[] = [];
  const creditCodes = new Set<string>();
  let count = 0;
  let subscribedCapitalFen = 0;
  for (const record of records) {
    const reader = new RecordReader(record);
    const identifier = reader.text('creditCode');
    const status = reader.text('registrationStatus');
    const capital = reader.optionalInteger('subscribedCapital');
    if (reader.problems.length > 0) {
      unused.push(unreadable(record, reader));
      continue;
    }
    const found: AssetEvidence = {
      ...provenanceOf(record),
      counted: status === '存续',
      identifier,
      status,
      amountFen: capital,
    };
    if (found.counted) {
      count += 1;
      subscribedCapitalFen += capital ?? 0;
      creditCodes.add(normalizeIdentifier(identifier));
    } else found.reason = 'status_not_counted';
    evidence.push(found);
  }
  return { count, subscribedCapitalFen, creditCodes: [...creditCodes], evidence };
}

/** Records of other datasets are ignored here; unreadable asset records are returned as unused. */
export function assessMemberAssets(
  records: readonly AssessmentRecord[],
  asOfDate: string,
): { assets: MemberAssets; unusedRecords: UnusedRecord[] } {
  const of = (dataset: string) => records.filter((record) => record.dataset === dataset);
  const unusedRecords: UnusedRecord[] = [];
  const assets: MemberAssets = {
    deposits: assessDeposits(of('deposit'), asOfDate, unusedRecords),
    vehicles: assessVehicles(of('vehicle'), of('transport'), unusedRecords),
    realEstate: assessRealEstate(of('real_estate'), unusedRecords),
    marketEntities: assessMarketEntities(of('market_entity'), unusedRecords),
  };
  return { assets, unusedRecords };
}
