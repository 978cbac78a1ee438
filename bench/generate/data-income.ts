import { firstDayOfMonth, isoOfDay, monthLabel, monthOfDay, quarterStart, yearOfMonth } from './calendar.ts';
import type { City } from './city.ts';
import { eachPerson } from './data-civil.ts';
import { DatasetOutput } from './emit.ts';
import type { TaxItem } from './expected.ts';
import { yuan } from './output.ts';
import { HOME_COUNTIES } from './places.ts';
import { INCOME_RISE, type Planted } from './planted.ts';
import { CLS, type Population, REL } from './population.ts';
import { hash4, Rng, tagOf, unitOf } from './random.ts';

/** payroll, tax_income, contribution, provident_fund, benefit, subsidy: the income datasets. */

const TAG = {
  employment: tagOf('employment'),
  payroll: tagOf('payroll'),
  tax: tagOf('tax'),
  contribution: tagOf('contribution'),
  fund: tagOf('provident_fund'),
  benefit: tagOf('benefit'),
  subsidy: tagOf('subsidy'),
  employer: tagOf('employer'),
};

const PUBLIC_EMPLOYERS = [
  '第一中学',
  '第二中学',
  '实验小学',
  '第三小学',
  '人民医院',
  '中医医院',
  '妇幼保健院',
  '财政局',
  '教育局',
  '农业农村局',
  '卫生健康局',
  '市场监督管理局',
  '公安局',
  '人民法院',
  '自然资源局',
  '人力资源和社会保障局',
] as const;
const COMPANY_WORDS = [
  '长庆',
  '陇东',
  '董志塬',
  '周祖',
  '岐黄',
  '子午岭',
  '马莲河',
  '北地',
  '庆华',
  '恒泰',
  '兴盛',
  '瑞丰',
];
const INDUSTRIES = [
  '商贸',
  '建筑工程',
  '石油技术服务',
  '农业科技',
  '物流',
  '餐饮管理',
  '机械制造',
  '房地产开发',
  '物业服务',
];

function countyName(pop: Population, person: number): string {
  return HOME_COUNTIES[pop.familyCounty[pop.family[person] ?? 0] ?? 0]?.name ?? '西峰区';
}

/** Where a person works: a public body of the county for 财政供养 staff, a company otherwise. */
export function employerOf(city: City, person: number): string {
  const h = hash4(city.seed, TAG.employer, person);
  const cls = city.pop.cls[person];
  if (cls === CLS.payroll || cls === CLS.retiredPublic) {
    return `${countyName(city.pop, person)}${PUBLIC_EMPLOYERS[h % PUBLIC_EMPLOYERS.length]}`;
  }
  const word = COMPANY_WORDS[(h >>> 8) % COMPANY_WORDS.length];
  const industry = INDUSTRIES[(h >>> 16) % INDUSTRIES.length];
  return `庆阳${word}${industry}有限公司`;
}

/** Whether a wage earner has a job in a month: 财政供养 staff always, employees with 3 % gaps. */
export function employedInMonth(city: City, person: number, month: number, planted: Planted | null): boolean {
  if (month > city.lastActiveMonth(person)) return false;
  const cls = city.pop.cls[person];
  if (cls === CLS.payroll) return true;
  if (cls !== CLS.employee) return false;
  if (planted?.of(person, 'income_rise') && month >= planted.month) return true;
  return unitOf(city.seed, TAG.employment, person, month) >= 0.03;
}

function round10(fen: number): number {
  return Math.round(fen / 10) * 10;
}

function riseFactor(person: number, month: number, planted: Planted | null): number {
  return planted?.of(person, 'income_rise') && month >= planted.month ? INCOME_RISE : 1;
}

/** 财政供养 staff: 应发工资 of a month (fen), with a year-end performance payment in December. */
export function payrollGross(city: City, person: number, month: number, planted: Planted | null): number {
  const onPayroll = planted?.of(person, 'member_on_payroll');
  if (planted && onPayroll?.wage !== undefined) return month >= planted.month ? onPayroll.wage : 0;
  const base = city.pop.wage[person] ?? 0;
  const u = unitOf(city.seed, TAG.payroll, person, month);
  const december = month % 12 === 11 ? 1.8 : 1;
  return round10(base * (0.98 + 0.05 * u) * december * riseFactor(person, month, planted));
}

