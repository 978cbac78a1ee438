import { isoOfDay, lastDayOfMonth, quarterStart } from './calendar.ts';
import type { City } from './city.ts';
import {
  accountDigits,
  accountNumberOf,
  creditCodeOf,
  entityNumber,
  plateOf,
  transportCode,
  unitNumberOf,
  vehicleCode,
} from './codes.ts';
import { eachPerson } from './data-civil.ts';
import { DatasetOutput } from './emit.ts';
import type { AssetType } from './expected.ts';
import { hundredths, yuan } from './output.ts';
import { HOME_COUNTIES, STREETS, TOWNS, VILLAGES } from './places.ts';
import { PLANTED_PROPERTY, PLANTED_SLOT, type Planted } from './planted.ts';
import { CLS, type Population, REL } from './population.ts';
import { cumulative, hash4, pickIndex, Rng, tagOf } from './random.ts';

/** deposit, real_estate, vehicle, market_entity, transport: the asset datasets (snapshots). */

const TAG = {
  deposit: tagOf('deposit'),
  depositMonth: tagOf('deposit-month'),
  estate: tagOf('real_estate'),
  vehicle: tagOf('vehicle'),
  entity: tagOf('market_entity'),
  transport: tagOf('transport'),
};

/** Days of 2005-01-01, 2010-01-01 and 2016-01-01: earliest registrations. */
const DAY_2005 = 12_784;
const DAY_2010 = 14_610;
const DAY_2016 = 16_801;

function familyOf(pop: Population, person: number): number {
  return pop.family[person] ?? 0;
}

function isPoor(pop: Population, family: number): boolean {
  return pop.recipient[family] === 1 && (pop.wealth[family] ?? 0) < 0.25;
}

/** A day in [from, to]. */
function dayBetween(rng: Rng, from: number, to: number): number {
  return from + rng.int(Math.max(1, to - from + 1));
}

// ---------------------------------------------------------------- deposits

const ASSET_WEIGHTS: Readonly<Record<AssetType, number>> = {
  活期存款: 0.45,
  定期存款: 0.2,
  理财产品: 0.07,
  基金: 0.05,
  证券: 0.04,
  商业保险: 0.07,
  互联网金融: 0.1,
  其他: 0.02,
};
const ASSET_LIST = Object.keys(ASSET_WEIGHTS) as AssetType[];
const ASSET_CDF = cumulative(Object.values(ASSET_WEIGHTS));

/** [institution, account prefix, weight] per kind of holder. */
const BANKS: readonly (readonly [string, string, number])[] = [
  ['中国农业银行庆阳分行', '6228', 0.22],
  ['中国工商银行庆阳分行', '6222', 0.12],
  ['中国建设银行庆阳分行', '6217', 0.12],
  ['中国银行庆阳分行', '6216', 0.07],
  ['中国邮政储蓄银行庆阳市分行', '6221', 0.15],
  ['甘肃庆阳农村商业银行', '6230', 0.2],
  ['甘肃银行庆阳分行', '6231', 0.07],
  ['兰州银行庆阳分行', '6232', 0.05],
];
const BANK_CDF = cumulative(BANKS.map(([, , weight]) => weight));
const SECURITIES = ['华龙证券庆阳营业部', '中信建投证券庆阳营业部', '国泰君安证券兰州营业部'] as const;
const INSURERS = ['中国人寿保险庆阳分公司', '中国平安人寿甘肃分公司', '太平洋人寿庆阳中心支公司'] as const;
const INTERNET = ['天弘基金（余额宝）', '腾讯理财通', '京东金融'] as const;

/** Median balance in yuan of an asset type for a family of wealth w. */
function medianBalance(type: AssetType, wealth: number): number {
  switch (type) {
    case '活期存款':
      return 2_000 + 25_000 * wealth;
    case '定期存款':
      return 20_000 + 100_000 * wealth;
    case '理财产品':
      return 30_000 + 150_000 * wealth;
    case '基金':
      return 10_000 + 40_000 * wealth;
    case '证券':
      return 15_000 + 80_000 * wealth;
    case '商业保险':
      return 8_000 + 30_000 * wealth;
    case '互联网金融':
      return 800 + 6_000 * wealth;
    case '其他':
      return 3_000 + 10_000 * wealth;
  }
}

