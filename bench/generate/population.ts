import { computeCheckChar } from '../../src/domain/identity/id-number.ts';
import { compactOfDay, isoOfDay, yearOfDay } from './calendar.ts';
import {
  COHORTS,
  cohortOf,
  GIVEN_CHARACTERS,
  GIVEN_POOL_INDICES,
  SINGLE_CHARACTER_SHARE,
  SURNAME_WEIGHTS,
  SURNAMES,
} from './names.ts';
import {
  HOME_COUNTIES,
  HOME_COUNTY_COUNT,
  HOME_COUNTY_WEIGHTS,
  OTHER_COUNTY_POOLS,
  OTHER_POOL_OFFSETS,
  OTHER_POOL_WEIGHTS,
  REGION_CODES,
  STREETS,
  TOWNS,
  VILLAGES,
} from './places.ts';
import { cumulative, pickIndex, Rng, tagOf, unitOf } from './random.ts';

/**
 * The people and families of the city, as typed arrays indexed by person and family number (never one object
 * per person: 2 million people take about 70 MB). Families are built one after another from the seed; every
 * later dataset reads these arrays and draws the rest from (seed, dataset, person) alone.
 */

export const RELATIONS = [
  '户主',
  '配偶',
  '子',
  '女',
  '父亲',
  '母亲',
  '儿媳',
  '女婿',
  '孙子',
  '孙女',
] as const;
export const REL = {
  head: 0,
  spouse: 1,
  son: 2,
  daughter: 3,
  father: 4,
  mother: 5,
  daughterInLaw: 6,
  sonInLaw: 7,
  grandson: 8,
  granddaughter: 9,
} as const;

/** What a person lives on; decides which department data they appear in. */
export const CLS = {
  child: 0,
  student: 1,
  payroll: 2,
  employee: 3,
  selfEmployed: 4,
  farmer: 5,
  gig: 6,
  unemployed: 7,
  retiredEnterprise: 8,
  retiredPublic: 9,
  elderlyRural: 10,
} as const;
export const CLASS_NAMES = [
  'child',
  'student',
  'payroll',
  'employee',
  'self_employed',
  'farmer',
  'gig',
  'unemployed',
  'retired_enterprise',
  'retired_public',
  'elderly_rural',
] as const;

export const HUKOU_STATUSES = ['正常', '迁出', '死亡', '注销'] as const;
export const HUKOU = { normal: 0, movedOut: 1, dead: 2, cancelled: 3 } as const;

export const ASSISTANCE_TYPES = ['', '最低生活保障', '特困人员救助供养', '低保边缘家庭', '临时救助'] as const;