/** 工资薪金 a wage earner's employer declares for a month (fen). */
export function salaryIncome(city: City, person: number, month: number, planted: Planted | null): number {
  const u = unitOf(city.seed, TAG.tax, person, month);
  if (city.pop.cls[person] === CLS.payroll || planted?.of(person, 'member_on_payroll')) {
    return round10(payrollGross(city, person, month, planted) * (0.96 + 0.1 * u));
  }
  return round10((city.pop.wage[person] ?? 0) * (0.9 + 0.25 * u) * riseFactor(person, month, planted));
}

/** Simplified monthly withholding on wages (fen): 10.5 % insurance and 5 000 yuan allowance first. */
export function wageTax(income: number): number {
  const taxable = income - 500_000 - Math.round(income * 0.105);
  if (taxable <= 0) return 0;
  if (taxable <= 300_000) return Math.round(taxable * 0.03);
  if (taxable <= 1_200_000) return Math.round(taxable * 0.1) - 21_000;
  if (taxable <= 2_500_000) return Math.round(taxable * 0.2) - 141_000;
  return Math.round(taxable * 0.25) - 266_000;
}

export async function writePayroll(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'payroll');
  const { pop } = city;
  const rng = new Rng(city.seed);
  await eachPerson(city, [out], (person) => {
    const newcomer = planted?.of(person, 'member_on_payroll');
    if (pop.cls[person] !== CLS.payroll && !newcomer) return;
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const employer = newcomer ? `${countyName(pop, person)}${PUBLIC_EMPLOYERS[0]}` : employerOf(city, person);
    const last = Math.min(city.asOfMonth, city.lastActiveMonth(person));
    for (const month of city.months) {
      if (month > last) break;
      if (newcomer && month < (planted?.month ?? 0)) continue;
      const gross = payrollGross(city, person, month, planted);
      rng.reset(TAG.payroll, person, month + 1);
      const net = Math.round(gross * (0.76 + 0.05 * rng.float()));
      const label = monthLabel(month);
      const inMain = out.emit(
        person,
        id,
        name,
        city.periodicPeriod(out.def, month),
        month,
        `${employer},${label},${yuan(gross)},${yuan(net)}`,
      );
      if (city.tracks(person))
        city.record(person, { kind: 'payroll', month: label, grossPay: gross }, inMain);
    }
  });
}

/** A tax row: one or several months of one item. */
interface TaxRow {
  item: TaxItem;
  from: number;
  to: number;
  income: number;
  tax: number;
  key: number;
}

const ITEM_KEYS: Readonly<Record<TaxItem, number>> = {
  工资薪金: 0,
  劳务报酬: 1,
  稿酬: 2,
  特许权使用费: 3,
  经营所得: 4,
  利息股息红利: 5,
  财产租赁: 6,
  财产转让: 7,
  偶然所得: 8,
};

function taxRowKey(item: TaxItem, month: number, extra = 0): number {
  return (month * 16 + ITEM_KEYS[item]) * 4 + extra;
}

/** The month of a person's once-a-year event in a year (e.g. a dividend), from the seed. */
function yearlyMonth(city: City, tag: number, person: number, year: number, salt = 0): number {
  return year * 12 + (hash4(city.seed, tag, person, year * 8 + salt) % 12);
}

