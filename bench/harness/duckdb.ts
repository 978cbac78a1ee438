/**
 * The in-run DuckDB reference (`@duckdb/node-api`): a city's main CSV files read with `read_csv` into tables,
 * the roster's ID numbers (18-digit and, for 19xx births, the legacy 15-digit form) as a join key, and one
 * query computing, per roster family, the figures the engine compares — for the whole roster (a hash join and a
 * GROUP BY, the recheck reference) or for one family (a prepared statement, the single-family reference).
 */
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ManifestFile } from './city.ts';

export interface DuckCity {
  db: DuckDBConnection;
  /** Seconds to read every main file with read_csv into a table. */
  readSeconds: number;
  /** Seconds to build the roster and its join keys. */
  rosterSeconds: number;
  rows: number;
  datasets: string[];
  close(): void;
}

const list = (paths: string[]) => `[${paths.map((p) => `'${p}'`).join(', ')}]`;

/**
 * Reads `files` of `dir` into one table per dataset and the roster of `truthDir` (the co-residing members of the
 * recipient families, or of every family with `allFamilies`).
 */
export async function loadDuckCity(
  dir: string,
  files: ManifestFile[],
  truthDir: string,
  options: { allFamilies?: boolean } = {},
): Promise<DuckCity> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const byDataset = new Map<string, string[]>();
  for (const f of files) byDataset.set(f.dataset, [...(byDataset.get(f.dataset) ?? []), join(dir, f.file)]);
  const t0 = performance.now();
  for (const [dataset, paths] of byDataset)
    await db.run(
      `create table ${dataset} as select * from read_csv(${list(paths)}, header = true, all_varchar = true)`,
    );
  const t1 = performance.now();
  await db.run(`create table roster as
    select 'F' || p.family_id as family_key, p.id_number as id18
    from read_csv('${join(truthDir, 'people.csv')}', all_varchar = true) p
    join read_csv('${join(truthDir, 'families.csv')}', all_varchar = true) f using (family_id)
    where ${options.allFamilies === true ? '' : "f.recipient = '1' and"} p.co_residing = '1'`);
  await db.run(`create table roster_key as
    select id18 as k, family_key from roster
    union all
    select substr(id18, 1, 6) || substr(id18, 9, 9), family_key from roster where substr(id18, 7, 2) = '19'`);
  await db.run(`create macro norm(s) as upper(translate(replace(replace(replace(trim(s), ' ', ''), '''', ''), '　', ''),
    '０１２３４５６７８９ｘＸ', '0123456789XX'))`);
  await db.run(
    `create macro fen(s) as cast(round(cast(nullif(trim(s), '') as decimal(18, 2)) * 100) as bigint)`,
  );
  const t2 = performance.now();
  return {
    db,
    readSeconds: (t1 - t0) / 1000,
    rosterSeconds: (t2 - t1) / 1000,
    rows: files.reduce((n, f) => n + f.rows, 0),
    datasets: [...byDataset.keys()],
    close: () => {
      db.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * The per-family figures over the window `first`…`last` (months `YYYY-MM`). With `oneFamily`, the roster is
 * restricted to the family bound to `$1`.
 */
export function familyFiguresSql(window: { first: string; last: string }, oneFamily: boolean): string {
  const only = oneFamily ? 'where family_key = $1' : '';
  const w = `between '${window.first}' and '${window.last}'`;
  // One family: the normalized ID is a stored column (see duckFamilyLatencies), so each query is a plain scan.
  const j = (table: string) =>
    oneFamily ? `${table} t join rk r on t.nk = r.k` : `${table} t join rk r on norm(t.身份证号) = r.k`;
  return `
    with
    rk as (select * from roster_key ${only}),
    fam as (select distinct family_key from roster ${only}),
    tax as (select family_key,
        sum(case when 所得项目 in ('工资薪金', '劳务报酬', '稿酬', '特许权使用费') then fen(收入额) end) as wages,
        sum(case when 所得项目 = '经营所得' then fen(收入额) end) as business,
        sum(case when 所得项目 in ('利息股息红利', '财产租赁', '财产转让') then fen(收入额) end) as property,
        sum(case when 所得项目 in ('偶然所得', '其他') then fen(收入额) end) as other
      from ${j('tax_income')} where 所属期起 ${w} group by family_key),
    pay as (select family_key, count(distinct 所属月份) as payroll_months, sum(fen(应发工资)) as payroll
      from ${j('payroll')} where 所属月份 ${w} group by family_key),
    ben as (select family_key, sum(fen(发放金额)) as benefits from ${j('benefit')} where 所属月份 ${w} group by family_key),
    sub as (select family_key, sum(fen(金额)) as subsidies from ${j('subsidy')}
      where substr(发放日期, 1, 7) ${w} group by family_key),
    con as (select family_key, sum(fen(个人缴费额)) as contributions from ${j('contribution')}
      where 所属月份 ${w} group by family_key),
    pf as (select family_key, sum(fen(月缴存额)) as provident from ${j('provident_fund')}
      where 所属月份 ${w} group by family_key),
    dep as (select family_key, sum(fen(余额)) as deposits from ${j('deposit')} group by family_key),
    veh as (select family_key, count(distinct 号牌号码) as vehicles from ${j('vehicle')}
      where 车辆状态 = '正常' group by family_key),
    tra as (select family_key, count(distinct 号牌或船名) as transport from ${j('transport')}
      where 状态 = '有效' group by family_key),
    re as (select family_key, count(distinct 不动产单元号) as real_estate_units from ${j('real_estate')}
      where 权利状态 in ('现势', '查封') group by family_key),
    me as (select family_key, count(distinct 统一社会信用代码) as market_entities from ${j('market_entity')}
      where 登记状态 = '存续' group by family_key),
    dea as (select family_key, count(*) as deaths from ${j('death')} group by family_key),
    huk as (select family_key, count(*) filter (where 户籍状态 <> '正常') as hukou_changes from ${j('hukou')}
      group by family_key),
    mar as (select family_key, count(*) filter (where 登记类型 = '结婚') as marriages from ${j('marriage')}
      group by family_key)
    select f.family_key, tax.wages, tax.business, tax.property, tax.other, pay.payroll_months, pay.payroll,
      ben.benefits, sub.subsidies, con.contributions, pf.provident, dep.deposits, veh.vehicles, tra.transport,
      re.real_estate_units, me.market_entities, dea.deaths, huk.hukou_changes, mar.marriages
    from fam f
      left join tax using (family_key) left join pay using (family_key) left join ben using (family_key)
      left join sub using (family_key) left join con using (family_key) left join pf using (family_key)
      left join dep using (family_key) left join veh using (family_key) left join tra using (family_key)
      left join re using (family_key) left join me using (family_key) left join dea using (family_key)
      left join huk using (family_key) left join mar using (family_key)`;
}

/** The recheck reference: every roster family's figures in one query. */
export async function duckRosterFigures(city: DuckCity, window: { first: string; last: string }) {
  const q0 = performance.now();
  const reader = await city.db.runAndReadAll(familyFiguresSql(window, false));
  const families = reader.getRowObjectsJson();
  return { querySeconds: (performance.now() - q0) / 1000, families };
}

/**
 * The single-family reference: the same query for one family at a time, prepared once, over tables with the
 * normalized ID stored; milliseconds each. DuckDB has no index on the join key: each call scans every table.
 */
export async function duckFamilyLatencies(
  city: DuckCity,
  window: { first: string; last: string },
  familyKeys: readonly string[],
): Promise<number[]> {
  // Normalize the ID of every row once (not timed): a point query should not pay it per call.
  for (const dataset of city.datasets)
    await city.db.run(`create or replace table ${dataset} as select *, norm(身份证号) as nk from ${dataset}`);
  const prepared = await city.db.prepare(familyFiguresSql(window, true));
  const ms: number[] = [];
  for (const key of familyKeys) {
    prepared.bindVarchar(1, key);
    const t = performance.now();
    await prepared.runAndReadAll();
    ms.push(performance.now() - t);
  }
  return ms;
}
