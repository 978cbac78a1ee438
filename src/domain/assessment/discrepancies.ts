import { normalizeIdentifier } from './assets.ts';
import { HOUSEHOLD } from './household.ts';
import {
  DECLARABLE_INCOME,
  type DeclarableIncome,
  type HouseholdAssessment,
  type IncomeEvidence,
  ITEM_ASSETS,
  type ItemAsset,
  type MemberAssessment,
  type Policy,
  type RecordId,
  type ToleranceCategory,
} from './types.ts';

/**
 * Found figures against what the family declared (SPEC §4: every discrepancy is listed). A discrepancy is a
 * fact with its evidence, not a finding about the family.
 *
 * - Income is compared per member and Q§11 category over the whole window (transfer income net of transfer
 *   expenses), for every counted member and every other member the declaration names; a category left out
 *   of a member's declaration was declared as 0.
 * - Deposits are compared for the household (the counted members), like vehicles, real estate and market
 *   entities, which are compared as items: distinct plates/vessel names, 不动产单元号 and 统一社会信用代码, so a
 *   flat two spouses co-own is one property. An asset kind left out of the declaration was declared as none.
 *
 * Severity of an amount: |found − declared| ≤ tolerance → `info`; ≤ seriousMultiple × tolerance → `warning`;
 * beyond → `serious` (tolerance and multiple from the policy profile). Items: an asset found but not declared
 * is `serious`, one per item (`undeclared_asset`) when the declaration identifies its items or declares none
 * of the kind, otherwise one `count` discrepancy for the excess; declared items not found are `info`, since
 * the sources may not cover them.
 */

export type Severity = 'info' | 'warning' | 'serious';
export type DiscrepancyKind = 'amount' | 'count' | 'undeclared_asset' | 'declared_not_found';
export type DiscrepancyCategory = ToleranceCategory | ItemAsset;

export interface DeclaredItems {
  count: number;
  /** Plates/vessel names, 不动产单元号 or 统一社会信用代码, when the declaration names its items. */
  identifiers?: readonly string[];
}

export interface Declaration {
  members: readonly { memberId: string; income: Partial<Record<DeclarableIncome, number>> }[];
  assets?: {
    depositsFen?: number;
    vehicles?: DeclaredItems;
    realEstate?: DeclaredItems;
    marketEntities?: DeclaredItems;
  };
}

export interface Discrepancy {
  /** A member id, or `household` for household assets. */
  memberId: string;
  category: DiscrepancyCategory;
  kind: DiscrepancyKind;
  /** Amounts: declared, found, found − declared; null for items. */
  declaredFen: number | null;
  foundFen: number | null;
  differenceFen: number | null;
  /** Items: declared, found, found − declared (1 / −1 for a single item); null for amounts. */
  declaredCount: number | null;
  foundCount: number | null;
  differenceCount: number | null;
  /** The item of an `undeclared_asset` or `declared_not_found`. */
  identifier: string | null;
  severity: Severity;
  /** The records the found figure rests on. */
  evidenceRecordIds: RecordId[];
}

export function amountSeverity(
  differenceFen: number,
  toleranceFen: number,
  seriousMultiple: number,
): Severity {
  const magnitude = Math.abs(differenceFen);
  if (magnitude <= toleranceFen) return 'info';
  if (magnitude <= toleranceFen * seriousMultiple) return 'warning';
  return 'serious';
}

function distinctIds(ids: Iterable<RecordId>): RecordId[] {
  return [...new Set(ids)];
}

function countedIncomeIds(member: MemberAssessment, category: DeclarableIncome): RecordId[] {
  const categories =
    category === 'transferNet'
      ? [member.income.categories.transferIncome, member.income.categories.transferExpense]
      : [member.income.categories[category]];
  const evidence: IncomeEvidence[] = categories.flatMap((figure) => figure.months.flatMap((m) => m.evidence));
  return distinctIds(evidence.filter((found) => found.counted).map((found) => found.recordId));
}

function foundIncome(member: MemberAssessment, category: DeclarableIncome): number {
  return category === 'transferNet'
    ? member.income.transferNet.totalFen
    : member.income.categories[category].totalFen;
}

function amountDiscrepancy(
  memberId: string,
  category: ToleranceCategory,
  declaredFen: number,
  foundFen: number,
  evidenceRecordIds: RecordId[],
  policy: Policy,
): Discrepancy | null {
  const differenceFen = foundFen - declaredFen;
  if (differenceFen === 0) return null;
  return {
    memberId,
    category,
    kind: 'amount',
    declaredFen,
    foundFen,
    differenceFen,
    declaredCount: null,
    foundCount: null,
    differenceCount: null,
    identifier: null,
    severity: amountSeverity(differenceFen, policy.toleranceFen[category], policy.seriousMultiple),
    evidenceRecordIds,
  };
}

function itemDiscrepancy(
  memberId: string,
  category: ItemAsset,
  kind: Exclude<DiscrepancyKind, 'amount'>,
  declaredCount: number,
  foundCount: number,
  identifier: string | null,
  evidenceRecordIds: RecordId[],
): Discrepancy {
  return {
    memberId,
    category,
    kind,
    declaredFen: null,
    foundFen: null,
    differenceFen: null,
    declaredCount,
    foundCount,
    differenceCount: foundCount - declaredCount,
    identifier,
    severity: foundCount > declaredCount ? 'serious' : 'info',
    evidenceRecordIds,
  };
}

