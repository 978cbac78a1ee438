import { join } from 'node:path';
import { firstDayOfMonth, isoOfDay, monthLabel } from './calendar.ts';
import type { City } from './city.ts';
import { creditCodeOf, entityNumber, plateOf, unitNumberOf, vehicleCode } from './codes.ts';
import { TextSink, yuan } from './output.ts';
import { HOME_COUNTIES } from './places.ts';
import { CLS, HUKOU, type Outsider, REL } from './population.ts';
import { Rng, tagOf, unitOf } from './random.ts';

/**
 * Month two: the changes a recheck must find, planted in recipient families (about 2 % of them per kind, one
 * change per family), all dated in the month after the base month, listed in truth/planted-changes.csv.
 */

export const CHANGE_TYPES = [
  'new_vehicle',
  'new_property',
  'new_company',
  'income_rise',
  'member_deceased',
  'member_moved_out',
  'new_marriage',
  'member_on_payroll',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const SHARE_PER_TYPE = 0.02;
/** Wages of a member with an income rise are multiplied by this from month two on. */
export const INCOME_RISE = 1.5;
/** The k of the planted property in its family (base properties use small k). */
export const PLANTED_PROPERTY = 99;
/** The k of the planted vehicle and company (base ones use 0–2). */
export const PLANTED_SLOT = 3;

export interface PlantedChange {
  type: ChangeType;
  family: number;
  person: number;
  day: number;
  datasets: string;
  detail: string;
  /** Month-two wage (fen) of a member now on payroll. */
  wage?: number;
  partner?: Outsider;
}

export class Planted {
  readonly list: PlantedChange[] = [];
  private readonly byPerson = new Map<number, PlantedChange>();

  constructor(readonly month: number) {}

  add(change: PlantedChange): void {
    this.list.push(change);
    this.byPerson.set(change.person, change);
  }

  of(person: number, type: ChangeType): PlantedChange | undefined {
    const change = this.byPerson.get(person);
    return change?.type === type ? change : undefined;
  }
}

const TAG = { plant: tagOf('plant'), detail: tagOf('plant-detail') };

/** Chooses the changes and applies the civil-status ones (death, moving out) to the population. */
export function plantChanges(city: City): Planted {
  const { pop } = city;
  const month = city.asOfMonth;
  const planted = new Planted(month);
  const rng = new Rng(city.seed);
  const firstDay = firstDayOfMonth(month);
  const members = (family: number): number[] => {
    const start = pop.familyStart[family] ?? 0;
    const list: number[] = [];
    for (let k = 0; k < (pop.familySize[family] ?? 0); k++) {
      const person = start + k;
      if (pop.coResiding[person] === 1 && pop.hukouStatus[person] === HUKOU.normal) list.push(person);
    }
    return list;
  };

  // Recipient families in an order drawn from the seed; each kind takes the first eligible unused ones.
  const roster: number[] = [];
  for (let family = 0; family < pop.familyCount; family++)
    if (pop.recipient[family] === 1) roster.push(family);
  const order = roster
    .map((family) => ({ family, u: unitOf(city.seed, TAG.plant, family) }))
    .sort((a, b) => a.u - b.u || a.family - b.family)
    .map(({ family }) => family);
  const quota = Math.max(2, Math.round(roster.length * SHARE_PER_TYPE));
  const used = new Set<number>();

  for (const type of CHANGE_TYPES) {
    let count = 0;
    for (const family of order) {
      if (count >= quota) break;
      if (used.has(family)) continue;
      rng.reset(TAG.detail, family);
      const day = firstDay + rng.int(type === 'member_deceased' ? 10 : 28);
      const change = plantOne(city, type, family, members(family), day, rng);
      if (!change) continue;
      used.add(family);
      planted.add(change);
      count += 1;
    }
  }
  planted.list.sort((a, b) => a.family - b.family);
  city.refreshDeaths();
  return planted;
}

/** One change of `type` in `family`, or undefined when the family has no member it fits. */
function plantOne(
  city: City,
  type: ChangeType,
  family: number,
  list: readonly number[],
  day: number,
  rng: Rng,
): PlantedChange | undefined {
  const { pop } = city;
  const adults = list.filter((person) => pop.ageOf(person) >= 18);
  const county = HOME_COUNTIES[pop.familyCounty[family] ?? 0]?.code ?? '621002';
  const date = isoOfDay(day);
  const base = { type, family, day };
  switch (type) {
    case 'new_vehicle': {
      const person = adults[0];
      if (person === undefined) return undefined;
      const plate = plateOf(vehicleCode(family, PLANTED_SLOT));
      return { ...base, person, datasets: 'vehicle', detail: `号牌号码 ${plate}，初次登记 ${date}` };
    }
    case 'new_property': {
      const person = adults[0];
      if (person === undefined) return undefined;
      const unit = unitNumberOf(county, family, PLANTED_PROPERTY, 1, 1);
      return { ...base, person, datasets: 'real_estate', detail: `不动产单元号 ${unit}，登记 ${date}` };
    }
    case 'new_company': {
      const person = adults.find((candidate) => pop.ageOf(candidate) <= 62);
      if (person === undefined) return undefined;
      const code = creditCodeOf('92', county, entityNumber(person, PLANTED_SLOT));
      return { ...base, person, datasets: 'market_entity', detail: `统一社会信用代码 ${code}，成立 ${date}` };
    }
    case 'income_rise': {
      const person = list.find(
        (candidate) => pop.cls[candidate] === CLS.employee || pop.cls[candidate] === CLS.payroll,
      );
      if (person === undefined) return undefined;
      const datasets = pop.cls[person] === CLS.payroll ? 'payroll,tax_income' : 'tax_income';
      return { ...base, person, datasets, detail: `${monthLabel(city.asOfMonth)} 工资 ×${INCOME_RISE}` };
    }
    case 'member_deceased': {
      if (list.length < 2) return undefined;
      const person = [...list].sort((a, b) => (pop.birth[a] ?? 0) - (pop.birth[b] ?? 0))[0];
      if (person === undefined) return undefined;
      pop.hukouStatus[person] = HUKOU.dead;
      pop.statusDay[person] = day;
      pop.coResiding[person] = 0;
      return { ...base, person, datasets: 'death,hukou', detail: `死亡日期 ${date}，户籍状态 死亡` };
    }
    case 'member_moved_out': {
      const person = list.find(
        (candidate) => pop.relation[candidate] !== REL.head && pop.ageOf(candidate) >= 18,
      );
      if (person === undefined) return undefined;
      pop.hukouStatus[person] = HUKOU.movedOut;
      pop.statusDay[person] = day;
      pop.coResiding[person] = 0;
      return { ...base, person, datasets: 'hukou', detail: `户籍状态 迁出，变更日期 ${date}` };
    }
    case 'new_marriage': {
      const person = list.find((candidate) => {
        const age = pop.ageOf(candidate);
        return age >= 22 && age <= 55 && pop.spouse[candidate] === -1 && !city.divorces.has(candidate);
      });
      if (person === undefined) return undefined;
      const partnerSex = pop.isMale(person) ? 0 : 1;
      const partnerBirth = (pop.birth[person] ?? 0) + rng.between(-1500, 1500);
      const partner = pop.outsider(100_000_000 + person, partnerSex, Math.min(partnerBirth, day - 20 * 365));
      return {
        ...base,
        person,
        datasets: 'marriage',
        detail: `结婚登记 ${date}，对方 ${partner.name}`,
        partner,
      };
    }
    case 'member_on_payroll': {
      const person = list.find((candidate) => {
        const age = pop.ageOf(candidate);
        const cls = pop.cls[candidate];
        return age >= 22 && age <= 54 && (cls === CLS.unemployed || cls === CLS.gig || cls === CLS.farmer);
      });
      if (person === undefined) return undefined;
      const wage = rng.between(4_500, 7_500) * 100;
      return {
        ...base,
        person,
        datasets: 'payroll,tax_income,contribution',
        detail: `${monthLabel(city.asOfMonth)} 起财政供养，应发工资 ${yuan(wage)}`,
        wage,
      };
    }
  }
}

export async function writePlantedChanges(city: City, planted: Planted): Promise<void> {
  const sink = new TextSink(join(city.truthDir, 'planted-changes.csv'));
  sink.line('family_id,person_id,change,datasets,date,detail');
  for (const change of planted.list) {
    sink.line(
      `${change.family + 1},${change.person + 1},${change.type},"${change.datasets}",${isoOfDay(change.day)},${change.detail}`,
    );
  }
  await sink.close();
}
