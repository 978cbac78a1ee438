/**
 * Regenerates src/domain/calendar/official-holidays.json from the data bundled in the `chinese-days`
 * package, adding the State Council notice each year rests on, then checks the result against facts read
 * from the notices themselves. Run with `npx tsx scripts/build-holidays.ts`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type Kind = 'holiday' | 'workday';
type Day = { date: string; kind: Kind; name: string };
type Year = { year: number; source: string; publishedOn: string | null; days: Day[] };

type Notice = {
  /** Document number; null where it could not be confirmed, so that none is invented. */
  number: string | null;
  title: string;
};

type YearMeta = {
  notice: Notice;
  publishedOn: string;
  /** Later notices that changed part of the arrangement, and which days they govern. */
  amendments?: { notice: Notice; covers: string }[];
  /** Festivals the notice merged into one span, named as the notice lists them. */
  combined?: { contains: string; name: string }[];
};

const FIRST_YEAR = 2013;
const LAST_YEAR = 2026;

const annualNotice = (year: number, number: string): Notice => ({
  number,
  title: `国务院办公厅关于${year}年部分节假日安排的通知`,
});

// publishedOn is the date the notice is signed with (落款). gov.cn sometimes posted the text a day or two
// later (the 2019 notice is signed 4 December 2018 and was posted on the 6th); the signing date is the one
// printed on the document itself.
const META: Record<number, YearMeta> = {
  2013: { notice: annualNotice(2013, '国办发明电〔2012〕33号'), publishedOn: '2012-12-08' },
  2014: { notice: annualNotice(2014, '国办发明电〔2013〕28号'), publishedOn: '2013-12-11' },
  2015: {
    notice: annualNotice(2015, '国办发明电〔2014〕28号'),
    publishedOn: '2014-12-16',
    amendments: [
      {
        notice: {
          number: '国发明电〔2015〕1号',
          title: '国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知',
        },
        covers: '9月3日至6日',
      },
    ],
  },
  2016: { notice: annualNotice(2016, '国办发明电〔2015〕18号'), publishedOn: '2015-12-10' },
  2017: {
    notice: annualNotice(2017, '国办发明电〔2016〕17号'),
    publishedOn: '2016-12-01',
    combined: [{ contains: '2017-10-01', name: '中秋节、国庆节' }],
  },
  2018: { notice: annualNotice(2018, '国办发明电〔2017〕12号'), publishedOn: '2017-11-30' },
  2019: {
    notice: annualNotice(2019, '国办发明电〔2018〕15号'),
    publishedOn: '2018-12-04',
    amendments: [
      { notice: { number: null, title: '国务院办公厅关于调整2019年劳动节假期安排的通知' }, covers: '劳动节' },
    ],
  },
  2020: {
    notice: annualNotice(2020, '国办发明电〔2019〕16号'),
    publishedOn: '2019-11-21',
    amendments: [
      { notice: { number: null, title: '国务院办公厅关于延长2020年春节假期的通知' }, covers: '春节' },
    ],
    combined: [{ contains: '2020-10-01', name: '国庆节、中秋节' }],
  },
  2021: { notice: annualNotice(2021, '国办发明电〔2020〕27号'), publishedOn: '2020-11-25' },
  2022: { notice: annualNotice(2022, '国办发明电〔2021〕11号'), publishedOn: '2021-10-25' },
  2023: {
    notice: annualNotice(2023, '国办发明电〔2022〕16号'),
    publishedOn: '2022-12-08',
    combined: [{ contains: '2023-10-01', name: '中秋节、国庆节' }],
  },
  2024: { notice: annualNotice(2024, '国办发明电〔2023〕7号'), publishedOn: '2023-10-25' },
  2025: {
    notice: annualNotice(2025, '国办发明电〔2024〕12号'),
    publishedOn: '2024-11-12',
    combined: [{ contains: '2025-10-01', name: '国庆节、中秋节' }],
  },
  2026: { notice: annualNotice(2026, '国办发明电〔2025〕7号'), publishedOn: '2025-11-04' },
};