interface FoundItem {
  identifier: string;
  owners: Set<string>;
  recordIds: RecordId[];
}

/** The household's counted items of one kind, keyed by normalized identifier, in the order found. */
function foundItems(counted: readonly MemberAssessment[], category: ItemAsset): Map<string, FoundItem> {
  const items = new Map<string, FoundItem>();
  for (const member of counted) {
    for (const found of member.assets[category].evidence) {
      if (!found.counted) continue;
      const key = normalizeIdentifier(found.identifier);
      const item = items.get(key) ?? { identifier: found.identifier, owners: new Set(), recordIds: [] };
      item.owners.add(member.member.memberId);
      item.recordIds.push(found.recordId);
      items.set(key, item);
    }
  }
  return items;
}

function ownerOf(item: FoundItem): string {
  const [only, ...others] = item.owners;
  return only !== undefined && others.length === 0 ? only : HOUSEHOLD;
}

function compareItems(
  counted: readonly MemberAssessment[],
  category: ItemAsset,
  declared: DeclaredItems | undefined,
): Discrepancy[] {
  const items = foundItems(counted, category);
  const declaredCount = declared?.count ?? 0;
  const out: Discrepancy[] = [];
  if (declared?.identifiers !== undefined) {
    const declaredKeys = new Map(declared.identifiers.map((id) => [normalizeIdentifier(id), id]));
    for (const [key, item] of items) {
      if (declaredKeys.has(key)) continue;
      out.push(
        itemDiscrepancy(ownerOf(item), category, 'undeclared_asset', 0, 1, item.identifier, item.recordIds),
      );
    }
    for (const [key, identifier] of declaredKeys) {
      if (items.has(key)) continue;
      out.push(itemDiscrepancy(HOUSEHOLD, category, 'declared_not_found', 1, 0, identifier, []));
    }
    return out;
  }
  if (declaredCount === 0) {
    for (const item of items.values()) {
      out.push(
        itemDiscrepancy(ownerOf(item), category, 'undeclared_asset', 0, 1, item.identifier, item.recordIds),
      );
    }
    return out;
  }
  if (items.size !== declaredCount) {
    const ids = distinctIds([...items.values()].flatMap((item) => item.recordIds));
    out.push(itemDiscrepancy(HOUSEHOLD, category, 'count', declaredCount, items.size, null, ids));
  }
  return out;
}

function checkDeclaration(result: HouseholdAssessment, declaration: Declaration, policy: Policy): void {
  if (policy.version !== result.policyVersion) {
    throw new RangeError(
      `the result was computed under policy ${result.policyVersion}, not ${policy.version}: compare with its tolerances`,
    );
  }
  const known = new Set(result.members.map((member) => member.member.memberId));
  const seen = new Set<string>();
  for (const { memberId, income } of declaration.members) {
    if (!known.has(memberId)) throw new RangeError(`declaration names ${memberId}, who is not a member`);
    if (seen.has(memberId)) throw new RangeError(`declaration names ${memberId} twice`);
    seen.add(memberId);
    for (const [category, amount] of Object.entries(income)) {
      if (amount !== undefined && !Number.isSafeInteger(amount)) {
        throw new RangeError(`declared ${category} of ${memberId} is not whole fen: ${amount}`);
      }
    }
  }
  const assets = declaration.assets;
  if (assets?.depositsFen !== undefined && !Number.isSafeInteger(assets.depositsFen)) {
    throw new RangeError(`declared deposits are not whole fen: ${assets.depositsFen}`);
  }
  for (const category of ITEM_ASSETS) {
    const count = assets?.[category]?.count;
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 0)) {
      throw new RangeError(`declared ${category} count is not a whole number ≥ 0: ${count}`);
    }
  }
}

export function compareWithDeclaration(
  result: HouseholdAssessment,
  declaration: Declaration,
  policy: Policy,
): Discrepancy[] {
  checkDeclaration(result, declaration, policy);
  const declaredIncome = new Map(declaration.members.map((entry) => [entry.memberId, entry.income]));
  const discrepancies: Discrepancy[] = [];
  for (const member of result.members) {
    const memberId = member.member.memberId;
    const declared = declaredIncome.get(memberId);
    if (!member.counted && declared === undefined) continue;
    for (const category of DECLARABLE_INCOME) {
      const found = amountDiscrepancy(
        memberId,
        category,
        declared?.[category] ?? 0,
        foundIncome(member, category),
        countedIncomeIds(member, category),
        policy,
      );
      if (found !== null) discrepancies.push(found);
    }
  }

  const counted = result.members.filter((member) => member.counted);
  const depositIds = distinctIds(
    counted.flatMap((member) =>
      member.assets.deposits.evidence.filter((found) => found.counted).map((found) => found.recordId),
    ),
  );
  const deposits = amountDiscrepancy(
    HOUSEHOLD,
    'deposits',
    declaration.assets?.depositsFen ?? 0,
    result.household.assets.deposits.totalFen,
    depositIds,
    policy,
  );
  if (deposits !== null) discrepancies.push(deposits);
  for (const category of ITEM_ASSETS) {
    discrepancies.push(...compareItems(counted, category, declaration.assets?.[category]));
  }
  return discrepancies;
}
