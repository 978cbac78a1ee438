import type { Severity } from './discrepancies.ts';
import { HOUSEHOLD } from './household.ts';
import { provenanceOf, RecordReader, unreadable } from './record-values.ts';
import type { AssessmentRecord, Member, Provenance, RecordId, UnusedRecord } from './types.ts';
import { isDate } from './window.ts';

/**
 * Civil-status facts of a household's members (CATALOG "Civil-status facts come from hukou, marriage, death
 * and disability"; SPEC §3) and the contradictions between them and what the family declared. Every
 * contradiction is a fact with its evidence records, never a finding about the family or a decision on
 * assistance (Q§3 只核对、不认定).
 *
 * - hukou: the member's newest readable row by batch data-as-of date (ties: the larger record id).
 * - marriage: the newest readable registration dated on or before the as-of date (ties: newest batch, then
 *   the larger record id). Its partner is matched to a member by the blind index of the partner's ID number
 *   (`partnerIdNumberKey`) against the members' `personKey`.
 * - death: every readable row, earliest death first (cremation and hospital may both report one death).
 * - disability: the newest readable row by batch data-as-of date (a snapshot dataset).
 * Rows with a missing or malformed value the facts need are listed as `unreadable_value`, not guessed at.
 */

// ---------------------------------------------------------------- input

export interface CivilStatusMember extends Member {
  /** Blind index of the member's ID number, as the records' `personKey` and marriage `partnerIdNumberKey`. */
  personKey: string;
}

export interface AssessCivilStatusInput {
  members: readonly CivilStatusMember[];
  /** Each member's records of the standing batches; datasets other than the four are ignored. */
  recordsByMember: ReadonlyMap<string, readonly AssessmentRecord[]>;
  /** `YYYY-MM-DD`: the date the marital status is taken at and deaths are dated against. */
  asOfDate: string;
}

// ---------------------------------------------------------------- catalog values

export const HUKOU_STATUSES = ['正常', '迁出', '死亡', '注销'] as const;
export type HukouStatus = (typeof HUKOU_STATUSES)[number];
export const REGISTRATION_TYPES = ['结婚', '离婚'] as const;
export type RegistrationType = (typeof REGISTRATION_TYPES)[number];
export const DEATH_SOURCES = ['火化', '医疗机构', '公安注销', '其他'] as const;
export type DeathSource = (typeof DEATH_SOURCES)[number];
export const DISABILITY_CATEGORIES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;
export type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];
export const DISABILITY_GRADES = ['一级', '二级', '三级', '四级'] as const;
export type DisabilityGrade = (typeof DISABILITY_GRADES)[number];

// ---------------------------------------------------------------- facts

export interface HukouFact {
  householdNumber: string;
  relationToHead: string | null;
  address: string | null;
  status: HukouStatus;
  statusChangeDate: string | null;
  provenance: Provenance;
}

export type MaritalStatus = 'married' | 'divorced' | 'unknown';

export interface MaritalFact {
  /** From the newest registration on or before the as-of date; `unknown` when the sources hold none. */
  status: MaritalStatus;
  registrationType: RegistrationType | null;
  registrationDate: string | null;
  /** Whether the partner is a member of the household; null when the registration names no partner ID. */
  partnerInHousehold: boolean | null;
  partnerMemberId: string | null;
  /** The registration the status rests on; null when `unknown`. */
  provenance: Provenance | null;
}

export interface DeathFact {
  deathDate: string;
  source: DeathSource;
  provenance: Provenance;
}

export interface DisabilityFact {
  certificateNumber: string;
  category: DisabilityCategory;
  grade: DisabilityGrade;
  issueDate: string;
  provenance: Provenance;
}

export interface MemberCivilStatus {
  memberId: string;
  name: string;
  relation: string;
  hukou: HukouFact | null;
  marital: MaritalFact;
  /** Earliest death date first; empty when no source reports a death. */
  deaths: DeathFact[];
  disability: DisabilityFact | null;
  /** Civil-status rows set aside because a value the facts need is missing or malformed. */
  unreadableRecords: UnusedRecord[];
}

