import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findDataset } from '../../src/domain/catalog/datasets.ts';
import { periodOfGranularity } from '../../src/domain/catalog/period.ts';
import type { DatasetDef } from '../../src/domain/catalog/types.ts';
import {
  firstDayOfMonth,
  halfLabel,
  halfStart,
  isoOfDay,
  lastDayOfMonth,
  monthLabel,
  monthNumber,
  monthOfDay,
  yearOfMonth,
} from './calendar.ts';
import { type FigureWindow, MemberAccumulator, type SourceRecord } from './expected.ts';
import { hasTraditionalForm } from './names.ts';
import { DEFAULT_RATES, harshRates, type NoiseRates } from './noise.ts';
import type { ManifestFile } from './output.ts';
import { HUKOU, type Outsider, type Population } from './population.ts';
import { Rng, tagOf } from './random.ts';

/** People per size; XS is for tests. */
export const SIZES = { XS: 500, S: 20_000, M: 200_000, L: 2_000_000 } as const;
export type SizeName = keyof typeof SIZES;

export function isSizeName(value: string): value is SizeName {
  return Object.hasOwn(SIZES, value);
}

export type Variant = 'base' | 'month2';

export interface GenerateOptions {
  size: SizeName;
  seed: number;
  out: string;
  harsh: boolean;
  /** The base as-of month `YYYY-MM`; month two is the month after it. */
  month: string;
  variant: Variant;
}

export function datasetDef(code: string): DatasetDef {
  const def = findDataset(code);
  if (!def) throw new Error(`unknown dataset ${code}`);
  return def;
}

/** A divorce registered in the data span, with the former partner from elsewhere. */
export interface Divorce {
  partner: Outsider;
  day: number;
}

/** Both accumulators of a tracked member: every true row, and only the rows of main files. */
interface Tracked {
  all: MemberAccumulator;
  main: MemberAccumulator;
}

/**
 * Everything a dataset generator needs: the population, the months, the noise rates, the planted changes
 * and the collector of the recipients' true figures.
 */
export class City {
  readonly rates: NoiseRates;
  readonly baseMonth: number;
  /** As-of month of this output: the base month, or the month after it for month two. */
  readonly asOfMonth: number;
  readonly asOfDay: number;
  readonly asOfIso: string;
  /** First month with periodic data: the start of the half-year holding the base window's first month. */
  readonly firstDataMonth: number;
  readonly firstDataDay: number;
  readonly months: readonly number[];
  /** Months from the first data month to the base month: the same in the base and the month-two output. */
  readonly spanMonths: number;
  readonly window: FigureWindow;
  readonly truthDir: string;
  readonly manifest: ManifestFile[] = [];
  /** Share of people whose name has a traditional form; the traditional noise rate is scaled by it. */
  readonly traditionalShare: number;
  /** Divorces of people without a partner in the city, allocated before anything planted. */
  readonly divorces = new Map<number, Divorce>();
  private readonly tracked = new Map<number, Tracked>();
  /** Last month with periodic rows, per person who dies (rows stop in the month of death). */
  private readonly lastMonth = new Map<number, number>();

  constructor(
    readonly options: GenerateOptions,
    readonly pop: Population,
  ) {
    this.rates = options.harsh ? harshRates(DEFAULT_RATES) : DEFAULT_RATES;
    this.baseMonth = monthNumber(options.month);
    this.asOfMonth = options.variant === 'month2' ? this.baseMonth + 1 : this.baseMonth;
    this.asOfDay = lastDayOfMonth(this.asOfMonth);
    this.asOfIso = isoOfDay(this.asOfDay);
    this.firstDataMonth = firstDataMonthOf(this.baseMonth);
    this.firstDataDay = firstDayOfMonth(this.firstDataMonth);
    const months: number[] = [];
    for (let month = this.firstDataMonth; month <= this.asOfMonth; month++) months.push(month);
    this.months = months;
    this.spanMonths = this.baseMonth - this.firstDataMonth + 1;
    this.window = {
      firstMonth: monthLabel(this.asOfMonth - 11),
      lastMonth: monthLabel(this.asOfMonth),
      asOfDate: this.asOfIso,
    };
    this.truthDir = join(options.out, 'truth');
    mkdirSync(join(this.truthDir, 'rows'), { recursive: true });
    let convertible = 0;
    for (let person = 0; person < pop.size; person++)
      if (hasTraditionalForm(pop.nameOf(person))) convertible++;
    this.traditionalShare = pop.size === 0 ? 1 : Math.max(0.05, convertible / pop.size);
    this.refreshDeaths();
    this.allocateDivorcePartners();
  }