export async function writeDeposits(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'deposit');
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  const rng = new Rng(city.seed);
  const previousQuarterEnd = lastDayOfMonth(quarterStart(city.asOfMonth) - 1);
  const noAccountKeys = new Set<string>();
  await eachPerson(city, [out], (person) => {
    const family = familyOf(pop, person);
    const poor = isPoor(pop, family);
    const wealth = pop.wealth[family] ?? 0;
    const age = pop.ageOf(person);
    rng.reset(TAG.deposit, person);
    let accounts: number;
    if (age < 18) accounts = rng.chance(0.2) ? 1 : 0;
    else if (poor) accounts = Math.floor(0.45 + rng.float() * 1.3);
    else accounts = Math.floor(0.9 + wealth * 2.2 + rng.float() * 1.5);
    if (accounts === 0) return;
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const tracked = city.tracks(person);
    noAccountKeys.clear();
    for (let k = 0; k < accounts; k++) {
      rng.reset(TAG.deposit, person, k + 1);
      const type = age < 18 ? '活期存款' : (ASSET_LIST[pickIndex(ASSET_CDF, rng.float())] ?? '活期存款');
      let institution: string;
      let account: string;
      const salt = rng.next();
      if (type === '证券') {
        institution = rng.pick(SECURITIES);
        account = `31${accountDigits(person, k)}`;
      } else if (type === '商业保险') {
        institution = rng.pick(INSURERS);
        account = rng.chance(0.5) ? '' : `P${accountDigits(person, k)}${salt % 1000}`;
      } else if (type === '互联网金融') {
        institution = rng.pick(INTERNET);
        account = `2088${accountDigits(person, k)}${String(salt % 100).padStart(2, '0')}`;
      } else {
        const [bank, prefix] = BANKS[pickIndex(BANK_CDF, rng.float())] ?? ['中国农业银行庆阳分行', '6228'];
        institution = bank;
        account = type === '其他' && rng.chance(0.5) ? '' : accountNumberOf(prefix, person, k, salt);
      }
      if (account === '') {
        const key = `${institution}|${type}`;
        if (noAccountKeys.has(key)) account = accountNumberOf('6200', person, k, salt);
        noAccountKeys.add(key);
      }
      const scale = poor ? 0.08 : age < 18 ? 0.2 : 1;
      const base = rng.logNormal(medianBalance(type, wealth) * scale, 0.9);
      const volatile = type === '活期存款' || type === '互联网金融';
      const monthFactor = (month: number) =>
        volatile
          ? 0.9 + 0.2 * (hash4(city.seed, TAG.depositMonth, person * 8 + k, month) / 4_294_967_296)
          : 1;
      const cents = rng.int(100);
      const balanceAt = (month: number) => Math.max(0, Math.round(base * monthFactor(month)) * 100 + cents);
      const emit = (day: number, balance: number, key: number) => {
        const date = isoOfDay(day);
        const rest = `${institution},${account},${type},${yuan(balance)},${date}`;
        const inMain = out.emit(person, id, name, period, k * 4 + key, rest);
        if (tracked) {
          city.record(
            person,
            {
              kind: 'deposit',
              institution,
              accountNumber: account,
              assetType: type,
              balance,
              asOfDate: date,
            },
            inMain,
          );
        }
      };
      if (rng.chance(0.1)) emit(previousQuarterEnd, balanceAt(city.asOfMonth - 3), 1);
      emit(city.asOfDay, balanceAt(city.asOfMonth), 0);
    }
  });
}

// ---------------------------------------------------------------- real estate

const RIGHT_STATUSES = ['现势', '查封', '注销'] as const;

function rightStatus(rng: Rng): (typeof RIGHT_STATUSES)[number] {
  const u = rng.float();
  return u < 0.93 ? '现势' : u < 0.95 ? '查封' : '注销';
}

interface Owner {
  person: number;
  mode: '单独所有' | '共同共有' | '按份共有';
  /** Hundredths of a percent; 0 = written empty (100 %). */
  share: number;
}