// ---------------------------------------------------------------- contradictions

export const CONTRADICTION_CODES = [
  'MEMBER_DECEASED',
  'HUKOU_CANCELLED',
  'HUKOU_MOVED_OUT',
  'NO_HUKOU_RECORD',
  'RELATION_DIFFERS',
  'SPOUSE_NOT_DECLARED',
  'DECLARED_SPOUSE_DIVORCED',
  'SPOUSE_IS_OTHER_PERSON',
  'HOUSEHOLD_NUMBER_DIFFERS',
] as const;
export type ContradictionCode = (typeof CONTRADICTION_CODES)[number];

export interface HouseholdNumberGroup {
  householdNumber: string;
  memberIds: string[];
}

export interface CivilStatusContradiction {
  code: ContradictionCode;
  /** The member concerned, or `household` for HOUSEHOLD_NUMBER_DIFFERS. */
  memberId: string;
  severity: Severity;
  /** A sentence for the caseworker, in Chinese. */
  message: string;
  /** Other members the contradiction names (the declared spouse, the partner, the members of each number). */
  relatedMemberIds: string[];
  evidenceRecordIds: RecordId[];
  /** HOUSEHOLD_NUMBER_DIFFERS only: which members carry which household number. */
  householdNumbers?: HouseholdNumberGroup[];
}

export interface CivilStatusAssessment {
  asOfDate: string;
  /** In the order given. */
  members: MemberCivilStatus[];
  /** Members' contradictions in member order (in the order of CONTRADICTION_CODES within a member), then the household's. */
  contradictions: CivilStatusContradiction[];
}

// ---------------------------------------------------------------- reading records

type Parsed<T> = { fact: T } | { unreadable: UnusedRecord };

/** A row with a problem is set aside whole, so the placeholders of a failed read never reach a fact. */
function parse<T>(record: AssessmentRecord, read: (reader: RecordReader) => T): Parsed<T> {
  const reader = new RecordReader(record);
  const fact = read(reader);
  return reader.problems.length === 0 ? { fact } : { unreadable: unreadable(record, reader) };
}

function optionalDate(reader: RecordReader, key: string): string | null {
  const value = reader.optionalText(key);
  if (value === null || isDate(value)) return value;
  reader.problems.push(key);
  return null;
}

function readHukou(record: AssessmentRecord): Parsed<HukouFact> {
  return parse(record, (reader) => ({
    householdNumber: reader.text('householdNumber'),
    relationToHead: reader.optionalText('relationToHead'),
    address: reader.optionalText('address'),
    status: reader.oneOf('hukouStatus', HUKOU_STATUSES) ?? '正常',
    statusChangeDate: optionalDate(reader, 'statusChangeDate'),
    provenance: provenanceOf(record),
  }));
}

interface Registration {
  type: RegistrationType;
  date: string;
  partnerKey: string | null;
  provenance: Provenance;
}

function readRegistration(record: AssessmentRecord): Parsed<Registration> {
  return parse(record, (reader) => ({
    type: reader.oneOf('registrationType', REGISTRATION_TYPES) ?? '结婚',
    date: reader.date('registrationDate'),
    partnerKey: reader.optionalText('partnerIdNumberKey'),
    provenance: provenanceOf(record),
  }));
}

function readDeath(record: AssessmentRecord): Parsed<DeathFact> {
  return parse(record, (reader) => ({
    deathDate: reader.date('deathDate'),
    source: reader.oneOf('source', DEATH_SOURCES) ?? '其他',
    provenance: provenanceOf(record),
  }));
}

function readDisability(record: AssessmentRecord): Parsed<DisabilityFact> {
  return parse(record, (reader) => ({
    certificateNumber: reader.text('certificateNumber'),
    category: reader.oneOf('category', DISABILITY_CATEGORIES) ?? '多重',
    grade: reader.oneOf('grade', DISABILITY_GRADES) ?? '四级',
    issueDate: reader.date('issueDate'),
    provenance: provenanceOf(record),
  }));
}

