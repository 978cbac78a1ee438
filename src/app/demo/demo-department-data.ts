import type { HouseholdRequestInput } from '../../domain/assessment/household-request.ts';
import { creditCodeCheckChar } from '../../domain/catalog/cells.ts';
import { findDataset } from '../../domain/catalog/datasets.ts';
import { addMonths, periodOfGranularity } from '../../domain/catalog/period.ts';
import type { Frequency, ParsedPeriod } from '../../domain/catalog/types.ts';
import { computeCheckChar } from '../../domain/identity/id-number.ts';

/**
 * Synthetic department data for the demo city: about 40 families (about 100 people) of 西峰区 621002 and
 * 庆城县 621021 and the batches the departments of CATALOG.md would deliver about them. Pure and deterministic:
 * the people come from a seeded PRNG (never Math.random), the periods from `today`, so a demo started on any
 * day has the last 12 complete months covered with the same monthly amounts — the figures of an assessment
 * do not depend on the day. The loader (load-demo-department-data.ts) feeds every batch through importBatch.
 *
 * A few families are made to show the rules (see DEMO_FAMILY_NOTES): wages in two sources (no double
 * counting), a car, a disability vehicle (not counted), a name written differently by one department
 * (NAME_MISMATCH), a member registered dead, a flat owned 按份共有 50 % by two brothers, a shop, a provident
 * fund withdrawal and a marriage between two demo families.
 */

export type DemoCounty = '621002' | '621021';

export interface DemoPerson {
  idNumber: string;
  name: string;
  sex: '男' | '女';
  birthDate: string;
  /** 与户主关系 as the hukou register writes it. */
  relationToHead: string;
  /** 与申请人关系 as a household request writes it (the head is the applicant). */
  relation: string;
}

export interface DemoFamily {
  /** `XF01` … (西峰区), `QC01` … (庆城县). */
  code: string;
  county: DemoCounty;
  householdNumber: string;
  address: string;
  members: DemoPerson[];
  /** What makes the family interesting, if anything. */
  note: string | null;
}

/** One batch as a department would deliver it: the catalog's headers and the rows in that order. */
export interface DemoBatch {
  dataset: string;
  period: string;
  headers: string[];
  rows: string[][];
}

export interface DemoDepartmentData {
  /** The last 12 complete months before `today`: the default look-back window of an assessment run today. */
  window: { firstMonth: string; lastMonth: string; months: string[] };
  families: DemoFamily[];
  batches: DemoBatch[];
}

const COUNTY_NAMES: Record<DemoCounty, string> = { '621002': '西峰区', '621021': '庆城县' };
const FAMILIES_PER_COUNTY = 20;
const SEED = 0x5eed_621;

/** The family whose request is docs/examples/household.json. */
export const EXAMPLE_FAMILY = 'XF01';

export const DEMO_FAMILY_NOTES: Readonly<Record<string, string>> = {
  XF01: '配偶为财政供养人员，工资同时见于财政工资（payroll）和税务工资薪金（tax_income），按月取较大者、不重复计算；申报的工资性收入明显偏低（docs/examples/household.json）',
  XF02: '户主的养老金记录（人社）姓名写作同音字「王淑贞」，户籍为「王淑珍」：身份证号一致、姓名不一致（NAME_MISMATCH）',
  XF03: '户主名下一辆在用的小型轿车（计入车辆），缴纳城乡居民养老保险',
  XF04: '户主经营个体工商户（市场主体），有经营所得',
  XF05: '户主与其兄（庆城县 QC03）按份共有一套住宅，各 50%',
  XF06: '户主为财政供养人员，有住房公积金提取（计入转移性收入）和职工养老保险缴费（转移性支出）',
  XF07: '女儿与庆城县 QC04 的儿子在回溯期内登记结婚',
  XF08: '一名成员持智力残疾证',
  QC01: '户主之父在回溯期内死亡（户籍状态「死亡」，殡葬火化记录），养老金发放至死亡当月',
  QC02: '户主之妻肢体残疾，名下一辆残疾人专用车（不计入车辆）',
  QC03: '户主与其弟（西峰区 XF05）按份共有一套住宅，各 50%',
  QC04: '儿子与西峰区 XF07 的女儿在回溯期内登记结婚',
  QC06: '户主视力残疾',
};

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: a tiny seeded PRNG, enough for plausible synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));