  get seed(): number {
    return this.options.seed;
  }

  /** Recomputes who stops having periodic rows when; called again after month-two deaths are planted. */
  refreshDeaths(): void {
    this.lastMonth.clear();
    for (let person = 0; person < this.pop.size; person++) {
      if (this.pop.hukouStatus[person] === HUKOU.dead) {
        this.lastMonth.set(person, monthOfDay(this.pop.statusDay[person] ?? 0) - 1);
      }
    }
  }

  /** The last month for which this person has periodic rows. */
  lastActiveMonth(person: number): number {
    return this.lastMonth.get(person) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Whether a day lies inside the periodic data (first data day to as-of date). */
  inData(day: number): boolean {
    return day >= this.firstDataDay && day <= this.asOfDay;
  }

  /** Starts tracking the true figures of every member of every recipient family. */
  trackRecipients(): void {
    const { pop } = this;
    for (let family = 0; family < pop.familyCount; family++) {
      if (pop.recipient[family] !== 1) continue;
      const start = pop.familyStart[family] ?? 0;
      for (let k = 0; k < (pop.familySize[family] ?? 0); k++) {
        this.tracked.set(start + k, {
          all: new MemberAccumulator(this.window),
          main: new MemberAccumulator(this.window),
        });
      }
    }
  }

  tracks(person: number): boolean {
    return this.tracked.has(person);
  }

  /** Feeds a true row to the tracked member's figures; `inMain` when the row is in a main (valid) file. */
  record(person: number, record: SourceRecord, inMain: boolean): void {
    const tracked = this.tracked.get(person);
    if (!tracked) return;
    tracked.all.add(record);
    if (inMain) tracked.main.add(record);
  }

  accumulators(person: number): Tracked | undefined {
    return this.tracked.get(person);
  }

  /** Batch period of a periodic dataset's month: half-years, or years for a yearly dataset. */
  periodicPeriod(def: DatasetDef, month: number): string {
    return def.frequency === 'yearly' ? String(yearOfMonth(month)) : halfLabel(month);
  }

  /** Batch period of a snapshot dataset: its delivery period holding the as-of month. */
  snapshotPeriod(def: DatasetDef): string {
    return periodOfGranularity(def.frequency, monthLabel(this.asOfMonth)).label;
  }

  /** Divorces in the data span of people without a partner in the city, with partners from elsewhere. */
  private allocateDivorcePartners(): void {
    const { pop } = this;
    const rng = new Rng(this.seed);
    const tag = tagOf('divorce');
    const spanYears = (this.asOfDayOfBase() - this.firstDataDay + 1) / 365.2425;
    for (let person = 0; person < pop.size; person++) {
      if (pop.spouse[person] !== -1 || pop.isRecipientPerson(person)) continue;
      const age = pop.ageOf(person);
      if (age < 26 || age > 60) continue;
      rng.reset(tag, person);
      if (!rng.chance(0.012 * spanYears)) continue;
      const day = this.firstDataDay + rng.int(this.asOfDayOfBase() - this.firstDataDay + 1);
      const partnerSex = pop.isMale(person) ? 0 : 1;
      const partnerBirth =
        (pop.birth[person] ?? 0) +
        Math.round((partnerSex === 1 ? -2 : 2) * 365.2425) +
        rng.between(-400, 400);
      const partner = pop.outsider(person, partnerSex, Math.min(partnerBirth, day - 18 * 365));
      this.divorces.set(person, { partner, day });
    }
  }

  private asOfDayOfBase(): number {
    return lastDayOfMonth(this.baseMonth);
  }
}

/** Start of the half-year holding the first month of the base month's 12-month window. */
export function firstDataMonthOf(baseMonth: number): number {
  return halfStart(baseMonth - 11);
}