/** Every tax row of a person over the data months, in month order per item. */
function taxRows(city: City, person: number, planted: Planted | null, rng: Rng): TaxRow[] {
  const { pop } = city;
  const rows: TaxRow[] = [];
  const cls = pop.cls[person] ?? CLS.child;
  const age = pop.ageOf(person);
  const last = Math.min(city.asOfMonth, city.lastActiveMonth(person));
  const first = city.months[0] ?? last;
  const wealth = pop.wealth[pop.family[person] ?? 0] ?? 0;
  const newcomer = planted?.of(person, 'member_on_payroll');
  // 劳务报酬, 稿酬 and royalties only in months without payroll (see expected.ts on wages).
  const payrollFrom =
    cls === CLS.payroll ? first : newcomer && planted ? planted.month : Number.MAX_SAFE_INTEGER;

  // Wages, every month with a job; a year-end bonus for three in ten.
  if (cls === CLS.payroll || cls === CLS.employee || newcomer) {
    rng.reset(TAG.tax, person, 1);
    const bonus = cls === CLS.employee && rng.chance(0.5);
    const bonusFactor = 1 + rng.float() * 2;
    for (let month = first; month <= last; month++) {
      const working = newcomer
        ? month >= (planted?.month ?? 0)
        : employedInMonth(city, person, month, planted);
      if (!working) continue;
      const income = salaryIncome(city, person, month, planted);
      rows.push({
        item: '工资薪金',
        from: month,
        to: month,
        income,
        tax: wageTax(income),
        key: taxRowKey('工资薪金', month),
      });
      if (bonus && month % 12 === 0) {
        const extra = round10((pop.wage[person] ?? 0) * bonusFactor);
        const tax = Math.round(extra * 0.03);
        rows.push({
          item: '工资薪金',
          from: month,
          to: month,
          income: extra,
          tax,
          key: taxRowKey('工资薪金', month, 1),
        });
      }
    }
  }
  if (age < 18) return rows;

  // Service fees: gig workers most months, a few employees on the side (never 财政供养 staff).
  rng.reset(TAG.tax, person, 2);
  const sideJob = cls === CLS.employee && rng.chance(0.15);
  if (cls === CLS.gig || sideJob) {
    for (let month = first; month <= Math.min(last, payrollFrom - 1); month++) {
      rng.reset(TAG.tax, person, month * 8 + 3);
      if (!rng.chance(cls === CLS.gig ? 0.85 : 0.35)) continue;
      const income =
        cls === CLS.gig
          ? round10((pop.wage[person] ?? 0) * (0.5 + rng.float()))
          : rng.between(800, 4_000) * 100;
      const tax =
        income <= 400_000 ? Math.max(0, Math.round((income - 80_000) * 0.2)) : Math.round(income * 0.16);
      rows.push({ item: '劳务报酬', from: month, to: month, income, tax, key: taxRowKey('劳务报酬', month) });
    }
  }

  // Business income by quarter, declared once the quarter is over.
  rng.reset(TAG.tax, person, 4);
  if (cls === CLS.selfEmployed && rng.chance(0.85)) {
    for (let start = quarterStart(first); start + 2 <= last; start += 3) {
      if (start < first) continue;
      rng.reset(TAG.tax, person, start * 8 + 5);
      const monthly = Math.round((pop.wage[person] ?? 0) * (0.6 + 0.8 * rng.float()));
      const income = monthly * 3;
      const tax = Math.round(monthly * 0.015) * 3;
      rows.push({
        item: '经营所得',
        from: start,
        to: start + 2,
        income,
        tax,
        key: taxRowKey('经营所得', start),
      });
    }
  }

  // Rent by quarter, for some heads of better-off families.
  rng.reset(TAG.tax, person, 6);
  if (pop.relation[person] === REL.head && wealth > 0.6 && rng.chance(0.12)) {
    const rent = rng.between(600, 3_000) * 100;
    for (let start = quarterStart(first); start + 2 <= last; start += 3) {
      if (start < first) continue;
      const tax = Math.round(rent * 0.05) * 3;
      rows.push({
        item: '财产租赁',
        from: start,
        to: start + 2,
        income: rent * 3,
        tax,
        key: taxRowKey('财产租赁', start),
      });
    }
  }

  // Once-a-year items.
  const yearly = (item: TaxItem, chance: number, amount: () => number, taxRate: number, salt: number) => {
    rng.reset(TAG.tax, person, 100 + salt);
    if (!rng.chance(chance)) return;
    const notPayroll = item === '稿酬';
    for (let year = yearOfMonth(first); year <= yearOfMonth(last); year++) {
      const month = yearlyMonth(city, TAG.tax, person, year, salt);
      if (month < first || month > last || (notPayroll && month >= payrollFrom)) continue;
      rng.reset(TAG.tax, person, month * 64 + salt);
      const income = amount();
      rows.push({
        item,
        from: month,
        to: month,
        income,
        tax: Math.round(income * taxRate),
        key: taxRowKey(item, month),
      });
    }
  };
  yearly('利息股息红利', 0.05 + 0.2 * wealth, () => Math.round(rng.logNormal(3_000, 1)) * 100, 0.2, 1);
  yearly('利息股息红利', 0.05 + 0.2 * wealth, () => Math.round(rng.logNormal(2_000, 1)) * 100, 0.2, 5);
  yearly('稿酬', 0.003, () => rng.between(1_000, 20_000) * 100, 0.112, 2);
  yearly('财产转让', 0.002, () => rng.between(50_000, 800_000) * 100, 0.01, 3);
  yearly('偶然所得', 0.004, () => rng.between(100, 20_000) * 100, 0.2, 4);

  // Royalties by half-year, for very few.
  rng.reset(TAG.tax, person, 7);
  if (rng.chance(0.0005)) {
    const monthly = rng.between(1_000, 10_000) * 100;
    for (let start = first - (first % 6); start + 5 <= last; start += 6) {
      if (start < first || start + 5 >= payrollFrom) continue;
      rows.push({
        item: '特许权使用费',
        from: start,
        to: start + 5,
        income: monthly * 6,
        tax: Math.round(monthly * 0.16) * 6,
        key: taxRowKey('特许权使用费', start),
      });
    }
  }
  return rows;
}