// ---------------------------------------------------------------- choosing rows

function compareRecordIds(a: RecordId, b: RecordId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Older batch first; within a batch date, the smaller record id first. */
function byBatchAge(a: Provenance, b: Provenance): number {
  return compareText(a.dataAsOf, b.dataAsOf) || compareRecordIds(a.recordId, b.recordId);
}

function newest<T extends { provenance: Provenance }>(facts: readonly T[]): T | null {
  return facts.reduce<T | null>(
    (best, fact) => (best === null || byBatchAge(best.provenance, fact.provenance) <= 0 ? fact : best),
    null,
  );
}

function newestRegistration(registrations: readonly Registration[], asOfDate: string): Registration | null {
  const dated = registrations.filter((registration) => registration.date <= asOfDate);
  const ordered = [...dated].sort(
    (a, b) => compareText(a.date, b.date) || byBatchAge(a.provenance, b.provenance),
  );
  return ordered.at(-1) ?? null;
}

interface MemberRecords {
  member: CivilStatusMember;
  hukou: HukouFact | null;
  registration: Registration | null;
  deaths: DeathFact[];
  disability: DisabilityFact | null;
  unreadableRecords: UnusedRecord[];
}

function readMember(
  member: CivilStatusMember,
  records: readonly AssessmentRecord[],
  asOfDate: string,
): MemberRecords {
  const unreadableRecords: UnusedRecord[] = [];
  const readAll = <T>(dataset: string, read: (record: AssessmentRecord) => Parsed<T>): T[] =>
    records
      .filter((record) => record.dataset === dataset)
      .flatMap((record) => {
        const parsed = read(record);
        if ('fact' in parsed) return [parsed.fact];
        unreadableRecords.push(parsed.unreadable);
        return [];
      });
  const hukou = newest(readAll('hukou', readHukou));
  const registration = newestRegistration(readAll('marriage', readRegistration), asOfDate);
  const deaths = readAll('death', readDeath).sort(
    (a, b) => compareText(a.deathDate, b.deathDate) || byBatchAge(a.provenance, b.provenance),
  );
  const disability = newest(readAll('disability', readDisability));
  return { member, hukou, registration, deaths, disability, unreadableRecords };
}

// ---------------------------------------------------------------- relations

/**
 * A relation as text to compare: NFKC, no whitespace, and the few synonyms in use folded (本人 → 户主;
 * 妻/丈夫/爱人 … → 配偶; 长子/次子/儿子 … → 子; 长女/女儿 … → 女). Anything else is compared as written.
 */
export function normalizeRelation(relation: string): string {
  const text = relation.normalize('NFKC').replace(/\s+/g, '');
  if (text === '本人') return '户主';
  if (['妻', '妻子', '夫', '丈夫', '爱人'].includes(text)) return '配偶';
  if (text === '儿子') return '子';
  if (text === '女儿') return '女';
  const child = /^(?:长|次|三|四|五|六|独|小)(子|女)$/.exec(text);
  return child ? child[1]! : text;
}

const isHead = (member: Member) => normalizeRelation(member.relation) === '户主';
const isSpouse = (member: Member) => normalizeRelation(member.relation) === '配偶';

/** The members a member is declared married to: the head ↔ the member(s) declared 配偶. */
function declaredCounterparts(member: Member, members: readonly CivilStatusMember[]): CivilStatusMember[] {
  const heads = members.filter(isHead);
  if (isSpouse(member)) return heads.length === 1 ? heads : [];
  if (isHead(member) && heads.length === 1) return members.filter(isSpouse);
  return [];
}

// ---------------------------------------------------------------- facts

function maritalFact(registration: Registration | null, members: readonly CivilStatusMember[]): MaritalFact {
  if (registration === null) {
    return {
      status: 'unknown',
      registrationType: null,
      registrationDate: null,
      partnerInHousehold: null,
      partnerMemberId: null,
      provenance: null,
    };
  }
  const partner = partnerMember(registration, members);
  return {
    status: registration.type === '结婚' ? 'married' : 'divorced',
    registrationType: registration.type,
    registrationDate: registration.date,
    partnerInHousehold: registration.partnerKey === null ? null : partner !== null,
    partnerMemberId: partner?.memberId ?? null,
    provenance: registration.provenance,
  };
}

function partnerMember(
  registration: Registration,
  members: readonly CivilStatusMember[],
): CivilStatusMember | null {
  if (registration.partnerKey === null) return null;
  return members.find((candidate) => candidate.personKey === registration.partnerKey) ?? null;
}

// ---------------------------------------------------------------- member contradictions

interface Context {
  members: readonly CivilStatusMember[];
  asOfDate: string;
}

function contradiction(
  code: ContradictionCode,
  memberId: string,
  severity: Severity,
  message: string,
  evidenceRecordIds: RecordId[],
  relatedMemberIds: string[] = [],
): CivilStatusContradiction {
  return { code, memberId, severity, message, relatedMemberIds, evidenceRecordIds };
}

const names = (members: readonly Member[]) => members.map((member) => member.name).join('、');

/**
 * A death record, or hukou status 死亡. Serious; only a warning when every date given lies after the as-of
 * date (the member was alive then, but the household has changed since).
 */
function deceased(facts: MemberRecords, { asOfDate }: Context): CivilStatusContradiction | null {
  const { member, hukou, deaths } = facts;
  const hukouDead = hukou !== null && hukou.status === '死亡' ? hukou : null;
  if (deaths.length === 0 && hukouDead === null) return null;
  const parts = deaths.map((death) => `死亡殡葬信息记载${death.deathDate}死亡（${death.source}）`);
  const evidence = deaths.map((death) => death.provenance.recordId);
  const dates: (string | null)[] = deaths.map((death) => death.deathDate);
  if (hukouDead !== null) {
    const date = hukouDead.statusChangeDate;
    parts.push(`户籍状态为死亡${date === null ? '' : `（${date}）`}`);
    evidence.push(hukouDead.provenance.recordId);
    dates.push(date);
  }
  const allLater = dates.every((date) => date !== null && date > asOfDate);
  const later = allLater ? `，${dates.length > 1 ? '均' : ''}晚于核对基准日${asOfDate}` : '';
  return contradiction(
    'MEMBER_DECEASED',
    member.memberId,
    allLater ? 'warning' : 'serious',
    `${member.name}在数据源中登记为已死亡：${parts.join('；')}${later}`,
    evidence,
  );
}

function hukouStatus(facts: MemberRecords): CivilStatusContradiction | null {
  const { member, hukou } = facts;
  if (hukou === null || (hukou.status !== '注销' && hukou.status !== '迁出')) return null;
  const code = hukou.status === '注销' ? 'HUKOU_CANCELLED' : 'HUKOU_MOVED_OUT';
  const date = hukou.statusChangeDate ? `（变更日期${hukou.statusChangeDate}）` : '';
  return contradiction(code, member.memberId, 'warning', `${member.name}的户籍状态为${hukou.status}${date}`, [
    hukou.provenance.recordId,
  ]);
}

/** Info: the sources may not cover the member (hukou held elsewhere, a batch not yet delivered). */
function noHukou(facts: MemberRecords): CivilStatusContradiction | null {
  if (facts.hukou !== null) return null;
  const { member } = facts;
  return contradiction('NO_HUKOU_RECORD', member.memberId, 'info', `未找到${member.name}的户籍登记记录`, []);
}

function relationDiffers(facts: MemberRecords): CivilStatusContradiction | null {
  const { member, hukou } = facts;
  const registered = hukou?.relationToHead ?? null;
  if (hukou === null || registered === null || member.relation.trim() === '') return null;
  if (normalizeRelation(registered) === normalizeRelation(member.relation)) return null;
  return contradiction(
    'RELATION_DIFFERS',
    member.memberId,
    'info',
    `${member.name}申报的关系为“${member.relation.trim()}”，户籍登记的与户主关系为“${registered}”`,
    [hukou.provenance.recordId],
  );
}

/**
 * The newest registration against the declared couple (the head and the member(s) declared 配偶):
 * - a member of the couple whose newest registration is 离婚 → DECLARED_SPOUSE_DIVORCED;
 * - a member of the couple married to someone other than the declared counterpart → SPOUSE_IS_OTHER_PERSON;
 * - anyone else married to someone who is not a member → SPOUSE_NOT_DECLARED.
 * A registration without the partner's ID cannot be matched and raises nothing but the divorce. A widowed
 * member's last registration is still 结婚 with a partner outside the household, so SPOUSE_NOT_DECLARED is a
 * warning to look at, not a finding.
 */
function spouse(facts: MemberRecords, { members }: Context): CivilStatusContradiction | null {
  const { member, registration } = facts;
  if (registration === null) return null;
  const counterparts = declaredCounterparts(member, members);
  const inCouple = isSpouse(member) || counterparts.length > 0;
  if (registration.type === '离婚') return inCouple ? divorced(facts, registration, counterparts) : null;
  if (registration.partnerKey === null) return null;
  const partner = partnerMember(registration, members);
  if (counterparts.length > 0) {
    if (partner !== null && counterparts.includes(partner)) return null;
    return otherPerson(member, registration, counterparts, partner);
  }
  if (partner !== null) return null;
  return contradiction(
    'SPOUSE_NOT_DECLARED',
    member.memberId,
    'warning',
    `${member.name}最近一次婚姻登记为${registration.date}结婚，对方不是本户申报的成员`,
    [registration.provenance.recordId],
  );
}

function divorced(
  facts: MemberRecords,
  registration: Registration,
  counterparts: readonly CivilStatusMember[],
): CivilStatusContradiction {
  const { member } = facts;
  const formerPartner = counterparts.find((candidate) => candidate.personKey === registration.partnerKey);
  const whom =
    formerPartner !== undefined
      ? `，对方为申报的配偶${formerPartner.name}`
      : registration.partnerKey === null
        ? ''
        : '，对方不是申报的配偶';
  const role = isSpouse(member) ? '申报为配偶' : `申报有配偶${names(counterparts)}`;
  return contradiction(
    'DECLARED_SPOUSE_DIVORCED',
    member.memberId,
    'warning',
    `${member.name}${role}，但最近一次婚姻登记为${registration.date}离婚${whom}`,
    [registration.provenance.recordId],
    counterparts.map((counterpart) => counterpart.memberId),
  );
}

function otherPerson(
  member: CivilStatusMember,
  registration: Registration,
  counterparts: readonly CivilStatusMember[],
  partner: CivilStatusMember | null,
): CivilStatusContradiction {
  const who =
    partner === null
      ? '对方不是本户申报的成员'
      : `对方为本户成员${partner.name}（申报关系：${partner.relation.trim()}）`;
  const declared = isSpouse(member)
    ? `申报其为户主${names(counterparts)}的配偶`
    : `申报的配偶为${names(counterparts)}`;
  const related = counterparts.map((counterpart) => counterpart.memberId);
  if (partner !== null) related.push(partner.memberId);
  return contradiction(
    'SPOUSE_IS_OTHER_PERSON',
    member.memberId,
    'warning',
    `${member.name}最近一次婚姻登记为${registration.date}结婚，${who}；${declared}`,
    [registration.provenance.recordId],
    related,
  );
}

type MemberRule = (facts: MemberRecords, context: Context) => CivilStatusContradiction | null;

/** In the order of CONTRADICTION_CODES. */
const MEMBER_RULES: readonly MemberRule[] = [deceased, hukouStatus, noHukou, relationDiffers, spouse];

// ---------------------------------------------------------------- household contradictions

function normalizeHouseholdNumber(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '');
}