// The weekend-day make-up working days each notice lists (上班), keyed by the arrangement year. Typed in
// from the notices rather than taken from the package, so the two sources check each other.
const EXPECTED_WORKDAYS: Record<number, string[]> = {
  2013: [
    '01-05',
    '01-06',
    '02-16',
    '02-17',
    '04-07',
    '04-27',
    '04-28',
    '06-08',
    '06-09',
    '09-22',
    '09-29',
    '10-12',
  ],
  2014: ['01-26', '02-08', '05-04', '09-28', '10-11'],
  2015: ['01-04', '02-15', '02-28', '09-06', '10-10'],
  2016: ['02-06', '02-14', '06-12', '09-18', '10-08', '10-09'],
  2017: ['01-22', '02-04', '04-01', '05-27', '09-30'],
  2018: ['02-11', '02-24', '04-08', '04-28', '09-29', '09-30'],
  2019: ['2018-12-29', '02-02', '02-03', '04-28', '05-05', '09-29', '10-12'],
  // The Spring Festival extension turned the make-up Saturday 1 February into a day off.
  2020: ['01-19', '04-26', '05-09', '06-28', '09-27', '10-10'],
  2021: ['02-07', '02-20', '04-25', '05-08', '09-18', '09-26', '10-09'],
  2022: ['01-29', '01-30', '04-02', '04-24', '05-07', '10-08', '10-09'],
  2023: ['01-28', '01-29', '04-23', '05-06', '06-25', '10-07', '10-08'],
  2024: ['02-04', '02-18', '04-07', '04-28', '05-11', '09-14', '09-29', '10-12'],
  2025: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  2026: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
};

// Weekend days the package leaves out of a span that the notice joins to the weekend (与周末连休, or a
// Monday given as 补休). A weekend-only festival day such as 2015-09-27 is not extended: that notice gives
// the Sunday alone.
const EXPECTED_WEEKEND_EXTENSIONS = [
  '2014-05-31',
  '2014-06-01',
  '2014-09-06',
  '2014-09-07',
  '2015-04-04',
  '2015-05-02',
  '2015-05-03',
  '2015-06-21',
  '2015-09-05',
  '2016-01-02',
  '2016-01-03',
  '2016-04-02',
  '2016-04-03',
  '2016-04-30',
  '2016-12-31',
  '2017-04-29',
  '2017-04-30',
  '2017-12-30',
  '2017-12-31',
  '2018-06-16',
  '2018-06-17',
  '2018-09-22',
  '2018-09-23',
  '2023-12-30',
  '2023-12-31',
  '2024-06-08',
  '2024-06-09',
];

const FESTIVAL_NAMES: Record<string, string> = {
  元旦: '元旦',
  春节: '春节',
  清明: '清明节',
  劳动节: '劳动节',
  端午: '端午节',
  中秋: '中秋节',
  国庆节: '国庆节',
  中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日: '中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日',
};

type PackageData = { holidays: Record<string, string>; workdays: Record<string, string> };

function readPackageData(): PackageData {
  const require = createRequire(import.meta.url);
  const file = require.resolve('chinese-days/dist/chinese-days.json');
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(typeof parsed === 'object' && parsed !== null, 'chinese-days.json is not an object');
  const { holidays, workdays } = parsed as Partial<PackageData>;
  assert.ok(holidays && workdays, 'chinese-days.json lacks holidays/workdays');
  return { holidays, workdays };
}

/** Values look like "National Day,国庆节,3": English name, Chinese name, statutory day count. */
function festivalOf(value: string): string {
  const chinese = value.split(',')[1];
  const name = chinese === undefined ? undefined : FESTIVAL_NAMES[chinese];
  assert.ok(name, `unknown festival in chinese-days data: ${value}`);
  return name;
}