export async function writeTaxIncome(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'tax_income');
  const { pop } = city;
  const rng = new Rng(city.seed);
  await eachPerson(city, [out], (person) => {
    const rows = taxRows(city, person, planted, rng);
    if (rows.length === 0) return;
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const tracked = city.tracks(person);
    for (const row of rows) {
      const from = monthLabel(row.from);
      const to = monthLabel(row.to);
      const rest = `${row.item},${from},${to},${yuan(row.income)},${yuan(row.tax)}`;
      const inMain = out.emit(person, id, name, city.periodicPeriod(out.def, row.from), row.key, rest);
      if (tracked) {
        city.record(
          person,
          {
            kind: 'tax_income',
            item: row.item,
            periodStart: from,
            periodEnd: to,
            income: row.income,
            taxPaid: row.tax,
          },
          inMain,
        );
      }
    }
  });
}

const RESIDENT_TIERS = [20_000, 30_000, 50_000, 70_000, 100_000, 200_000];
const POOR_TIERS = [10_000, 20_000];
const BASE_FLOOR = 420_000;
const BASE_CEILING = 2_100_000;

/** Social insurance: employees monthly, flexible workers monthly, rural residents once a year. */
export async function writeContributions(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'contribution');
  const { pop } = city;
  const rng = new Rng(city.seed);
  await eachPerson(city, [out], (person) => {
    const cls = pop.cls[person] ?? CLS.child;
    const age = pop.ageOf(person);
    const newcomer = planted?.of(person, 'member_on_payroll');
    const poor = pop.isRecipientPerson(person) && (pop.wealth[pop.family[person] ?? 0] ?? 0) < 0.25;
    rng.reset(TAG.contribution, person);
    const insured = cls === CLS.payroll || (cls === CLS.employee && rng.chance(poor ? 0.7 : 0.85));
    const unemploymentInsurance = rng.chance(0.5);
    const medicalInsurance = rng.chance(0.38);
    const flexible = (cls === CLS.gig || cls === CLS.selfEmployed) && rng.chance(0.3);
    const resident =
      !insured &&
      !flexible &&
      age >= 18 &&
      age < 60 &&
      cls !== CLS.student &&
      cls !== CLS.payroll &&
      rng.chance(0.75);
    const tier = rng.pick(poor ? POOR_TIERS : RESIDENT_TIERS);
    const payMonth = 2 + rng.int(9);
    if (!insured && !flexible && !resident && !newcomer) return;

    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const tracked = city.tracks(person);
    const last = Math.min(city.asOfMonth, city.lastActiveMonth(person));
    const employer = insured || newcomer ? employerOf(city, person) : '';
    const base = Math.min(BASE_CEILING, Math.max(BASE_FLOOR, newcomer?.wage ?? pop.wage[person] ?? 0));
    const emit = (
      month: number,
      type: string,
      key: number,
      employerName: string,
      baseFen: number,
      personal: number,
    ) => {
      const label = monthLabel(month);
      const rest = `${type},${employerName},${label},${yuan(baseFen)},${yuan(personal)}`;
      const inMain = out.emit(person, id, name, city.periodicPeriod(out.def, month), month * 8 + key, rest);
      if (tracked)
        city.record(person, { kind: 'contribution', month: label, personalContribution: personal }, inMain);
    };
    for (const month of city.months) {
      if (month > last) break;
      const working = newcomer
        ? month >= (planted?.month ?? 0)
        : insured && employedInMonth(city, person, month, planted);
      if (working) {
        emit(month, '职工养老保险', 0, employer, base, Math.round(base * 0.08));
        if (unemploymentInsurance && !newcomer)
          emit(month, '失业保险', 1, employer, base, Math.round(base * 0.005));
        if (medicalInsurance && !newcomer)
          emit(month, '医疗保险', 2, employer, base, Math.round(base * 0.02));
      } else if (flexible) {
        emit(month, '职工养老保险', 3, '', BASE_FLOOR, Math.round(BASE_FLOOR * 0.2));
      } else if (resident && month % 12 === payMonth) {
        emit(month, '城乡居民养老保险', 4, '', tier, tier);
      }
    }
  });
}