export async function writeRealEstate(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'real_estate');
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  const rng = new Rng(city.seed);
  const baseDay = lastDayOfMonth(city.baseMonth);
  await eachPerson(city, [out], (person) => {
    const family = familyOf(pop, person);
    const start = pop.familyStart[family] ?? 0;
    if (person !== start) return;
    const county = HOME_COUNTIES[pop.familyCounty[family] ?? 0] ?? HOME_COUNTIES[0];
    if (!county) return;
    const size = pop.familySize[family] ?? 1;
    const poor = isPoor(pop, family);
    const wealth = pop.wealth[family] ?? 0;
    const head = start;
    const spouse = pop.spouse[head] ?? -1;
    rng.reset(TAG.estate, family);
    let k = 0;
    const property = (
      owners: readonly Owner[],
      purpose: string,
      area: number,
      location: string,
      day: number,
    ) => {
      const status = rightStatus(rng);
      const unit = unitNumberOf(county.code, family, k, 1 + rng.int(40), 1 + rng.int(200));
      for (const [slot, owner] of owners.entries()) {
        const share = owner.share === 0 ? '' : hundredths(owner.share);
        const rest = `${unit},${location},${purpose},${hundredths(area)},${isoOfDay(day)},${status},${owner.mode},${share}`;
        const inMain = out.emit(
          owner.person,
          pop.idOf(owner.person),
          pop.nameOf(owner.person),
          period,
          k * 4 + slot,
          rest,
        );
        if (city.tracks(owner.person)) {
          city.record(
            owner.person,
            {
              kind: 'real_estate',
              unitNumber: unit,
              rightStatus: status,
              floorArea: area,
              share: owner.share === 0 ? 10_000 : owner.share,
            },
            inMain,
          );
        }
      }
      k += 1;
    };
    const owners = (): Owner[] => {
      if (spouse < 0 || spouse >= start + size) return [{ person: head, mode: '单独所有', share: 0 }];
      const u = rng.float();
      if (u < 0.6) {
        return [
          { person: head, mode: '共同共有', share: 5_000 },
          { person: spouse, mode: '共同共有', share: 5_000 },
        ];
      }
      if (u < 0.7) {
        return [
          { person: head, mode: '按份共有', share: 6_000 },
          { person: spouse, mode: '按份共有', share: 4_000 },
        ];
      }
      return [{ person: rng.chance(0.75) ? head : spouse, mode: '单独所有', share: 0 }];
    };
    const apartment = () =>
      `${county.name}${rng.pick(STREETS)}${rng.between(1, 300)}号${rng.between(1, 30)}号楼${rng.between(1, 6)}单元${rng.between(1, 28)}0${rng.between(1, 4)}室`;
    const area = (low: number, high: number) => rng.between(low * 10, high * 10) * 10;

    if (county.rural && rng.chance(poor ? 0.6 : 0.5)) {
      property(
        [{ person: head, mode: '单独所有', share: 0 }],
        '住宅',
        area(80, 220),
        `${county.name}${rng.pick(TOWNS)}${rng.pick(VILLAGES)}${rng.between(1, 12)}组`,
        dayBetween(rng, DAY_2016, baseDay),
      );
    }
    const apartments = poor
      ? rng.chance(0.35)
        ? 1
        : 0
      : (rng.chance(0.45 + 0.35 * wealth) ? 1 : 0) + (wealth > 0.75 && rng.chance(0.6) ? 1 : 0);
    for (let n = 0; n < apartments; n++) {
      property(owners(), '住宅', area(45, 160), apartment(), dayBetween(rng, DAY_2010, baseDay));
    }
    if (!poor && wealth > 0.93 && rng.chance(0.7)) {
      const purpose = rng.pick(['商业', '办公', '其他']);
      property(owners(), purpose, area(20, 260), apartment(), dayBetween(rng, DAY_2010, baseDay));
    }
    for (let member = start + 1; member < start + size; member++) {
      const relation = pop.relation[member];
      if ((relation === REL.father || relation === REL.mother) && rng.chance(0.3)) {
        property(
          [{ person: member, mode: '单独所有', share: 0 }],
          '住宅',
          area(50, 120),
          apartment(),
          dayBetween(rng, DAY_2010, baseDay),
        );
      }
    }
    for (let member = start; member < start + size; member++) {
      const change = planted?.of(member, 'new_property');
      if (!change) continue;
      const unit = unitNumberOf(county.code, family, PLANTED_PROPERTY, 1, 1);
      const floor = area(60, 140);
      const rest = `${unit},${apartment()},住宅,${hundredths(floor)},${isoOfDay(change.day)},现势,单独所有,`;
      const inMain = out.emit(
        member,
        pop.idOf(member),
        pop.nameOf(member),
        period,
        PLANTED_PROPERTY * 4,
        rest,
      );
      if (city.tracks(member)) {
        city.record(
          member,
          { kind: 'real_estate', unitNumber: unit, rightStatus: '现势', floorArea: floor, share: 10_000 },
          inMain,
        );
      }
    }
  });
}

// ---------------------------------------------------------------- vehicles