/**
 * Co-residing, not excluded members whose hukou rows carry different 户号. Info only: a family may live
 * together on separate hukou (a spouse who kept the hukou of the home village, a child registered at school),
 * and the spouse, minor children and others with a duty of support count as co-residing whatever their hukou
 * (SPEC §3), so a different number is a fact to look at, not a contradiction of the declaration by itself.
 */
function householdNumberDiffers(all: readonly MemberRecords[]): CivilStatusContradiction | null {
  const groups = new Map<string, { members: CivilStatusMember[]; recordIds: RecordId[] }>();
  for (const { member, hukou } of all) {
    if (!member.coResiding || member.exclusion !== null || hukou === null) continue;
    const number = normalizeHouseholdNumber(hukou.householdNumber);
    const group = groups.get(number) ?? { members: [], recordIds: [] };
    group.members.push(member);
    group.recordIds.push(hukou.provenance.recordId);
    groups.set(number, group);
  }
  if (groups.size < 2) return null;
  const entries = [...groups.entries()];
  const householdNumbers = entries.map(([householdNumber, group]) => ({
    householdNumber,
    memberIds: group.members.map((member) => member.memberId),
  }));
  const text = entries.map(([number, group]) => `${number}（${names(group.members)}）`).join('；');
  return {
    ...contradiction(
      'HOUSEHOLD_NUMBER_DIFFERS',
      HOUSEHOLD,
      'info',
      `共同生活的成员户籍户号不一致：${text}`,
      entries.flatMap(([, group]) => group.recordIds),
      entries.flatMap(([, group]) => group.members.map((member) => member.memberId)),
    ),
    householdNumbers,
  };
}