// ---------------------------------------------------------------- people

const SURNAMES = [
  ...'王李张刘陈杨赵黄周吴马何郭高罗梁宋郑韩唐冯董曹袁许魏苏贾薛杜田任姜范石姚谭金白崔康秦史侯孟段雷',
];
const MALE_GIVEN = [...'建国军明强伟刚平华志勇军斌涛鹏杰亮磊峰海东文武成林'];
const FEMALE_GIVEN = [...'秀兰芳霞丽娟英梅红玲桂琴燕萍静敏婷雪莉慧娜芬珍凤'];

function givenName(random: Random, sex: '男' | '女'): string {
  const chars = sex === '男' ? MALE_GIVEN : FEMALE_GIVEN;
  // Two characters mostly, one now and then, as names of this generation are.
  const first = pick(random, chars);
  const second = pick(random, chars);
  return random() < 0.8 && second !== first ? `${first}${second}` : first;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

interface PersonSpec {
  sex: '男' | '女';
  birthYear: number;
  relationToHead: string;
  relation: string;
  surname: string;
  name?: string;
}

/** Draws the household of family `index`, with the fixed shape some interesting families need. */
function familyShape(code: string, random: Random): PersonSpec[] {
  const forced: Record<string, PersonSpec[]> = {
    XF01: [
      { sex: '男', birthYear: 1973, relationToHead: '户主', relation: '本人', surname: '张', name: '张建军' },
      { sex: '女', birthYear: 1976, relationToHead: '配偶', relation: '配偶', surname: '李', name: '李秀兰' },
      { sex: '男', birthYear: 2007, relationToHead: '子', relation: '子', surname: '张', name: '张浩' },
      { sex: '女', birthYear: 1950, relationToHead: '母亲', relation: '母亲', surname: '刘', name: '刘桂英' },
    ],
    XF02: [
      { sex: '女', birthYear: 1954, relationToHead: '户主', relation: '本人', surname: '王', name: '王淑珍' },
    ],
    XF05: [
      { sex: '男', birthYear: 1978, relationToHead: '户主', relation: '本人', surname: '马', name: '马志刚' },
      { sex: '女', birthYear: 1980, relationToHead: '配偶', relation: '配偶', surname: '杨' },
      { sex: '女', birthYear: 2006, relationToHead: '女', relation: '女', surname: '马' },
    ],
    XF07: [
      { sex: '男', birthYear: 1972, relationToHead: '户主', relation: '本人', surname: '周' },
      { sex: '女', birthYear: 1974, relationToHead: '配偶', relation: '配偶', surname: '何' },
      { sex: '女', birthYear: 2000, relationToHead: '女', relation: '女', surname: '周' },
    ],
    QC01: [
      { sex: '男', birthYear: 1966, relationToHead: '户主', relation: '本人', surname: '韩' },
      { sex: '女', birthYear: 1968, relationToHead: '配偶', relation: '配偶', surname: '冯' },
      { sex: '男', birthYear: 1938, relationToHead: '父亲', relation: '父亲', surname: '韩' },
    ],
    QC02: [
      { sex: '男', birthYear: 1969, relationToHead: '户主', relation: '本人', surname: '贾' },
      { sex: '女', birthYear: 1971, relationToHead: '配偶', relation: '配偶', surname: '苏' },
      { sex: '女', birthYear: 1996, relationToHead: '女', relation: '女', surname: '贾' },
    ],
    QC03: [
      { sex: '男', birthYear: 1975, relationToHead: '户主', relation: '本人', surname: '马', name: '马志强' },
      { sex: '女', birthYear: 1977, relationToHead: '配偶', relation: '配偶', surname: '石' },
    ],
    QC04: [
      { sex: '男', birthYear: 1970, relationToHead: '户主', relation: '本人', surname: '段' },
      { sex: '女', birthYear: 1972, relationToHead: '配偶', relation: '配偶', surname: '雷' },
      { sex: '男', birthYear: 1998, relationToHead: '子', relation: '子', surname: '段' },
    ],
  };
  const fixed = forced[code];
  if (fixed) return fixed;

  const headSex: '男' | '女' = random() < 0.75 ? '男' : '女';
  const headYear = between(random, 1958, 1986);
  const headSurname = pick(random, SURNAMES);
  const specs: PersonSpec[] = [
    { sex: headSex, birthYear: headYear, relationToHead: '户主', relation: '本人', surname: headSurname },
  ];
  const husbandSurname = headSex === '男' ? headSurname : pick(random, SURNAMES);
  if (random() < 0.75) {
    const sex = headSex === '男' ? '女' : '男';
    const surname = headSex === '男' ? pick(random, SURNAMES) : husbandSurname;
    specs.push({
      sex,
      birthYear: headYear + between(random, -3, 3),
      relationToHead: '配偶',
      relation: '配偶',
      surname,
    });
  }
  const r = random();
  const children = r < 0.3 ? 0 : r < 0.85 ? 1 : 2;
  for (let i = 0; i < children; i++) {
    const sex: '男' | '女' = random() < 0.5 ? '男' : '女';
    const relation = sex === '男' ? '子' : '女';
    const birthYear = Math.min(headYear + between(random, 23, 32) + i * 3, 2020);
    specs.push({ sex, birthYear, relationToHead: relation, relation, surname: husbandSurname });
  }
  if (headYear >= 1968 && random() < 0.2) {
    const sex: '男' | '女' = random() < 0.5 ? '男' : '女';
    const relation = sex === '男' ? '父亲' : '母亲';
    const surname = sex === '男' ? headSurname : pick(random, SURNAMES);
    specs.push({
      sex,
      birthYear: headYear - between(random, 24, 30),
      relationToHead: relation,
      relation,
      surname,
    });
  }
  return specs;
}

function buildFamilies(random: Random): DemoFamily[] {
  const families: DemoFamily[] = [];
  let person = 0;
  const used = new Set<string>();
  for (const county of ['621002', '621021'] as const) {
    for (let i = 0; i < FAMILIES_PER_COUNTY; i++) {
      const code = `${county === '621002' ? 'XF' : 'QC'}${pad(i + 1)}`;
      const members = familyShape(code, random).map((spec): DemoPerson => {
        let name = spec.name ?? `${spec.surname}${givenName(random, spec.sex)}`;
        while (used.has(name)) name = `${spec.surname}${givenName(random, spec.sex)}`;
        used.add(name);
        const birthDate = `${spec.birthYear}-${pad(between(random, 1, 12))}-${pad(between(random, 1, 28))}`;
        // Sequence: odd for men, even for women (GB 11643); unique across the demo by the person counter.
        const sequence = pad(10 + person * 2 + (spec.sex === '男' ? 1 : 0), 3);
        person += 1;
        const first17 = `${county}${birthDate.replaceAll('-', '')}${sequence}`;
        return {
          idNumber: `${first17}${computeCheckChar(first17)}`,
          name,
          sex: spec.sex,
          birthDate,
          relationToHead: spec.relationToHead,
          relation: spec.relation,
        };
      });
      families.push({
        code,
        county,
        householdNumber: `${county}${pad(i + 101, 4)}`,
        address: `甘肃省庆阳市${COUNTY_NAMES[county]}${pick(random, ['城关镇', '东街街道', '南川乡'])}演示村${between(random, 1, 9)}组${between(random, 1, 60)}号`,
        members,
        note: DEMO_FAMILY_NOTES[code] ?? null,
      });
    }
  }
  return families;
}

// ---------------------------------------------------------------- periods

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The newest delivery period of this frequency that ended before the month of `today`. */
function latestFullPeriod(frequency: Frequency, today: string): ParsedPeriod {
  const current = periodOfGranularity(frequency, today.slice(0, 7));
  return periodOfGranularity(frequency, addMonths(current.firstMonth, -1));
}

interface PeriodSlice {
  period: string;
  /** The window months inside the period, oldest first. */
  months: string[];
}

/** The delivery periods (of this frequency) that hold the window's months, each with its window months. */
function slices(frequency: Frequency, months: readonly string[]): PeriodSlice[] {
  const result: PeriodSlice[] = [];
  for (const month of months) {
    const period = periodOfGranularity(frequency, month).label;
    const last = result.at(-1);
    if (last?.period === period) last.months.push(month);
    else result.push({ period, months: [month] });
  }
  return result;
}

// ---------------------------------------------------------------- rows

type Row = Record<string, string>;
const yuan = (fen: number): string => `${Math.floor(fen / 100)}.${pad(fen % 100)}`;

function creditCode(region: string, serial: string): string {
  const first17 = `92${region}MA${serial}`;
  const check = creditCodeCheckChar(first17);
  if (check === undefined) throw new RangeError(`demo data: bad credit code body ${first17}`);
  return `${first17}${check}`;
}

class BatchCollector {
  private readonly batches = new Map<string, { dataset: string; period: string; rows: Row[] }>();

  add(dataset: string, period: string, row: Row): void {
    const key = `${dataset}|${period}`;
    const batch = this.batches.get(key) ?? { dataset, period, rows: [] };
    batch.rows.push(row);
    this.batches.set(key, batch);
  }

  /** hukou first (the register the other datasets are matched against), then in catalog order. */
  build(): DemoBatch[] {
    const order = ['hukou', 'payroll', 'benefit', 'contribution', 'tax_income', 'provident_fund', 'deposit'];
    const rank = (dataset: string) => (order.includes(dataset) ? order.indexOf(dataset) : order.length);
    return [...this.batches.values()]
      .sort(
        (a, b) =>
          rank(a.dataset) - rank(b.dataset) ||
          a.dataset.localeCompare(b.dataset) ||
          a.period.localeCompare(b.period),
      )
      .map(({ dataset, period, rows }) => {
        const def = findDataset(dataset);
        if (!def) throw new RangeError(`demo data: unknown dataset ${dataset}`);
        const headers = def.columns.map((column) => column.header);
        for (const row of rows)
          for (const key of Object.keys(row))
            if (!headers.includes(key)) throw new RangeError(`demo data: ${dataset} has no column ${key}`);
        return { dataset, period, headers, rows: rows.map((row) => headers.map((h) => row[h] ?? '')) };
      });
  }
}

const PENSION_FEN = 18_300;

/**
 * The families and every batch, relative to `today` (`YYYY-MM-DD`, Asia/Shanghai): monthly and half-yearly
 * datasets cover exactly the last 12 complete months (in half-year or, for the yearly provident fund, year
 * batches), snapshots are the latest complete quarter or half-year.
 */
export function buildDemoDepartmentData(today: string): DemoDepartmentData {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${today}`);
  const random = prng(SEED);
  const families = buildFamilies(random);
  const currentMonth = today.slice(0, 7);
  const months = Array.from({ length: 12 }, (_, i) => addMonths(currentMonth, i - 12));
  const window = { firstMonth: months[0] as string, lastMonth: months[11] as string, months };
  const halves = slices('half_yearly', months);
  const years = slices('yearly', months);
  const halfOf = (month: string) => periodOfGranularity('half_yearly', month).label;
  const latestQuarter = latestFullPeriod('quarterly', today);
  const quarter = latestQuarter.label;
  const quarterEnd = lastDayOf(latestQuarter.lastMonth);
  const lastHalf = latestFullPeriod('half_yearly', today).label;
  const out = new BatchCollector();
  const family = (code: string) => families.find((f) => f.code === code) as DemoFamily;
  const who = (p: DemoPerson, name = p.name): Row => ({ 身份证号: p.idNumber, 姓名: name });
  const ageAt = (p: DemoPerson, date: string) =>
    Number(date.slice(0, 4)) -
    Number(p.birthDate.slice(0, 4)) -
    (date.slice(5) < p.birthDate.slice(5) ? 1 : 0);

  // Special events, at fixed places of the window.
  const qc01 = family('QC01');
  const deceased = qc01.members[2] as DemoPerson;
  const deathMonth = months[4] as string;
  const deathDate = `${deathMonth}-12`;
  const marriageMonth = months[9] as string;

  // hukou: everyone, the deceased with status 死亡.
  for (const f of families)
    for (const p of f.members) {
      const dead = p === deceased;
      out.add('hukou', quarter, {
        ...who(p),
        性别: p.sex,
        出生日期: p.birthDate,
        户号: f.householdNumber,
        与户主关系: p.relationToHead,
        户籍地址: f.address,
        户籍状态: dead ? '死亡' : '正常',
        状态变更日期: dead ? `${deathMonth}-15` : '',
      });
    }

  // Pensions (城乡居民基础养老金 and the like) for everyone 60 or older; the deceased's stop with his death.
  const xf02Head = family('XF02').members[0] as DemoPerson;
  for (const f of families)
    for (const p of f.members) {
      if (ageAt(p, `${window.firstMonth}-01`) < 60) continue;
      for (const slice of halves)
        for (const month of slice.months) {
          if (p === deceased && month > deathMonth) continue;
          out.add('benefit', slice.period, {
            // XF02: 人社 wrote the head's name with a homophone (珍 → 贞).
            ...who(p, p === xf02Head ? '王淑贞' : p.name),
            待遇类型: '养老金',
            所属月份: month,
            发放金额: yuan(PENSION_FEN),
          });
        }
    }

  // Deposits: every head has a current account, some a fixed deposit; balances as of the quarter's end.
  const banks = [
    '甘肃庆阳农村商业银行股份有限公司',
    '中国农业银行庆阳分行',
    '中国邮政储蓄银行庆阳市分行',
    '甘肃银行庆阳分行',
  ];
  for (const f of families) {
    const head = f.members[0] as DemoPerson;
    const current = f.code === EXAMPLE_FAMILY ? 865_037 : between(random, 30_000, 4_500_000);
    out.add('deposit', quarter, {
      ...who(head),
      金融机构: f.code === EXAMPLE_FAMILY ? (banks[0] as string) : pick(random, banks),
      账号: `6228${pad(between(random, 0, 999_999), 6)}${f.householdNumber}`,
      资产类型: '活期存款',
      余额: yuan(current),
      截至日期: quarterEnd,
    });
    if (f.code !== EXAMPLE_FAMILY && random() < 0.25)
      out.add('deposit', quarter, {
        ...who(head),
        金融机构: pick(random, banks),
        账号: '',
        资产类型: '定期存款',
        余额: yuan(between(random, 10_000, 50_000) * 100),
        截至日期: quarterEnd,
      });
  }

  // Homes: most families own theirs alone; XF05 and QC03's heads own a flat 按份共有, 50 % each.
  for (const [i, f] of families.entries()) {
    if (f.code === 'XF05' || f.code === 'QC03' || (f.code !== EXAMPLE_FAMILY && random() < 0.35)) continue;
    const head = f.members[0] as DemoPerson;
    out.add('real_estate', lastHalf, {
      ...who(head),
      不动产单元号: `${f.county}${pad(between(random, 1, 3), 3)}${pad(i + 1, 3)}GB${pad(between(random, 1, 99_999), 5)}F0001${pad(i + 1, 4)}`,
      坐落: f.address.replace('甘肃省庆阳市', ''),
      用途: '住宅',
      建筑面积:
        f.code === EXAMPLE_FAMILY ? '86.40' : `${between(random, 60, 140)}.${pad(between(random, 0, 99))}`,
      登记日期: `${between(random, 2003, 2019)}-${pad(between(random, 1, 12))}-${pad(between(random, 1, 28))}`,
      权利状态: '现势',
      共有方式: '单独所有',
      权利份额: '',
    });
  }
  for (const code of ['XF05', 'QC03']) {
    out.add('real_estate', lastHalf, {
      ...who(family(code).members[0] as DemoPerson),
      不动产单元号: '621002001003GB00123F00020501',
      坐落: '西峰区演示路18号2单元501室',
      用途: '住宅',
      建筑面积: '92.60',
      登记日期: '2012-09-03',
      权利状态: '现势',
      共有方式: '按份共有',
      权利份额: '50',
    });
  }

  // XF01: the spouse is paid from the budget; 税务 reports a little more (a yearly bonus spread over the months).
  const xf01Spouse = family('XF01').members[1] as DemoPerson;
  const xf06Head = family('XF06').members[0] as DemoPerson;
  const earners = [
    {
      person: xf01Spouse,
      unit: '西峰区城关镇中心幼儿园（合成演示）',
      gross: 360_000,
      net: 324_000,
      taxed: 380_000,
      tax: 0,
    },
    {
      person: xf06Head,
      unit: '西峰区第二中学（合成演示）',
      gross: 620_000,
      net: 498_000,
      taxed: 620_000,
      tax: 3_600,
    },
  ];
  for (const e of earners)
    for (const slice of halves) {
      for (const month of slice.months)
        out.add('payroll', slice.period, {
          ...who(e.person),
          工作单位: e.unit,
          所属月份: month,
          应发工资: yuan(e.gross),
          实发工资: yuan(e.net),
        });
      out.add('tax_income', slice.period, {
        ...who(e.person),
        所得项目: '工资薪金',
        所属期起: slice.months[0] as string,
        所属期止: slice.months.at(-1) as string,
        收入额: yuan(e.taxed * slice.months.length),
        已缴税额: yuan(e.tax * slice.months.length),
      });
    }
  // XF06: 职工养老保险 (8 % of the base) and a housing provident fund with one withdrawal.
  for (const slice of halves)
    for (const month of slice.months)
      out.add('contribution', slice.period, {
        ...who(xf06Head),
        险种: '职工养老保险',
        缴费单位: '西峰区第二中学（合成演示）',
        所属月份: month,
        缴费基数: yuan(620_000),
        个人缴费额: yuan(49_600),
      });
  for (const [e, earner] of earners.entries()) {
    let balance = 2_800_000 + e * 1_500_000;
    for (const slice of years)
      for (const month of slice.months) {
        const monthly = Math.round(earner.gross * 0.12);
        balance += monthly * 2;
        const withdrawal = earner.person === xf06Head && month === months[7] ? 2_000_000 : 0;
        balance -= withdrawal;
        out.add('provident_fund', slice.period, {
          ...who(earner.person),
          账户状态: '正常',
          所属月份: month,
          月缴存额: yuan(monthly),
          账户余额: yuan(balance),
          提取金额: withdrawal > 0 ? yuan(withdrawal) : '',
        });
      }
  }

  // XF03: a car in use, and 城乡居民养老保险 paid once a year by both spouses.
  const xf03 = family('XF03');
  out.add('vehicle', quarter, {
    ...who(xf03.members[0] as DemoPerson),
    号牌号码: '甘M·D3J27',
    车辆类型: '小型轿车',
    使用性质: '非营运',
    初次登记日期: '2019-06-18',
    车辆状态: '正常',
    残疾人专用车: '',
  });
  for (const p of xf03.members.filter((m) => m.relationToHead === '户主' || m.relationToHead === '配偶'))
    out.add('contribution', halfOf(months[3] as string), {
      ...who(p),
      险种: '城乡居民养老保险',
      缴费单位: '',
      所属月份: months[3] as string,
      缴费基数: yuan(50_000),
      个人缴费额: yuan(50_000),
    });

  // XF04: a small shop (个体工商户) with its business income.
  const xf04Head = family('XF04').members[0] as DemoPerson;
  out.add('market_entity', lastHalf, {
    ...who(xf04Head),
    主体名称: '西峰区合成便民超市（合成演示）',
    统一社会信用代码: creditCode('621002', '7DEM001'),
    主体类型: '个体工商户',
    身份: '经营者',
    认缴出资额: yuan(5_000_000),
    出资比例: '100',
    成立日期: '2016-04-12',
    登记状态: '存续',
  });
  for (const slice of halves)
    out.add('tax_income', slice.period, {
      ...who(xf04Head),
      所得项目: '经营所得',
      所属期起: slice.months[0] as string,
      所属期止: slice.months.at(-1) as string,
      收入额: yuan(250_000 * slice.months.length),
      已缴税额: yuan(3_000 * slice.months.length),
    });

  // XF07 × QC04: a marriage between two demo families; each party's record names the other.
  const bride = family('XF07').members[2] as DemoPerson;
  const groom = family('QC04').members[2] as DemoPerson;
  for (const [p, other] of [
    [bride, groom],
    [groom, bride],
  ] as const)
    out.add('marriage', halfOf(marriageMonth), {
      ...who(p),
      登记类型: '结婚',
      登记日期: `${marriageMonth}-18`,
      对方身份证号: other.idNumber,
      对方姓名: other.name,
    });

  // QC01: the head's father died (cremation record).
  out.add('death', halfOf(deathMonth), { ...who(deceased), 死亡日期: deathDate, 来源: '火化' });

  // Disability: QC02's wife (with a disability vehicle), XF08's son, QC06's head.
  const qc02Wife = family('QC02').members[1] as DemoPerson;
  const disabled: [DemoPerson, string, string][] = [
    [qc02Wife, '肢体', '二级'],
    [family('XF08').members.at(-1) as DemoPerson, '智力', '三级'],
    [family('QC06').members[0] as DemoPerson, '视力', '四级'],
  ];
  for (const [i, [p, category, grade]] of disabled.entries())
    out.add('disability', quarter, {
      ...who(p),
      残疾人证号: `${p.idNumber}${['4', '5', '1'][i]}${grade === '二级' ? '2' : grade === '三级' ? '3' : '4'}`,
      残疾类别: category,
      残疾等级: grade,
      发证日期: `201${5 + i}-0${3 + i}-1${i}`,
    });
  out.add('vehicle', quarter, {
    ...who(qc02Wife),
    号牌号码: '甘M·C8K51',
    车辆类型: '小型汽车',
    使用性质: '非营运',
    初次登记日期: '2021-03-09',
    车辆状态: '正常',
    残疾人专用车: '是',
  });

  // Subsidies: 耕地地力保护补贴 to the heads of 庆城县's farming families, 退耕还林补助 to a few of 西峰区.
  const subsidyMonth = months[5] as string;
  for (const f of families) {
    const head = f.members[0] as DemoPerson;
    if (f.county === '621021' && random() < 0.7)
      out.add('subsidy', halfOf(subsidyMonth), {
        ...who(head),
        补贴项目: '耕地地力保护补贴',
        发放部门: '庆城县农业农村局',
        发放日期: `${subsidyMonth}-20`,
        金额: yuan(between(random, 300, 900) * 100),
      });
    else if (f.county === '621002' && f.code !== EXAMPLE_FAMILY && random() < 0.2)
      out.add('subsidy', halfOf(subsidyMonth), {
        ...who(head),
        补贴项目: '退耕还林补助',
        发放部门: '西峰区林业和草原局',
        发放日期: `${subsidyMonth}-20`,
        金额: yuan(between(random, 8, 20) * 10_000),
      });
  }

  return { window, families, batches: out.build() };
}

/**
 * The request of the example family (docs/examples/household.json): everything declared as found except the
 * spouse's wages (1 200 元 a month declared, about 3 800 found in payroll and tax_income).
 */
export function exampleHouseholdRequest(data: DemoDepartmentData): HouseholdRequestInput {
  const f = data.families.find((x) => x.code === EXAMPLE_FAMILY) as DemoFamily;
  const declared: Record<string, Record<string, number>> = {
    配偶: { wages: 1_440_000 },
    母亲: { transferNet: PENSION_FEN * 12 },
  };
  return {
    // The number the demo gives the example family's case when first started in 2026 (serve prints it).
    caseRef: 'HD-621002-2026-000001',
    regionCode: f.county,
    assistanceType: 'subsistence_allowance',
    members: f.members.map((p) => ({
      idNumber: p.idNumber,
      name: p.name,
      relation: p.relation,
      coResiding: true,
      exclusion: null,
      ...(declared[p.relation] ? { declaredIncome: declared[p.relation] } : {}),
    })),
    declaredAssets: {
      depositsFen: 865_037,
      vehicles: { count: 0 },
      realEstate: { count: 1 },
      marketEntities: { count: 0 },
    },
  };
}