/** Housing fund accounts: active ones grow every month; sealed ones stand still until they are closed. */
export async function writeProvidentFund(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'provident_fund');
  const { pop } = city;
  const rng = new Rng(city.seed);
  await eachPerson(city, [out], (person) => {
    const cls = pop.cls[person] ?? CLS.child;
    const age = pop.ageOf(person);
    const poor = pop.isRecipientPerson(person) && (pop.wealth[pop.family[person] ?? 0] ?? 0) < 0.25;
    rng.reset(TAG.fund, person);
    const active = cls === CLS.payroll || (cls === CLS.employee && rng.chance(poor ? 0.1 : 0.55));
    const sealed =
      !active &&
      age >= 25 &&
      age <= 70 &&
      cls !== CLS.student &&
      cls !== CLS.payroll &&
      cls !== CLS.employee &&
      rng.chance(poor ? 0.05 : 0.2);
    if (!active && !sealed) return;
    const base = Math.min(2_800_000, Math.max(182_000, pop.wage[person] ?? 0));
    const deposit = active ? Math.round(base * 0.1) * 2 : 0;
    let balance = active ? deposit * rng.between(6, 150) : rng.between(2_000, 80_000) * 100;
    const repaying = active && rng.chance(0.1);
    const repayment = rng.between(1_000, 2_500) * 100;
    const oneOffMonth = active && rng.chance(0.04) ? rng.int(city.spanMonths + 12) : -1;
    const closeMonth = sealed && rng.chance(0.05) ? rng.int(city.spanMonths + 12) : -1;
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const tracked = city.tracks(person);
    const last = Math.min(city.asOfMonth, city.lastActiveMonth(person));
    for (const [index, month] of city.months.entries()) {
      if (month > last) break;
      let withdrawal = 0;
      let status = active ? '正常' : '封存';
      balance += deposit;
      if (repaying) withdrawal = Math.min(balance, repayment);
      if (index === oneOffMonth) withdrawal = Math.round(balance * 0.8);
      if (index === closeMonth) {
        withdrawal = balance;
        status = '销户';
      }
      balance -= withdrawal;
      const label = monthLabel(month);
      const rest = `${status},${label},${yuan(deposit)},${yuan(balance)},${withdrawal > 0 ? yuan(withdrawal) : ''}`;
      const inMain = out.emit(person, id, name, city.periodicPeriod(out.def, month), month, rest);
      if (tracked && withdrawal > 0) {
        city.record(person, { kind: 'provident_fund', month: label, withdrawal }, inMain);
      }
      if (status === '销户') break;
    }
  });
}

/** Pensions every month; unemployment benefit for a spell; survivors', injury and other benefits for a few. */
export async function writeBenefits(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'benefit');
  const { pop } = city;
  const rng = new Rng(city.seed);
  await eachPerson(city, [out], (person) => {
    const cls = pop.cls[person] ?? CLS.child;
    const age = pop.ageOf(person);
    rng.reset(TAG.benefit, person);
    const pension = cls === CLS.retiredEnterprise || cls === CLS.retiredPublic || cls === CLS.elderlyRural;
    const unemployed = cls === CLS.unemployed && rng.chance(0.25);
    const spellStart = city.firstDataMonth + rng.int(city.spanMonths);
    const spellLength = rng.between(3, 12);
    const survivor = !pop.isMale(person) && age >= 60 && pop.spouse[person] === -1 && rng.chance(0.03);
    const survivorAmount = rng.between(600, 1_200) * 100;
    const injury = age >= 18 && age < 60 && rng.chance(0.003);
    const injuryAmount = rng.between(1_500, 4_000) * 100;
    const other = age >= 18 && rng.chance(0.003);
    if (!pension && !unemployed && !survivor && !injury && !other) return;
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const tracked = city.tracks(person);
    const last = Math.min(city.asOfMonth, city.lastActiveMonth(person));
    const base = pop.wage[person] ?? 0;
    const emit = (month: number, type: string, amount: number, key: number) => {
      const label = monthLabel(month);
      const inMain = out.emit(
        person,
        id,
        name,
        city.periodicPeriod(out.def, month),
        month * 8 + key,
        `${type},${label},${yuan(amount)}`,
      );
      if (tracked) city.record(person, { kind: 'benefit', month: label, amount }, inMain);
    };
    for (const month of city.months) {
      if (month > last) break;
      if (pension) emit(month, '养老金', round10(base * (1 + 0.02 * (yearOfMonth(month) - 2024))), 0);
      if (unemployed && month >= spellStart && month < spellStart + spellLength)
        emit(month, '失业保险金', base, 1);
      if (survivor) emit(month, '遗属补助金', survivorAmount, 2);
      if (injury) emit(month, '工伤保险待遇', injuryAmount, 3);
      if (other && unitOf(city.seed, TAG.benefit, person, month) < 0.25) emit(month, '其他', 50_000, 4);
    }
  });
}

