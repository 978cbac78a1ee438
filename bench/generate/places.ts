import { findRegion, listRegions } from '../../src/domain/regions/regions.ts';

/**
 * Where the synthetic city's people come from: the eight counties of 庆阳市 (621000) for 90 % of ID numbers,
 * weighted by their registered population, and real county codes elsewhere for 10 % (half of them in the
 * rest of Gansu, a quarter in neighbouring Shaanxi and Ningxia, a quarter anywhere).
 */

export const CITY_CODE = '621000';
export const CITY_NAME = '庆阳市';

/** [code, registered population in ten thousands, rural] — 西峰区 is the urban district. */
const CITY_COUNTIES: readonly (readonly [string, number, boolean])[] = [
  ['621002', 42, false],
  ['621021', 29, true],
  ['621022', 36, true],
  ['621023', 13, true],
  ['621024', 17, true],
  ['621025', 22, true],
  ['621026', 53, true],
  ['621027', 52, true],
];

export interface County {
  code: string;
  name: string;
  rural: boolean;
}

function county(code: string, rural: boolean): County {
  const region = findRegion(code);
  if (region?.level !== 'county') throw new Error(`${code} is not a county in the region data`);
  return { code, name: region.name, rural };
}

export const HOME_COUNTIES: readonly County[] = CITY_COUNTIES.map(([code, , rural]) => county(code, rural));
export const HOME_COUNTY_WEIGHTS: readonly number[] = CITY_COUNTIES.map(([, weight]) => weight);

const others = listRegions().filter((region) => region.level === 'county' && !region.code.startsWith('6210'));

/** Counties outside the city, as three pools drawn with weights 0.5 / 0.25 / 0.25. */
export const OTHER_COUNTY_POOLS: readonly (readonly string[])[] = [
  others.filter((region) => region.code.startsWith('62')).map((region) => region.code),
  others.filter((region) => region.code.startsWith('61') || region.code.startsWith('64')).map((r) => r.code),
  others.filter((region) => !/^6[124]/.test(region.code)).map((region) => region.code),
];
export const OTHER_POOL_WEIGHTS: readonly number[] = [0.5, 0.25, 0.25];

/** Every region code people can carry: the home counties first (indices 0–7), then the others. */
export const REGION_CODES: readonly string[] = [
  ...HOME_COUNTIES.map((home) => home.code),
  ...OTHER_COUNTY_POOLS.flat(),
];
export const HOME_COUNTY_COUNT = HOME_COUNTIES.length;

/** Offsets of the three pools inside REGION_CODES. */
export const OTHER_POOL_OFFSETS: readonly number[] = (() => {
  const offsets: number[] = [];
  let offset = HOME_COUNTY_COUNT;
  for (const pool of OTHER_COUNTY_POOLS) {
    offsets.push(offset);
    offset += pool.length;
  }
  return offsets;
})();

export function homeCounty(index: number): County {
  const found = HOME_COUNTIES[index];
  if (!found) throw new RangeError(`no home county ${index}`);
  return found;
}

/** Street and township names for addresses; invented, plausible for the region. */
export const STREETS: readonly string[] = [
  '南大街',
  '北大街',
  '长庆大道',
  '九龙路',
  '安定东路',
  '朔州路',
  '西大街',
  '东大街',
  '庆化路',
  '兰州路',
  '陇东路',
  '人民路',
  '解放路',
  '育才路',
  '环城路',
];
export const TOWNS: readonly string[] = [
  '城关镇',
  '驿马镇',
  '董志镇',
  '白马铺镇',
  '太白梁乡',
  '曲子镇',
  '木钵镇',
  '新堡乡',
  '柔远镇',
  '南梁镇',
  '西华池镇',
  '板桥镇',
  '山河镇',
  '榆林子镇',
  '早胜镇',
  '新宁镇',
  '屯字镇',
  '平泉镇',
];
export const VILLAGES: readonly string[] = [
  '张家塬村',
  '李家庄村',
  '王家沟村',
  '刘家坪村',
  '高家川村',
  '杨家湾村',
  '赵家岔村',
  '马家塬村',
  '陈家庄村',
  '何家畔村',
  '贾家寺村',
  '路家河村',
];
