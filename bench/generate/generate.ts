import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstDayOfMonth, lastDayOfMonth, monthLabel, monthNumber } from './calendar.ts';
import { City, firstDataMonthOf, type GenerateOptions, SIZES } from './city.ts';
import {
  writeDeposits,
  writeMarketEntities,
  writeRealEstate,
  writeTransport,
  writeVehicles,
} from './data-assets.ts';
import { writeDeaths, writeDisability, writeHukou, writeMarriages } from './data-civil.ts';
import {
  writeBenefits,
  writeContributions,
  writePayroll,
  writeProvidentFund,
  writeSubsidies,
  writeTaxIncome,
} from './data-income.ts';
import { FIGURE_COLUMNS, familyFigures, figureCells, type MemberAccumulator } from './expected.ts';
import { TextSink } from './output.ts';
import { type Planted, plantChanges, writePlantedChanges } from './planted.ts';
import { ASSISTANCE_TYPES, buildPopulation, CLASS_NAMES, HUKOU_STATUSES, RELATIONS } from './population.ts';

/**
 * The synthetic city: people and families from the seed, then every core dataset of CATALOG.md, the ground
 * truth and the manifest. Datasets are written one after another, each streamed person by person.
 */

export interface GenerateSummary {
  people: number;
  families: number;
  rows: number;
  seconds: number;
  /** Seconds per step, in order. */
  steps: [string, number][];
}

export const NOID_FORMAT =
  '<dataset>.<period>.noid.csv: rows without an ID; columns 姓名, 出生日期, then the dataset columns after 身份证号 and 姓名';
export const BADID_FORMAT =
  '<dataset>.<period>.badid.csv: rows whose written ID fails validation (substituted or swapped digit); columns 身份证号, 姓名, 出生日期, then the dataset columns after 身份证号 and 姓名';

export async function generateCity(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const steps: [string, number][] = [];
  let mark = started;
  const step = (name: string) => {
    const now = performance.now();
    steps.push([name, (now - mark) / 1000]);
    mark = now;
  };
  mkdirSync(options.out, { recursive: true });
  const baseMonth = monthNumber(options.month);
  const firstDataMonth = firstDataMonthOf(baseMonth);
  const pop = buildPopulation({
    seed: options.seed,
    people: SIZES[options.size],
    referenceDay: lastDayOfMonth(baseMonth),
    dataFirstDay: firstDayOfMonth(firstDataMonth),
  });
  const city = new City(options, pop);
  const planted = options.variant === 'month2' ? plantChanges(city) : null;
  city.trackRecipients();
  step('population');

  await writeHukou(city);
  step('hukou');
  await writeMarriages(city, planted);
  step('marriage');
  await writeDeaths(city);
  step('death');
  await writeDisability(city);
  step('disability');
  await writePayroll(city, planted);
  step('payroll');
  await writeBenefits(city);
  step('benefit');
  await writeContributions(city, planted);
  step('contribution');
  await writeTaxIncome(city, planted);
  step('tax_income');
  await writeProvidentFund(city);
  step('provident_fund');
  await writeSubsidies(city);
  step('subsidy');
  await writeDeposits(city);
  step('deposit');
  await writeRealEstate(city, planted);
  step('real_estate');
  await writeVehicles(city, planted);
  step('vehicle');
  await writeMarketEntities(city, planted);
  step('market_entity');
  await writeTransport(city);
  step('transport');

  await writePeople(city);
  await writeFamilies(city);
  await writeExpected(city, 'all', 'expected-figures.csv');
  await writeExpected(city, 'main', 'expected-figures-main.csv');
  if (planted) await writePlantedChanges(city, planted);
  writeManifest(city, planted);
  step('truth');

  const rows = city.manifest.reduce((sum, file) => sum + file.rows, 0);
  return {
    people: pop.size,
    families: pop.familyCount,
    rows,
    seconds: (performance.now() - started) / 1000,
    steps,
  };
}

async function writePeople(city: City): Promise<void> {
  const { pop } = city;
  const sink = new TextSink(join(city.truthDir, 'people.csv'));
  sink.line('person_id,id_number,name,birth_date,sex,family_id,relation,co_residing,hukou_status,occupation');
  for (let person = 0; person < pop.size; person++) {
    sink.line(
      `${person + 1},${pop.idOf(person)},${pop.nameOf(person)},${pop.birthIso(person)},${pop.isMale(person) ? '男' : '女'},${(pop.family[person] ?? 0) + 1},${RELATIONS[pop.relation[person] ?? 0]},${pop.coResiding[person]},${HUKOU_STATUSES[pop.hukouStatus[person] ?? 0]},${CLASS_NAMES[pop.cls[person] ?? 0]}`,
    );
    if ((person & 4095) === 4095) await sink.pump();
  }
  await sink.close();
}

async function writeFamilies(city: City): Promise<void> {
  const { pop } = city;
  const sink = new TextSink(join(city.truthDir, 'families.csv'));
  sink.line('family_id,household_number,members,co_residing_members,recipient,assistance_type');
  for (let family = 0; family < pop.familyCount; family++) {
    const start = pop.familyStart[family] ?? 0;
    const size = pop.familySize[family] ?? 0;
    let coResiding = 0;
    for (let k = 0; k < size; k++) coResiding += pop.coResiding[start + k] ?? 0;
    sink.line(
      `${family + 1},${pop.householdNumber(family)},${size},${coResiding},${pop.recipient[family]},${ASSISTANCE_TYPES[pop.assistance[family] ?? 0]}`,
    );
    if ((family & 4095) === 4095) await sink.pump();
  }
  await sink.close();
}

/** Per recipient family, the figures over its co-residing members (`all` rows, or only main-file rows). */
async function writeExpected(city: City, which: 'all' | 'main', file: string): Promise<void> {
  const { pop } = city;
  const sink = new TextSink(join(city.truthDir, file));
  sink.line(`family_id,${FIGURE_COLUMNS.join(',')}`);
  for (let family = 0; family < pop.familyCount; family++) {
    if (pop.recipient[family] !== 1) continue;
    const start = pop.familyStart[family] ?? 0;
    const members: MemberAccumulator[] = [];
    for (let k = 0; k < (pop.familySize[family] ?? 0); k++) {
      const person = start + k;
      if (pop.coResiding[person] !== 1) continue;
      const tracked = city.accumulators(person);
      if (tracked) members.push(tracked[which]);
    }
    const figures = familyFigures(city.window, members);
    sink.line(`${family + 1},${figureCells(city.window, figures).join(',')}`);
    await sink.pump();
  }
  await sink.close();
}

function writeManifest(city: City, planted: Planted | null): void {
  const files = [...city.manifest].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const manifest = {
    generator: 'hedui bench/generate',
    seed: city.options.seed,
    size: city.options.size,
    people: city.pop.size,
    families: city.pop.familyCount,
    harsh: city.options.harsh,
    variant: city.options.variant,
    baseMonth: monthLabel(city.baseMonth),
    asOfMonth: monthLabel(city.asOfMonth),
    asOfDate: city.asOfIso,
    dataMonths: { first: monthLabel(city.firstDataMonth), last: monthLabel(city.asOfMonth) },
    window: city.window,
    noise: city.rates,
    plantedChanges: planted ? planted.list.length : 0,
    formats: { noid: NOID_FORMAT, badid: BADID_FORMAT },
    files,
  };
  writeFileSync(join(city.options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