const DAY_MS = 86_400_000;
const toDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isWeekendDay = (day: number): boolean => {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/** Late-December New Year days belong to the following year's notice. */
function noticeYearOf(date: string, festival: string): number {
  const year = Number(date.slice(0, 4));
  return festival === '元旦' && date.slice(5, 7) === '12' ? year + 1 : year;
}

type Entry = { day: number; kind: Kind; name: string; noticeYear: number };

function buildEntries(data: PackageData): { entries: Entry[]; extensions: string[] } {
  const workdaySet = new Set(Object.keys(data.workdays).map(toDay));
  const entries: Entry[] = [];
  const extensions: string[] = [];

  for (let noticeYear = FIRST_YEAR; noticeYear <= LAST_YEAR; noticeYear += 1) {
    const meta = META[noticeYear];
    assert.ok(meta, `no notice metadata for ${noticeYear}`);

    const holidays = Object.entries(data.holidays)
      .map(([date, value]) => ({ date, festival: festivalOf(value) }))
      .filter(({ date, festival }) => noticeYearOf(date, festival) === noticeYear);
    const festivalByDay = new Map(holidays.map(({ date, festival }) => [toDay(date), festival]));

    // Group consecutive days into spans, then join each span to a free weekend next to it when the span
    // has a weekday off, since that is what 与周末连休 and 补休 on a Monday mean.
    const spans: number[][] = [];
    for (const day of [...festivalByDay.keys()].sort((a, b) => a - b)) {
      const last = spans.at(-1);
      if (last && last.at(-1) === day - 1) last.push(day);
      else spans.push([day]);
    }
    const allOff = new Set(festivalByDay.keys());
    for (const span of spans) {
      if (span.every(isWeekendDay)) continue;
      const festival = festivalByDay.get(span[0] ?? Number.NaN);
      assert.ok(festival);
      for (const step of [-1, 1]) {
        let day = (step < 0 ? span[0] : span.at(-1)) ?? Number.NaN;
        for (day += step; isWeekendDay(day) && !workdaySet.has(day) && !allOff.has(day); day += step) {
          festivalByDay.set(day, festival);
          allOff.add(day);
          extensions.push(fromDay(day));
        }
      }
    }

    // Re-group after extension so that gaps closed by it (e.g. 2015 Dragon Boat) form a single span.
    const sorted = [...festivalByDay.keys()].sort((a, b) => a - b);
    const spanNameByFestival = new Map<string, string>();
    let spanStart = 0;
    for (let i = 0; i <= sorted.length; i += 1) {
      const current = sorted[i];
      const previous = sorted[i - 1];
      if (i > 0 && (current === undefined || previous === undefined || current !== previous + 1)) {
        const span = sorted.slice(spanStart, i);
        const festivals = new Set(span.map((day) => festivalByDay.get(day)));
        const combined = meta.combined?.find(({ contains }) => span.includes(toDay(contains)));
        assert.ok(
          festivals.size === 1 || combined,
          `${noticeYear}: span ${fromDay(span[0] ?? 0)} mixes festivals without a combined name`,
        );
        for (const day of span) {
          const festival = festivalByDay.get(day);
          assert.ok(festival);
          const name = combined?.name ?? festival;
          spanNameByFestival.set(festival, name);
          entries.push({ day, kind: 'holiday', name, noticeYear });
        }
        spanStart = i;
      }
    }

    for (const [date, value] of Object.entries(data.workdays)) {
      const festival = festivalOf(value);
      if (noticeYearOf(date, festival) !== noticeYear) continue;
      const spanName = spanNameByFestival.get(festival) ?? festival;
      entries.push({ day: toDay(date), kind: 'workday', name: `${spanName}调休上班`, noticeYear });
    }
  }
  return { entries, extensions: extensions.sort() };
}

const noticeText = ({ title, number }: Notice): string => (number ? `${title}（${number}）` : title);

function monthDayRange(days: number[]): string {
  const format = (day: number): string => {
    const [, month, date] = fromDay(day).split('-');
    return `${Number(month)}月${Number(date)}日`;
  };
  const first = days[0];
  const last = days.at(-1);
  assert.ok(first !== undefined && last !== undefined);
  return first === last ? format(first) : `${format(first)}至${format(last).replace(/^\d+月/, '')}`;
}

function buildYears(entries: Entry[]): Year[] {
  const years: Year[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year += 1) {
    const meta = META[year];
    assert.ok(meta);
    const own = entries.filter((entry) => Number(fromDay(entry.day).slice(0, 4)) === year);
    const parts = [noticeText(meta.notice)];
    for (const amendment of meta.amendments ?? []) {
      parts.push(`${amendment.covers}依据${noticeText(amendment.notice)}`);
    }
    const borrowed = own.filter((entry) => entry.noticeYear !== year);
    for (const noticeYear of [...new Set(borrowed.map((entry) => entry.noticeYear))]) {
      const other = META[noticeYear];
      assert.ok(other);
      const days = borrowed.filter((entry) => entry.noticeYear === noticeYear).map((entry) => entry.day);
      parts.push(`${monthDayRange(days.sort((a, b) => a - b))}依据${noticeText(other.notice)}`);
    }
    years.push({
      year,
      source: parts.join('；'),
      publishedOn: meta.publishedOn,
      days: own
        .sort((a, b) => a.day - b.day)
        .map((entry) => ({ date: fromDay(entry.day), kind: entry.kind, name: entry.name })),
    });
  }
  return years;
}

// One day per line keeps the file reviewable and its diffs readable when an arrangement changes.
function serialize(years: Year[]): string {
  const blocks = years.map((year) => {
    const days = year.days.map((day) => `      ${JSON.stringify(day)}`).join(',\n');
    return [
      '  {',
      `    "year": ${year.year},`,
      `    "source": ${JSON.stringify(year.source)},`,
      `    "publishedOn": ${JSON.stringify(year.publishedOn)},`,
      `    "days": [\n${days}\n    ]`,
      '  }',
    ].join('\n');
  });
  return `[\n${blocks.join(',\n')}\n]\n`;
}

function checkSourceData(entries: Entry[], extensions: string[]): void {
  assert.deepEqual(extensions, EXPECTED_WEEKEND_EXTENSIONS, 'weekend extensions differ from the notices');
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year += 1) {
    const actual = entries
      .filter((entry) => entry.kind === 'workday' && entry.noticeYear === year)
      .map((entry) => fromDay(entry.day))
      .sort();
    const expected = (EXPECTED_WORKDAYS[year] ?? [])
      .map((date) => (date.length === 5 ? `${year}-${date}` : date))
      .sort();
    assert.deepEqual(actual, expected, `${year}: make-up working days differ from the notice`);
    for (const date of actual) assert.ok(isWeekendDay(toDay(date)), `${date} is not a weekend day`);
  }
}