interface SubsidyItem {
  item: string;
  department: string;
  month: number;
  share: number;
  low: number;
  high: number;
  /** Only in these counties (grassland); empty = everywhere. */
  counties: readonly string[];
}

const SUBSIDY_ITEMS: readonly SubsidyItem[] = [
  {
    item: '耕地地力保护补贴',
    department: '农业农村局',
    month: 4,
    share: 1,
    low: 500,
    high: 4_200,
    counties: [],
  },
  {
    item: '种粮农民一次性补贴',
    department: '农业农村局',
    month: 8,
    share: 0.5,
    low: 100,
    high: 600,
    counties: [],
  },
  {
    item: '退耕还林还草补助',
    department: '林业和草原局',
    month: 11,
    share: 0.2,
    low: 500,
    high: 3_000,
    counties: [],
  },
  {
    item: '草原生态保护补助奖励',
    department: '林业和草原局',
    month: 7,
    share: 0.15,
    low: 300,
    high: 2_000,
    counties: ['621022', '621023'],
  },
  {
    item: '森林生态效益补偿',
    department: '林业和草原局',
    month: 10,
    share: 0.05,
    low: 50,
    high: 400,
    counties: [],
  },
  {
    item: '农机购置补贴',
    department: '农业农村局',
    month: -1,
    share: 0.01,
    low: 3_000,
    high: 30_000,
    counties: [],
  },
  {
    item: '自然灾害生活救助',
    department: '应急管理局',
    month: -1,
    share: 0.01,
    low: 500,
    high: 3_000,
    counties: [],
  },
];

/** Subsidies to farming families, paid to the head once a year per item. */
export async function writeSubsidies(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'subsidy');
  const { pop } = city;
  const rng = new Rng(city.seed);
  const firstYear = yearOfMonth(city.months[0] ?? city.asOfMonth);
  const lastYear = yearOfMonth(city.asOfMonth);
  await eachPerson(city, [out], (person) => {
    const family = pop.family[person] ?? 0;
    if (person !== pop.familyStart[family]) return;
    const county = HOME_COUNTIES[pop.familyCounty[family] ?? 0];
    if (!county?.rural) return;
    let farming = false;
    for (let k = 0; k < (pop.familySize[family] ?? 0); k++) {
      const cls = pop.cls[person + k];
      if (cls === CLS.farmer || cls === CLS.elderlyRural) farming = true;
    }
    if (!farming) return;
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const tracked = city.tracks(person);
    const last = Math.min(city.asOfMonth, city.lastActiveMonth(person));
    for (const [index, item] of SUBSIDY_ITEMS.entries()) {
      rng.reset(TAG.subsidy, family, index);
      if (!rng.chance(item.share)) continue;
      if (item.counties.length > 0 && !item.counties.includes(county.code)) continue;
      const amount = rng.between(item.low, item.high) * 100 + rng.int(2) * 50;
      for (let year = firstYear; year <= lastYear; year++) {
        rng.reset(TAG.subsidy, family, index * 10_000 + year);
        if (item.month < 0 && !rng.chance(0.5)) continue;
        const month = year * 12 + (item.month < 0 ? rng.int(12) : item.month);
        const day = firstDayOfMonth(month) + rng.int(28);
        if (!city.inData(day) || monthOfDay(day) > last) continue;
        const date = isoOfDay(day);
        const rest = `${item.item},${county.name}${item.department},${date},${yuan(amount)}`;
        const inMain = out.emit(
          person,
          id,
          name,
          city.periodicPeriod(out.def, month),
          month * 8 + index,
          rest,
        );
        if (tracked) city.record(person, { kind: 'subsidy', paymentDate: date, amount }, inMain);
      }
    }
  });
}