const CAR_TYPES = ['小型轿车', '小型普通客车', '小型越野客车', '轻型普通货车'] as const;
const CAR_TYPE_CDF = cumulative([0.45, 0.3, 0.2, 0.05]);
const FARM_TYPES = ['三轮汽车', '低速货车', '二轮摩托车'] as const;
const VEHICLE_STATUSES = ['正常', '转出', '注销', '查封', '其他'] as const;
const VEHICLE_STATUS_CDF = cumulative([0.86, 0.04, 0.07, 0.01, 0.02]);
const USE_CHARACTERS = ['非营运', '营运', '其他'] as const;
const USE_CDF = cumulative([0.9, 0.07, 0.03]);
const DISABILITY_PHYSICAL = 4;

export async function writeVehicles(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'vehicle');
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  const rng = new Rng(city.seed);
  const baseDay = lastDayOfMonth(city.baseMonth);
  await eachPerson(city, [out], (person) => {
    const family = familyOf(pop, person);
    const start = pop.familyStart[family] ?? 0;
    if (person !== start) return;
    const size = pop.familySize[family] ?? 1;
    const poor = isPoor(pop, family);
    const wealth = pop.wealth[family] ?? 0;
    const rural = HOME_COUNTIES[pop.familyCounty[family] ?? 0]?.rural ?? true;
    rng.reset(TAG.vehicle, family);
    const adults: number[] = [];
    for (let member = start; member < start + size; member++)
      if (pop.ageOf(member) >= 18) adults.push(member);
    if (adults.length === 0) return;
    let k = 0;
    const vehicle = (owner: number, type: string, disabilityVehicle: boolean) => {
      if (k >= PLANTED_SLOT) return;
      const plate = plateOf(vehicleCode(family, k));
      const status = VEHICLE_STATUSES[pickIndex(VEHICLE_STATUS_CDF, rng.float())] ?? '正常';
      const use = disabilityVehicle
        ? '非营运'
        : (USE_CHARACTERS[pickIndex(USE_CDF, rng.float())] ?? '非营运');
      const flag = disabilityVehicle ? '是' : rng.chance(0.3) ? '否' : '';
      const shownType = rng.chance(0.05) ? '' : type;
      const day = dayBetween(rng, DAY_2005, baseDay);
      const rest = `${plate},${shownType},${use},${isoOfDay(day)},${status},${flag}`;
      const inMain = out.emit(owner, pop.idOf(owner), pop.nameOf(owner), period, k, rest);
      if (city.tracks(owner))
        city.record(owner, { kind: 'vehicle', vehicleStatus: status, disabilityVehicle }, inMain);
      k += 1;
    };
    const head = adults[0] ?? start;
    const spouse = pop.spouse[head] ?? -1;
    if (rng.chance(poor ? 0.08 : 0.15 + 0.55 * wealth)) {
      const u = rng.float();
      const cars = u < 0.75 ? 1 : u < 0.95 ? 2 : 3;
      for (let n = 0; n < cars; n++) {
        const v = rng.float();
        const owner = v < 0.6 || spouse < 0 ? head : v < 0.85 ? spouse : (adults[adults.length - 1] ?? head);
        vehicle(owner, CAR_TYPES[pickIndex(CAR_TYPE_CDF, rng.float())] ?? '小型轿车', false);
      }
    }
    if (rural && rng.chance(0.25)) vehicle(head, rng.pick(FARM_TYPES), false);
    for (const member of adults) {
      if (pop.disability[member] === DISABILITY_PHYSICAL && rng.chance(0.15)) {
        vehicle(member, '残疾人专用小型自动挡载客汽车', true);
      }
    }
    for (let member = start; member < start + size; member++) {
      const change = planted?.of(member, 'new_vehicle');
      if (!change) continue;
      const plate = plateOf(vehicleCode(family, PLANTED_SLOT));
      const rest = `${plate},小型轿车,非营运,${isoOfDay(change.day)},正常,`;
      const inMain = out.emit(member, pop.idOf(member), pop.nameOf(member), period, PLANTED_SLOT, rest);
      if (city.tracks(member))
        city.record(member, { kind: 'vehicle', vehicleStatus: '正常', disabilityVehicle: false }, inMain);
    }
  });
}

// ---------------------------------------------------------------- market entities

