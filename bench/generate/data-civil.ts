import { isoOfDay, monthOfDay } from './calendar.ts';
import type { City } from './city.ts';
import { DatasetOutput } from './emit.ts';
import type { Planted } from './planted.ts';
import { DISABILITY_CATEGORIES, HUKOU, HUKOU_STATUSES, RELATIONS } from './population.ts';
import { Rng, tagOf } from './random.ts';

/** hukou, death, marriage, disability: the civil-status datasets. */

/** Calls `visit` for every person, pumping the outputs every 1 024 people (backpressure). */
export async function eachPerson(
  city: City,
  outputs: readonly DatasetOutput[],
  visit: (person: number) => void,
): Promise<void> {
  const { size } = city.pop;
  for (let person = 0; person < size; person++) {
    visit(person);
    if ((person & 1023) === 1023) for (const output of outputs) await output.pump();
  }
  for (const output of outputs) await output.close();
}

/** The reference register: every person, no noise. */
export async function writeHukou(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'hukou', false);
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  let address = '';
  let household = '';
  await eachPerson(city, [out], (person) => {
    const family = pop.family[person] ?? 0;
    if (person === pop.familyStart[family]) {
      address = pop.address(family);
      household = pop.householdNumber(family);
    }
    const status = pop.hukouStatus[person] ?? HUKOU.normal;
    const changed = status === HUKOU.normal ? '' : isoOfDay(pop.statusDay[person] ?? 0);
    const rest = `${pop.isMale(person) ? '男' : '女'},${pop.birthIso(person)},${household},${RELATIONS[pop.relation[person] ?? 0]},${address},${HUKOU_STATUSES[status]},${changed}`;
    out.emit(person, pop.idOf(person), pop.nameOf(person), period, 0, rest);
  });
}

const DEATH_SOURCES = ['火化', '医疗机构', '公安注销', '其他'] as const;

/** A row per death in the data span; a fifth of deaths are reported by two sources. */
export async function writeDeaths(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'death');
  const { pop } = city;
  const rng = new Rng(city.seed);
  const tag = tagOf('death');
  await eachPerson(city, [out], (person) => {
    if (pop.hukouStatus[person] !== HUKOU.dead) return;
    const day = pop.statusDay[person] ?? 0;
    if (!city.inData(day)) return;
    rng.reset(tag, person);
    const u = rng.float();
    const first = u < 0.5 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
    const period = city.periodicPeriod(out.def, monthOfDay(day));
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    out.emit(person, id, name, period, 0, `${isoOfDay(day)},${DEATH_SOURCES[first]}`);
    if (rng.chance(0.2)) {
      const second = (first + 1 + rng.int(3)) % 4;
      out.emit(person, id, name, period, 1, `${isoOfDay(day)},${DEATH_SOURCES[second]}`);
    }
  });
}

/**
 * Marriages of couples in the city registered in the data span (a row for each spouse), divorces with a
 * partner from elsewhere, and month two's planted marriages.
 */
export async function writeMarriages(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'marriage');
  const { pop } = city;
  const rng = new Rng(city.seed);
  const tag = tagOf('marriage');
  await eachPerson(city, [out], (person) => {
    const spouse = pop.spouse[person] ?? -1;
    if (spouse >= 0) {
      const wife = pop.isMale(person) ? spouse : person;
      rng.reset(tag, Math.min(person, spouse));
      const day = (pop.birth[wife] ?? 0) + Math.round((21 + rng.float() * 9) * 365.2425);
      if (city.inData(day)) {
        const period = city.periodicPeriod(out.def, monthOfDay(day));
        const rest = `结婚,${isoOfDay(day)},${pop.idOf(spouse)},${pop.nameOf(spouse)}`;
        out.emit(person, pop.idOf(person), pop.nameOf(person), period, 0, rest, spouse);
      }
    }
    const divorce = city.divorces.get(person);
    if (divorce) {
      const period = city.periodicPeriod(out.def, monthOfDay(divorce.day));
      const rest = `离婚,${isoOfDay(divorce.day)},${divorce.partner.id},${divorce.partner.name}`;
      out.emit(person, pop.idOf(person), pop.nameOf(person), period, 1, rest);
    }
    const marriage = planted?.of(person, 'new_marriage');
    if (marriage?.partner) {
      const period = city.periodicPeriod(out.def, monthOfDay(marriage.day));
      const rest = `结婚,${isoOfDay(marriage.day)},${marriage.partner.id},${marriage.partner.name}`;
      out.emit(person, pop.idOf(person), pop.nameOf(person), period, 2, rest);
    }
  });
}

const GRADES = ['一级', '二级', '三级', '四级'] as const;
const FIRST_CERTIFICATE_DAY = 13_879; // 2008-01-01, second-generation certificates

/** The register of disabled people alive on the as-of date. */
export async function writeDisability(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'disability');
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  const rng = new Rng(city.seed);
  const tag = tagOf('disability');
  const lastIssueDay = city.firstDataDay + 150;
  await eachPerson(city, [out], (person) => {
    const category = pop.disability[person] ?? 0;
    if (category === 0) return;
    if (pop.hukouStatus[person] === HUKOU.dead && (pop.statusDay[person] ?? 0) <= city.asOfDay) return;
    const earliest = Math.max(FIRST_CERTIFICATE_DAY, (pop.birth[person] ?? 0) + 365);
    if (earliest > lastIssueDay) return;
    rng.reset(tag, person);
    const u = rng.float();
    const grade = u < 0.1 ? 0 : u < 0.3 ? 1 : u < 0.6 ? 2 : 3;
    const issued = earliest + rng.int(lastIssueDay - earliest + 1);
    const id = pop.idOf(person);
    const rest = `${id}${category}${grade + 1},${DISABILITY_CATEGORIES[category]},${GRADES[grade]},${isoOfDay(issued)}`;
    out.emit(person, id, pop.nameOf(person), period, 0, rest);
  });
}
