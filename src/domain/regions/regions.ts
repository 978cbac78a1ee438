import rows from './data/regions.json' with { type: 'json' };

/** Levels that GB/T 2260 codes carry. */
export type RegionLevel = 'province' | 'city' | 'county';

/** Townships (乡镇/街道) use 9-digit statistical codes outside GB/T 2260: the county code plus three digits. */
export type RegionCodeLevel = RegionLevel | 'township';

export type Region = {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** Seen in an older GB/T 2260 revision but no longer in use; ID numbers issued under it stay valid. */
  readonly retired: boolean;
  /** Last GB/T 2260 revision (YYYYMM) that listed a retired code; null for current codes. */
  readonly lastRevision: string | null;
  readonly parentCode: string | null;
};

type Entry = { code: string; name: string; retired: boolean; grouping: boolean; lastRevision: string | null };

/** Row flags written by scripts/build-regions.ts. */
const RETIRED = 1;
const GROUPING = 2;

function readEntries(data: ReadonlyArray<ReadonlyArray<string | number>>): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const [code, name, flags, lastRevision] of data) {
    if (typeof code !== 'string' || typeof name !== 'string' || typeof flags !== 'number') {
      throw new Error(
        `regions.json: malformed row for ${String(code)}; rebuild with scripts/build-regions.ts`,
      );
    }
    entries.set(code, {
      code,
      name,
      retired: (flags & RETIRED) !== 0,
      grouping: (flags & GROUPING) !== 0,
      lastRevision: typeof lastRevision === 'string' ? lastRevision : null,
    });
  }
  return entries;
}

const entries = readEntries(rows);

/**
 * Level of a 6-digit GB/T 2260 code or a 9-digit township code, read from the code's shape alone;
 * undefined when the code cannot be a region code (wrong length, XX00YY, a township under a province).
 */
export function regionLevelOf(code: string): RegionCodeLevel | undefined {
  if (/^\d{9}$/.test(code)) {
    const county = regionLevelOf(code.slice(0, 6));
    // 东莞 (441900) and similar prefectures have no counties, so their townships sit directly below the city.
    const validParent = county === 'county' || county === 'city';
    return validParent && !code.endsWith('000') ? 'township' : undefined;
  }
  if (!/^\d{6}$/.test(code) || code.startsWith('00')) return undefined;
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return code.slice(2, 4) === '00' ? undefined : 'county';
}

/**
 * The code one level up. A county whose prefecture row is only a grouping (北京市 市辖区 110100,
 * 湖北省 省直辖县级行政区划 429000) or is not in the data belongs directly to its province, which is
 * how municipalities and province-administered cities are actually governed.
 */
export function parentRegionCode(code: string): string | null {
  const level = regionLevelOf(code);
  switch (level) {
    case undefined:
    case 'province':
      return null;
    case 'township':
      return code.slice(0, 6);
    case 'city':
      return `${code.slice(0, 2)}0000`;
    case 'county': {
      const city = entries.get(`${code.slice(0, 4)}00`);
      return city && !city.grouping ? city.code : `${code.slice(0, 2)}0000`;
    }
  }
}

function toRegion(entry: Entry): Region {
  const level = regionLevelOf(entry.code);
  if (level === undefined || level === 'township') {
    throw new Error(
      `regions.json: ${entry.code} is not a GB/T 2260 code; rebuild with scripts/build-regions.ts`,
    );
  }
  return {
    code: entry.code,
    name: entry.name,
    level,
    retired: entry.retired,
    lastRevision: entry.lastRevision,
    parentCode: parentRegionCode(entry.code),
  };
}

const regions = new Map<string, Region>();
const children = new Map<string, Region[]>();
for (const entry of entries.values()) {
  const region = Object.freeze(toRegion(entry));
  regions.set(region.code, region);
  // Groupings are not administrative units, so a tree walk skips them (their counties hang off the province).
  if (region.parentCode === null || entry.grouping) continue;
  const siblings = children.get(region.parentCode) ?? [];
  siblings.push(region);
  children.set(region.parentCode, siblings);
}

/** A GB/T 2260 code, current or retired. Township codes are not in the data. */
export function findRegion(code: string): Region | undefined {
  return regions.get(code);
}

/** True for any 6-digit code GB/T 2260 has ever listed since 2002, including retired ones. */
export function isKnownRegionCode(code6: string): boolean {
  return regions.has(code6);
}

const PREFIX_LENGTH: Record<RegionCodeLevel, number> = { province: 2, city: 4, county: 6, township: 9 };

/** True when code is scopeCode itself or lies anywhere below it; used for data-scope checks. */
export function isWithinRegion(code: string, scopeCode: string): boolean {
  const scopeLevel = regionLevelOf(scopeCode);
  if (scopeLevel === undefined || regionLevelOf(code) === undefined) return false;
  return code.startsWith(scopeCode.slice(0, PREFIX_LENGTH[scopeLevel]));
}

/** Known regions from the province down to the code itself; townships and unknown codes are left out. */
export function regionPath(code: string): Region[] {
  const path: Region[] = [];
  for (let current: string | null = code; current !== null; current = parentRegionCode(current)) {
    const region = regions.get(current);
    if (region) path.unshift(region);
  }
  return path;
}

/** Direct children in code order; retired codes only on request, groupings never. */
export function listChildren(code: string, options: { includeRetired?: boolean } = {}): Region[] {
  const all = children.get(code) ?? [];
  return options.includeRetired ? [...all] : all.filter((region) => !region.retired);
}

/** Every region of the data in code order; retired codes only on request, groupings never. */
export function listRegions(options: { includeRetired?: boolean } = {}): Region[] {
  return [...regions.values()]
    .filter((r) => !(entries.get(r.code)?.grouping ?? false) && (options.includeRetired || !r.retired))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}