const SHOPS = [
  '便民超市',
  '小吃店',
  '五金门市部',
  '农资经销部',
  '理发店',
  '汽车修理部',
  '服装店',
  '手机店',
  '烟酒副食店',
  '粮油店',
  '羊肉馆',
  '饸饹面馆',
];
const WORDS = [
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
  '鑫源',
  '宏达',
];
const TRADES = [
  '商贸',
  '建筑工程',
  '石油技术服务',
  '农业科技',
  '物流',
  '餐饮管理',
  '机械制造',
  '装饰工程',
  '物业服务',
];
const CROPS = ['苹果', '黄花菜', '中药材', '肉羊养殖', '小杂粮', '蔬菜'];
type EntityKind = '个体工商户' | '有限责任公司' | '个人独资企业' | '合伙企业' | '农民专业合作社';
const OLD_STATUSES = ['注销', '吊销', '迁出'] as const;

export async function writeMarketEntities(city: City, planted: Planted | null): Promise<void> {
  const out = new DatasetOutput(city, 'market_entity');
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  const rng = new Rng(city.seed);
  const baseDay = lastDayOfMonth(city.baseMonth);
  const day2000 = 10_957;
  await eachPerson(city, [out], (person) => {
    const family = familyOf(pop, person);
    const cls = pop.cls[person] ?? CLS.child;
    const age = pop.ageOf(person);
    const county = HOME_COUNTIES[pop.familyCounty[family] ?? 0] ?? HOME_COUNTIES[0];
    const change = planted?.of(person, 'new_company');
    if (!county || age < 18) return;
    rng.reset(TAG.entity, person);
    let kind: EntityKind | undefined;
    if (cls === CLS.selfEmployed) {
      const u = rng.float();
      kind = u < 0.75 ? '个体工商户' : u < 0.9 ? '有限责任公司' : undefined;
    } else if (age <= 65 && cls !== CLS.student && cls !== CLS.payroll && rng.chance(0.09)) {
      const u = rng.float();
      kind =
        cls === CLS.farmer && u < 0.3
          ? '农民专业合作社'
          : u < 0.5
            ? '个体工商户'
            : u < 0.8
              ? '有限责任公司'
              : u < 0.9
                ? '个人独资企业'
                : '合伙企业';
    }
    const id = pop.idOf(person);
    const name = pop.nameOf(person);
    const emit = (who: number, whoId: string, whoName: string, key: number, fields: EntityFields) => {
      const capital = fields.capital === null ? '' : yuan(fields.capital);
      const share = fields.share === null ? '' : hundredths(fields.share);
      const rest = `${fields.name},${fields.code},${fields.kind},${fields.role},${capital},${share},${isoOfDay(fields.day)},${fields.status}`;
      const inMain = out.emit(who, whoId, whoName, period, key, rest);
      if (city.tracks(who)) {
        city.record(
          who,
          {
            kind: 'market_entity',
            creditCode: fields.code,
            registrationStatus: fields.status,
            subscribedCapital: fields.capital,
          },
          inMain,
        );
      }
    };
    if (kind) {
      const entity = describeEntity(rng, kind, county.name, county.code, entityNumber(person, 0));
      const day = dayBetween(rng, day2000, baseDay);
      const u = rng.float();
      const status = u < 0.92 ? '存续' : u < 0.95 ? '吊销' : u < 0.98 ? '注销' : '迁出';
      const spouse = pop.spouse[person] ?? -1;
      const withSpouse =
        kind === '有限责任公司' && cls === CLS.selfEmployed && spouse >= 0 && rng.chance(0.3);
      const ownShare =
        kind === '有限责任公司'
          ? withSpouse
            ? 7_000
            : cls === CLS.selfEmployed
              ? 10_000
              : rng.between(5, 40) * 100
          : null;
      const role =
        kind === '个体工商户'
          ? '经营者'
          : kind === '个人独资企业'
            ? '投资人'
            : kind === '合伙企业'
              ? '合伙人'
              : kind === '农民专业合作社' || cls === CLS.selfEmployed
                ? '法定代表人'
                : '股东';
      const capital =
        kind === '个体工商户'
          ? rng.chance(0.6)
            ? rng.between(10, 200) * 100_000
            : null
          : ownShare === null
            ? rng.between(5, 100) * 100_000
            : Math.round((entity.totalCapital * ownShare) / 10_000);
      const shown = kind === '个体工商户' && capital !== null ? 10_000 : ownShare;
      emit(person, id, name, 0, { ...entity, kind, role, capital, share: shown, day, status });
      if (withSpouse) {
        const spouseCapital = Math.round((entity.totalCapital * 3_000) / 10_000);
        emit(spouse, pop.idOf(spouse), pop.nameOf(spouse), 1, {
          ...entity,
          kind,
          role: '股东',
          capital: spouseCapital,
          share: 3_000,
          day,
          status,
        });
      }
      if (rng.chance(0.6)) {
        const old = describeEntity(rng, '个体工商户', county.name, county.code, entityNumber(person, 2));
        const oldDay = dayBetween(rng, day2000 - 2_000, day);
        const oldStatus = OLD_STATUSES[pickIndex(OLD_CDF, rng.float())] ?? '注销';
        emit(person, id, name, 2, {
          ...old,
          kind: '个体工商户',
          role: '经营者',
          capital: null,
          share: null,
          day: oldDay,
          status: oldStatus,
        });
      }
    }
    if (change) {
      const entity = describeEntity(
        rng,
        '个体工商户',
        county.name,
        county.code,
        entityNumber(person, PLANTED_SLOT),
      );
      const capital = rng.between(5, 30) * 1_000_000;
      emit(person, id, name, PLANTED_SLOT, {
        ...entity,
        kind: '个体工商户',
        role: '经营者',
        capital,
        share: 10_000,
        day: change.day,
        status: '存续',
      });
    }
  });
}