export const DISABILITY_CATEGORIES = ['', '视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;
const DISABILITY_WEIGHTS = [0, 0.14, 0.15, 0.02, 0.48, 0.08, 0.08, 0.05];

/** Family sizes 1–7 with the shares of BENCHMARK.md (5+ split 5/2/1). */
export const FAMILY_SIZE_WEIGHTS = [0.2, 0.3, 0.28, 0.14, 0.05, 0.02, 0.01];

export const RECIPIENT_SHARE = 0.05;

const NO_CHARACTER = 0xffff;
const DAYS_PER_YEAR = 365.2425;
/** Earliest birth day the order-code counters cover: 1900-01-01. */
const COUNTER_FIRST_DAY = -25_567;
const COUNTER_DAYS = 50_000;

export interface PopulationOptions {
  seed: number;
  people: number;
  /** Ages are measured at this day (the as-of date of the base month). */
  referenceDay: number;
  /** First day of the first data month: deaths in the data happen between it and the reference day. */
  dataFirstDay: number;
}

interface Draft {
  relation: number;
  sex: number;
  age: number;
  surname: number;
  spouseOf: number;
}

const TAG = {
  family: tagOf('family'),
  person: tagOf('person'),
  wealth: tagOf('wealth'),
  outsider: tagOf('outsider'),
};

/** Allocates the three-digit order codes of ID numbers so that no two people share an ID. */
class OrderCodes {
  private readonly home = new Uint16Array(HOME_COUNTY_COUNT * COUNTER_DAYS * 2);
  private readonly other = new Map<number, number>();

  constructor(private readonly seed: number) {}

  /** Order code 000–999 with the sex parity of GB 11643 (odd = male). */
  allocate(region: number, birthDay: number, sex: number): number {
    const dayIndex = birthDay - COUNTER_FIRST_DAY;
    if (dayIndex < 0 || dayIndex >= COUNTER_DAYS) throw new RangeError(`birth day ${birthDay} out of range`);
    const key = (region * COUNTER_DAYS + dayIndex) * 2 + sex;
    let used: number;
    if (region < HOME_COUNTY_COUNT) {
      used = this.home[key] ?? 0;
      this.home[key] = used + 1;
    } else {
      used = this.other.get(key) ?? 0;
      this.other.set(key, used + 1);
    }
    if (used >= 500) throw new RangeError('more than 500 people share a county, birth day and sex');
    const offset = Math.floor(unitOf(this.seed, TAG.person, key, 7) * 500);
    return ((used + offset) % 500) * 2 + sex;
  }
}

/** A person from outside the city (a marriage partner): a valid, unique ID and a name, nothing else. */
export interface Outsider {
  id: string;
  name: string;
  birthDay: number;
  sex: number;
}

export class Population {
  readonly size: number;
  familyCount = 0;
  readonly birth: Int32Array;
  readonly sex: Uint8Array;
  readonly region: Uint16Array;
  readonly order: Uint16Array;
  readonly surname: Uint16Array;
  readonly given1: Uint16Array;
  readonly given2: Uint16Array;
  readonly family: Int32Array;
  readonly relation: Uint8Array;
  readonly coResiding: Uint8Array;
  readonly cls: Uint8Array;
  /** Monthly base in fen: wage, pension, business profit or service fees, by class. */
  readonly wage: Int32Array;
  readonly spouse: Int32Array;
  readonly hukouStatus: Uint8Array;
  readonly statusDay: Int32Array;
  readonly disability: Uint8Array;
  familyStart: Int32Array;
  familySize: Uint8Array;
  familyCounty: Uint8Array;
  recipient: Uint8Array;
  assistance: Uint8Array;
  /** A family's economic standing in [0, 1): drives assets. Recipients are mostly poor. */
  wealth: Float32Array;
  private readonly codes: OrderCodes;

  constructor(readonly options: PopulationOptions) {
    const n = options.people;
    this.size = n;
    this.birth = new Int32Array(n);
    this.sex = new Uint8Array(n);
    this.region = new Uint16Array(n);
    this.order = new Uint16Array(n);
    this.surname = new Uint16Array(n);
    this.given1 = new Uint16Array(n);
    this.given2 = new Uint16Array(n);
    this.family = new Int32Array(n);
    this.relation = new Uint8Array(n);
    this.coResiding = new Uint8Array(n);
    this.cls = new Uint8Array(n);
    this.wage = new Int32Array(n);
    this.spouse = new Int32Array(n).fill(-1);
    this.hukouStatus = new Uint8Array(n);
    this.statusDay = new Int32Array(n);
    this.disability = new Uint8Array(n);
    const maxFamilies = n;
    this.familyStart = new Int32Array(maxFamilies);
    this.familySize = new Uint8Array(maxFamilies);
    this.familyCounty = new Uint8Array(maxFamilies);
    this.recipient = new Uint8Array(maxFamilies);
    this.assistance = new Uint8Array(maxFamilies);
    this.wealth = new Float32Array(maxFamilies);
    this.codes = new OrderCodes(options.seed);
  }

  /** The 18-digit ID number. */
  idOf(person: number): string {
    const region = REGION_CODES[this.region[person] ?? 0] ?? '';
    const body = `${region}${compactOfDay(this.birth[person] ?? 0)}${String(this.order[person] ?? 0).padStart(3, '0')}`;
    return body + computeCheckChar(body);
  }

  nameOf(person: number): string {
    const g2 = this.given2[person] ?? NO_CHARACTER;
    return (
      (SURNAMES[this.surname[person] ?? 0] ?? '') +
      (GIVEN_CHARACTERS[this.given1[person] ?? 0] ?? '') +
      (g2 === NO_CHARACTER ? '' : (GIVEN_CHARACTERS[g2] ?? ''))
    );
  }

  birthIso(person: number): string {
    return isoOfDay(this.birth[person] ?? 0);
  }

  /** Whole years of age on the reference day. */
  ageOf(person: number, day = this.options.referenceDay): number {
    return Math.floor((day - (this.birth[person] ?? 0)) / DAYS_PER_YEAR);
  }

  isMale(person: number): boolean {
    return this.sex[person] === 1;
  }

  isRecipientPerson(person: number): boolean {
    return this.recipient[this.family[person] ?? 0] === 1;
  }

  householdNumber(family: number): string {
    const county = HOME_COUNTIES[this.familyCounty[family] ?? 0]?.code ?? '';
    return `${county}${String(family + 1).padStart(7, '0')}`;
  }

  address(family: number): string {
    const county = HOME_COUNTIES[this.familyCounty[family] ?? 0];
    if (!county) return '';
    const rng = new Rng(this.options.seed, TAG.family, family, 99);
    if (!county.rural || rng.chance(0.25)) {
      const street = county.rural ? rng.pick(TOWNS) + rng.pick(STREETS) : rng.pick(STREETS);
      return `甘肃省庆阳市${county.name}${street}${rng.between(1, 300)}号${rng.between(1, 20)}号楼${rng.between(1, 6)}单元${rng.between(1, 18)}0${rng.between(1, 4)}室`;
    }
    return `甘肃省庆阳市${county.name}${rng.pick(TOWNS)}${rng.pick(VILLAGES)}${rng.between(1, 12)}组${rng.between(1, 120)}号`;
  }

  /** A partner from elsewhere: unique ID from the same order-code counters. */
  outsider(key: number, sex: number, birthDay: number): Outsider {
    const rng = new Rng(this.options.seed, TAG.outsider, key);
    const pool = pickIndex(OTHER_CDF, rng.float());
    const codes = OTHER_COUNTY_POOLS[pool] ?? [];
    const region = (OTHER_POOL_OFFSETS[pool] ?? HOME_COUNTY_COUNT) + rng.int(codes.length);
    const order = this.codes.allocate(region, birthDay, sex);
    const body = `${REGION_CODES[region] ?? ''}${compactOfDay(birthDay)}${String(order).padStart(3, '0')}`;
    const surname = pickIndex(SURNAME_CDF, rng.float());
    const [g1, g2] = givenName(rng, yearOfDay(birthDay), sex);
    const name =
      (SURNAMES[surname] ?? '') +
      (GIVEN_CHARACTERS[g1] ?? '') +
      (g2 === NO_CHARACTER ? '' : (GIVEN_CHARACTERS[g2] ?? ''));
    return { id: body + computeCheckChar(body), name, birthDay, sex };
  }

  allocateOrder(region: number, birthDay: number, sex: number): number {
    return this.codes.allocate(region, birthDay, sex);
  }
}

const SURNAME_CDF = cumulative(SURNAME_WEIGHTS);
const HOME_CDF = cumulative(HOME_COUNTY_WEIGHTS);
const OTHER_CDF = cumulative(OTHER_POOL_WEIGHTS);
const SIZE_CDF = cumulative(FAMILY_SIZE_WEIGHTS);
const DISABILITY_CDF = cumulative(DISABILITY_WEIGHTS);

function givenName(rng: Rng, birthYear: number, sex: number): [number, number] {
  const cohort = Math.min(COHORTS - 1, cohortOf(birthYear));
  const pools = GIVEN_POOL_INDICES[cohort];
  const pool = pools?.[sex === 1 ? 1 : 0];
  if (!pool || pool.length < 2) throw new Error('given-name pool missing');
  const first = pool[rng.int(pool.length)] ?? 0;
  if (rng.chance(SINGLE_CHARACTER_SHARE[cohort] ?? 0.2)) return [first, NO_CHARACTER];
  let second = pool[rng.int(pool.length)] ?? 0;
  while (second === first) second = pool[rng.int(pool.length)] ?? 0;
  return [first, second];
}

/** Wife's age from the husband's: usually two or three years younger. */
function partnerAge(rng: Rng, husbandAge: number): number {
  const gap = Math.max(-5, Math.min(12, 2.5 + 2.2 * rng.normal()));
  return Math.max(19 + rng.float() * 2, husbandAge - gap);
}

function elderlyAge(rng: Rng, low: number, high: number): number {
  // Fewer people at the top: the square of a uniform leans towards `low`.
  const u = rng.float();
  return low + (high - low) * u * u * 0.6 + (high - low) * 0.4 * u * rng.float();
}

/** Ages of `count` children of a mother aged `motherAge`, oldest first. */
function childAges(rng: Rng, motherAge: number, count: number): number[] {
  const ages: number[] = [];
  let age = motherAge - (21 + rng.float() * 12);
  for (let k = 0; k < count; k++) {
    ages.push(Math.max(rng.float() * 0.95, age));
    age -= 1.5 + rng.float() * 4.5;
  }
  return ages;
}

/** The members of one family of `size`, before names and IDs. */
function draftFamily(rng: Rng, size: number, familySurname: number): Draft[] {
  const members: Draft[] = [];
  const add = (relation: number, sex: number, age: number, surname: number) => {
    // Never clamp to one exact age: everyone clamped would share a birth day (and run out of order codes).
    const clamped = age > 99 ? 95 + rng.float() * 4 : Math.max(0, age);
    members.push({ relation, sex, age: clamped, surname, spouseOf: -1 });
    return members.length - 1;
  };
  const randomSurname = () => pickIndex(SURNAME_CDF, rng.float());
  const couple = (headAge: number): { husbandSurname: number; motherAge: number } => {
    const maleHead = rng.chance(0.86);
    const husbandAge = headAge;
    const wifeAge = partnerAge(rng, husbandAge);
    const head = add(REL.head, maleHead ? 1 : 0, maleHead ? husbandAge : wifeAge, familySurname);
    const spouseSurname = randomSurname();
    const spouse = add(REL.spouse, maleHead ? 0 : 1, maleHead ? wifeAge : husbandAge, spouseSurname);
    const a = members[head];
    const b = members[spouse];
    if (a && b) {
      a.spouseOf = spouse;
      b.spouseOf = head;
    }
    return { husbandSurname: maleHead ? familySurname : spouseSurname, motherAge: wifeAge };
  };
  const children = (motherAge: number, count: number, surname: number, grand = false) => {
    for (const age of childAges(rng, motherAge, count)) {
      const male = rng.chance(0.52) ? 1 : 0;
      const relation = grand ? (male ? REL.grandson : REL.granddaughter) : male ? REL.son : REL.daughter;
      add(relation, male, age, surname);
    }
  };
  const parents = (headAge: number, count: number) => {
    const fatherAge = headAge + 23 + rng.float() * 10;
    const motherAge = partnerAge(rng, fatherAge);
    if (count >= 2) {
      const father = add(REL.father, 1, fatherAge, familySurname);
      const mother = add(REL.mother, 0, motherAge, randomSurname());
      const a = members[father];
      const b = members[mother];
      if (a && b) {
        a.spouseOf = mother;
        b.spouseOf = father;
      }
    } else if (rng.chance(0.65)) add(REL.mother, 0, motherAge, randomSurname());
    else add(REL.father, 1, fatherAge, familySurname);
  };
  const single = (age: number, maleShare: number) =>
    add(REL.head, rng.chance(maleShare) ? 1 : 0, age, familySurname);

  const u = rng.float();
  switch (size) {
    case 1:
      if (u < 0.35) single(20 + rng.float() * 15, 0.56);
      else if (u < 0.6) single(36 + rng.float() * 24, 0.5);
      else single(elderlyAge(rng, 60, 98), 0.4);
      break;
    case 2:
      if (u < 0.22) couple(23 + rng.float() * 13);
      else if (u < 0.62) couple(elderlyAge(rng, 50, 92));
      else if (u < 0.85) {
        const parentAge = 26 + rng.float() * 30;
        const head = single(parentAge, 0.3);
        children(parentAge, 1, members[head]?.surname ?? familySurname);
      } else {
        const headAge = 30 + rng.float() * 30;
        single(headAge, 0.6);
        parents(headAge, 1);
      }
      break;
    case 3:
      if (u < 0.75) {
        const { husbandSurname, motherAge } = couple(25 + rng.float() * 30);
        children(motherAge, 1, husbandSurname);
      } else if (u < 0.88) {
        const parentAge = 30 + rng.float() * 22;
        single(parentAge, 0.3);
        children(parentAge, 2, familySurname);
      } else {
        const headAge = 28 + rng.float() * 27;
        couple(headAge);
        parents(headAge, 1);
      }
      break;
    case 4:
      if (u < 0.62) {
        const { husbandSurname, motherAge } = couple(28 + rng.float() * 25);
        children(motherAge, 2, husbandSurname);
      } else if (u < 0.85) {
        const headAge = 28 + rng.float() * 24;
        const { husbandSurname, motherAge } = couple(headAge);
        children(motherAge, 1, husbandSurname);
        parents(headAge, 1);
      } else {
        grandFamily(0);
      }
      break;
    default:
      if (u < 0.45) {
        const headAge = 30 + rng.float() * 20;
        const { husbandSurname, motherAge } = couple(headAge);
        const parentCount = Math.min(2, size - 3);
        children(motherAge, size - 2 - parentCount, husbandSurname);
        parents(headAge, parentCount);
      } else if (u < 0.8) {
        grandFamily(size - 4);
      } else {
        const { husbandSurname, motherAge } = couple(34 + rng.float() * 14);
        children(motherAge, size - 2, husbandSurname);
      }
  }
  return members;

  function grandFamily(grandchildren: number): void {
    const headAge = 52 + rng.float() * 22;
    const { husbandSurname, motherAge } = couple(headAge);
    const sonAge = Math.max(20 + rng.float() * 3, motherAge - (22 + rng.float() * 9));
    const son = add(REL.son, 1, sonAge, husbandSurname);
    const wife = add(REL.daughterInLaw, 0, partnerAge(rng, sonAge), randomSurname());
    const a = members[son];
    const b = members[wife];
    if (a && b) {
      a.spouseOf = wife;
      b.spouseOf = son;
    }
    children(b?.age ?? sonAge, grandchildren, husbandSurname, true);
  }
}

/** Annual probability of dying at an age (a Gompertz curve through Chinese life-table values). */
export function mortality(age: number): number {
  if (age < 55) return 0.0015;
  return Math.min(0.35, 0.005 * Math.exp(0.09 * (age - 55)));
}

function disabilityRate(age: number): number {
  if (age < 18) return 0.015;
  if (age < 45) return 0.03;
  if (age < 60) return 0.06;
  if (age < 75) return 0.11;
  return 0.18;
}

/**
 * What a person lives on. `poor` is true for recipient families that really are poor (most of them); they
 * have no 财政供养 members and fewer formal jobs.
 */
function chooseClass(rng: Rng, age: number, sex: number, rural: boolean, poor: boolean): number {
  if (age < 16) return CLS.child;
  if (age < 18) return CLS.student;
  if (age < 23 && rng.chance(age < 20 ? 0.7 : 0.45)) return CLS.student;
  const retirementAge = sex === 1 ? 60 : 55;
  if (age >= retirementAge) {
    const u = rng.float();
    const publicShare = poor ? 0 : rural ? 0.05 : 0.11;
    const enterpriseShare = poor ? 0.12 : rural ? 0.22 : 0.45;
    if (u < publicShare) return CLS.retiredPublic;
    if (u < publicShare + enterpriseShare) return CLS.retiredEnterprise;
    if (age >= 60) return CLS.elderlyRural;
    return rural ? CLS.farmer : CLS.unemployed;
  }
  const u = rng.float();
  const shares = poor
    ? [0, 0.2, 0.03, rural ? 0.34 : 0.05, 0.13]
    : [rural ? 0.07 : 0.12, rural ? 0.42 : 0.6, 0.085, rural ? 0.28 : 0.03, 0.075];
  const classes = [CLS.payroll, CLS.employee, CLS.selfEmployed, CLS.farmer, CLS.gig];
  let running = 0;
  for (const [index, share] of shares.entries()) {
    running += share;
    if (u < running) return classes[index] ?? CLS.unemployed;
  }
  return CLS.unemployed;
}

function yuanToFen(yuan: number): number {
  return Math.round(yuan) * 100;
}

/** Monthly base in fen for a class (wage, pension, business profit, service fees). */
function baseAmount(rng: Rng, cls: number, poor: boolean): number {
  switch (cls) {
    case CLS.payroll:
      return yuanToFen(Math.min(18_000, Math.max(3_600, rng.logNormal(6_400, 0.25))));
    case CLS.employee:
      return poor
        ? yuanToFen(Math.min(3_400, Math.max(1_820, rng.logNormal(2_300, 0.2))))
        : yuanToFen(Math.min(45_000, Math.max(1_900, rng.logNormal(4_300, 0.45))));
    case CLS.selfEmployed:
      return yuanToFen(Math.max(600, rng.logNormal(poor ? 1_500 : 4_200, 0.65)));
    case CLS.gig:
      return yuanToFen(Math.max(500, rng.logNormal(poor ? 1_300 : 2_600, 0.45)));
    case CLS.retiredEnterprise:
      return yuanToFen(Math.max(1_600, rng.logNormal(poor ? 2_100 : 3_100, 0.22)));
    case CLS.retiredPublic:
      return yuanToFen(Math.max(3_000, rng.logNormal(5_600, 0.2)));
    case CLS.elderlyRural:
      return yuanToFen(rng.between(143, 320));
    case CLS.unemployed:
      return yuanToFen(rng.between(1_500, 1_700));
    default:
      return 0;
  }
}

/** Builds the whole population from the seed, family by family. */
export function buildPopulation(options: PopulationOptions): Population {
  const pop = new Population(options);
  const { seed, people, referenceDay, dataFirstDay } = options;
  const rng = new Rng(seed);
  const personRng = new Rng(seed);
  let person = 0;
  let family = 0;
  while (person < people) {
    rng.reset(TAG.family, family);
    let size = pickIndex(SIZE_CDF, rng.float()) + 1;
    if (person + size > people) size = people - person;
    const county = pickIndex(HOME_CDF, rng.float());
    const rural = HOME_COUNTIES[county]?.rural ?? true;
    const recipient = rng.chance(RECIPIENT_SHARE);
    // Most recipients are poor; one in ten is not, which is what verification is for.
    const poor = recipient && !rng.chance(0.1);
    const wealth = poor ? rng.float() * 0.25 : rng.float();
    const familySurname = pickIndex(SURNAME_CDF, rng.float());
    const drafts = draftFamily(rng, size, familySurname).slice(0, size);
    pop.familyStart[family] = person;
    pop.familySize[family] = drafts.length;
    pop.familyCounty[family] = county;
    pop.recipient[family] = recipient ? 1 : 0;
    pop.wealth[family] = wealth;

    for (const [k, draft] of drafts.entries()) {
      const p = person + k;
      personRng.reset(TAG.person, p);
      const birthDay = Math.min(referenceDay, referenceDay - Math.round(draft.age * DAYS_PER_YEAR));
      const u = personRng.float();
      let region = county;
      if (u < 0.1) {
        const pool = pickIndex(OTHER_CDF, personRng.float());
        region = (OTHER_POOL_OFFSETS[pool] ?? 0) + personRng.int(OTHER_COUNTY_POOLS[pool]?.length ?? 1);
      } else if (u < 0.14) region = pickIndex(HOME_CDF, personRng.float());
      pop.birth[p] = birthDay;
      pop.sex[p] = draft.sex;
      pop.region[p] = region;
      pop.order[p] = pop.allocateOrder(region, birthDay, draft.sex);
      pop.surname[p] = draft.surname;
      const [g1, g2] = givenName(personRng, yearOfDay(birthDay), draft.sex);
      pop.given1[p] = g1;
      pop.given2[p] = g2;
      pop.family[p] = family;
      pop.relation[p] = draft.relation;
      pop.spouse[p] = draft.spouseOf >= 0 ? person + draft.spouseOf : -1;
      const age = pop.ageOf(p);
      const cls = chooseClass(personRng, age, draft.sex, rural, poor);
      pop.cls[p] = cls;
      pop.wage[p] = baseAmount(personRng, cls, poor);
      pop.coResiding[p] = 1;
      const awayAge =
        age >= 18 && age <= 35 && (draft.relation === REL.son || draft.relation === REL.daughter);
      if (awayAge && cls !== CLS.student && personRng.chance(0.12)) pop.coResiding[p] = 0;
      if (personRng.chance(disabilityRate(age) * (poor ? 2 : 1))) {
        pop.disability[p] = pickIndex(DISABILITY_CDF, personRng.float());
      }
      // Civil status changes, kept out of recipient families (their changes are planted in month two).
      if (!recipient) {
        const span = (referenceDay - dataFirstDay + 1) / DAYS_PER_YEAR;
        if (personRng.chance(mortality(age) * span)) {
          pop.hukouStatus[p] = HUKOU.dead;
          pop.statusDay[p] = Math.max(
            birthDay,
            dataFirstDay + personRng.int(referenceDay - dataFirstDay + 1),
          );
          pop.coResiding[p] = 0;
        } else if (age >= 18 && age <= 45 && personRng.chance(0.015)) {
          pop.hukouStatus[p] = HUKOU.movedOut;
          pop.statusDay[p] = referenceDay - personRng.int(3 * 365);
          pop.coResiding[p] = 0;
        } else if (personRng.chance(0.0003)) {
          pop.hukouStatus[p] = HUKOU.cancelled;
          pop.statusDay[p] = Math.max(birthDay, referenceDay - personRng.int(5 * 365));
          pop.coResiding[p] = 0;
        }
      }
    }
    const head = person;
    if (recipient) {
      const elderlySingle = drafts.length === 1 && pop.ageOf(head) >= 60;
      const v = rng.float();
      pop.assistance[family] = elderlySingle && v < 0.5 ? 2 : v < 0.75 ? 1 : v < 0.9 ? 3 : 4;
    }
    person += drafts.length;
    family += 1;
  }
  pop.familyCount = family;
  pop.familyStart = pop.familyStart.slice(0, family);
  pop.familySize = pop.familySize.slice(0, family);
  pop.familyCounty = pop.familyCounty.slice(0, family);
  pop.recipient = pop.recipient.slice(0, family);
  pop.assistance = pop.assistance.slice(0, family);
  pop.wealth = pop.wealth.slice(0, family);
  return pop;
}