// ---------------------------------------------------------------- entry point

function checkInput(input: AssessCivilStatusInput): void {
  if (!isDate(input.asOfDate)) throw new RangeError(`asOfDate is not YYYY-MM-DD: ${input.asOfDate}`);
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const member of input.members) {
    if (member.memberId === HOUSEHOLD) throw new RangeError(`"${HOUSEHOLD}" is reserved, not a member id`);
    if (ids.has(member.memberId)) throw new RangeError(`member ${member.memberId} is listed twice`);
    if (keys.has(member.personKey))
      throw new RangeError(`member ${member.memberId} is the same person as another`);
    ids.add(member.memberId);
    keys.add(member.personKey);
  }
  for (const memberId of input.recordsByMember.keys()) {
    if (!ids.has(memberId)) throw new RangeError(`records given for ${memberId}, who is not a member`);
  }
}

function memberCivilStatus(facts: MemberRecords, members: readonly CivilStatusMember[]): MemberCivilStatus {
  const { member } = facts;
  return {
    memberId: member.memberId,
    name: member.name,
    relation: member.relation,
    hukou: facts.hukou,
    marital: maritalFact(facts.registration, members),
    deaths: facts.deaths,
    disability: facts.disability,
    unreadableRecords: facts.unreadableRecords,
  };
}

/** Each member's civil-status facts with their sources, and the contradictions among them and the declaration. */
export function assessCivilStatus(input: AssessCivilStatusInput): CivilStatusAssessment {
  checkInput(input);
  const context: Context = { members: input.members, asOfDate: input.asOfDate };
  const all = input.members.map((member) =>
    readMember(member, input.recordsByMember.get(member.memberId) ?? [], input.asOfDate),
  );
  const contradictions = all.flatMap((facts) =>
    MEMBER_RULES.map((rule) => rule(facts, context)).filter((found) => found !== null),
  );
  const household = householdNumberDiffers(all);
  if (household !== null) contradictions.push(household);
  return {
    asOfDate: input.asOfDate,
    members: all.map((facts) => memberCivilStatus(facts, input.members)),
    contradictions,
  };
}