const OLD_CDF = cumulative([0.6, 0.3, 0.1]);

interface EntityFields {
  name: string;
  code: string;
  kind: EntityKind;
  role: string;
  capital: number | null;
  share: number | null;
  day: number;
  status: string;
}

function describeEntity(
  rng: Rng,
  kind: EntityKind,
  countyName: string,
  countyCode: string,
  entity: number,
): { name: string; code: string; totalCapital: number } {
  const word = rng.pick(WORDS);
  const trade = rng.pick(TRADES);
  switch (kind) {
    case '个体工商户':
      return {
        name: `${countyName}${word}${rng.pick(SHOPS)}`,
        code: creditCodeOf('92', countyCode, entity),
        totalCapital: 0,
      };
    case '农民专业合作社':
      return {
        name: `${countyName}${rng.pick(VILLAGES).replace('村', '')}${rng.pick(CROPS)}农民专业合作社`,
        code: creditCodeOf('93', countyCode, entity),
        totalCapital: rng.between(5, 100) * 1_000_000,
      };
    case '个人独资企业':
      return { name: `庆阳${word}${trade}部`, code: creditCodeOf('91', countyCode, entity), totalCapital: 0 };
    case '合伙企业':
      return {
        name: `庆阳${word}${trade}合伙企业（有限合伙）`,
        code: creditCodeOf('91', countyCode, entity),
        totalCapital: 0,
      };
    case '有限责任公司':
      return {
        name: `${rng.chance(0.5) ? '庆阳' : countyName}${word}${trade}有限公司`,
        code: creditCodeOf('91', countyCode, entity),
        totalCapital: rng.between(10, 500) * 1_000_000,
      };
  }
}

// ---------------------------------------------------------------- transport

const TRANSPORT_TYPES = ['道路货运', '出租汽车', '网约车', '道路客运', '水路运输', '其他'] as const;
const TRANSPORT_CDF = cumulative([0.45, 0.2, 0.2, 0.1, 0.01, 0.04]);

export async function writeTransport(city: City): Promise<void> {
  const out = new DatasetOutput(city, 'transport');
  const { pop } = city;
  const period = city.snapshotPeriod(out.def);
  const rng = new Rng(city.seed);
  const baseDay = lastDayOfMonth(city.baseMonth);
  await eachPerson(city, [out], (person) => {
    const cls = pop.cls[person];
    const age = pop.ageOf(person);
    if (age < 20 || age > 62) return;
    rng.reset(TAG.transport, person);
    const chance =
      cls === CLS.selfEmployed ? 0.08 : cls === CLS.gig ? 0.06 : cls === CLS.employee ? 0.005 : 0;
    if (!rng.chance(chance)) return;
    const type = TRANSPORT_TYPES[pickIndex(TRANSPORT_CDF, rng.float())] ?? '道路货运';
    const plate = type === '水路运输' ? `庆航${rng.between(100, 999)}` : plateOf(transportCode(person));
    const status = rng.chance(0.85) ? '有效' : '注销';
    const day = dayBetween(rng, DAY_2010, baseDay);
    const inMain = out.emit(
      person,
      pop.idOf(person),
      pop.nameOf(person),
      period,
      0,
      `${plate},${type},${isoOfDay(day)},${status}`,
    );
    if (city.tracks(person)) city.record(person, { kind: 'transport', permitStatus: status }, inMain);
  });
}