async function checkWrittenFile(): Promise<void> {
  const { WorkdayCalendar, loadOfficialCalendar } = await import('../src/domain/calendar/working-days.ts');
  const years = loadOfficialCalendar();
  assert.deepEqual(
    years.map((year) => year.year),
    Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i),
  );
  const calendar = new WorkdayCalendar(years);
  const off = (from: string, to: string): void => {
    for (let day = toDay(from); day <= toDay(to); day += 1) {
      assert.equal(calendar.isWorkingDay(fromDay(day)), false, `${fromDay(day)} should be a day off`);
    }
  };
  const working = (...dates: string[]): void => {
    for (const date of dates) assert.equal(calendar.isWorkingDay(date), true, `${date} should be worked`);
  };

  // 2025 National Day with Mid-Autumn: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
  off('2025-10-01', '2025-10-08');
  working('2025-09-28', '2025-10-11', '2025-10-09');
  // 2025 Spring Festival, the first with New Year's Eve as a statutory day: 28 January – 4 February.
  off('2025-01-28', '2025-02-04');
  working('2025-01-26', '2025-02-08', '2025-01-27', '2025-02-05');
  assert.equal(years.find((y) => y.year === 2025)?.days.find((d) => d.date === '2025-01-28')?.name, '春节');
  // 2025 Labour Day grew to five days, 1–5 May, with Sunday 27 April worked.
  off('2025-05-01', '2025-05-05');
  working('2025-04-27');
  // 2024 Spring Festival: 10–17 February off, Sundays 4 and 18 February worked.
  off('2024-02-10', '2024-02-17');
  working('2024-02-04', '2024-02-18');
  // 2024 National Day: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
  off('2024-10-01', '2024-10-07');
  working('2024-09-29', '2024-10-12');
  // 2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked.
  off('2026-02-15', '2026-02-23');
  working('2026-02-14', '2026-02-28');
  // 2020 Spring Festival as extended to 2 February.
  off('2020-01-24', '2020-02-02');
  working('2020-02-03');
  // The make-up Saturday of 29 December 2018 comes from the 2019 notice but lives in the 2018 year.
  working('2018-12-29');
}

async function main(): Promise<void> {
  const target = fileURLToPath(new URL('../src/domain/calendar/official-holidays.json', import.meta.url));
  const { entries, extensions } = buildEntries(readPackageData());
  checkSourceData(entries, extensions);
  const years = buildYears(entries);

  const previous = existsSync(target) ? readFileSync(target, 'utf8') : null;
  writeFileSync(target, serialize(years), 'utf8');
  try {
    await checkWrittenFile();
  } catch (error) {
    if (previous === null) rmSync(target);
    else writeFileSync(target, previous, 'utf8');
    throw error;
  }
  const total = years.reduce((sum, year) => sum + year.days.length, 0);
  console.log(`official-holidays.json: ${years.length} years, ${total} days`);
}

await main();
