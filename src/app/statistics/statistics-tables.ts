import type { Bucket, CaseFigures, Distributions } from '../../domain/statistics/statistics.ts';
import type { StatisticsView } from './statistics.ts';

/**
 * Each chart of the statistics page as the table behind it: what the XLSX export writes, one sheet per chart.
 * Counts and rates only; a city's counties are rows side by side, then the total.
 */

export const STATISTICS_CHARTS = [
  'cases',
  'appeals',
  'departments',
  'income',
  'deposits',
  'vehicles',
  'realEstate',
  'recheck',
] as const;
export type StatisticsChart = (typeof STATISTICS_CHARTS)[number];

export const CHART_TITLES: Readonly<Record<StatisticsChart, string>> = {
  cases: '案件办理情况',
  appeals: '申诉与复核',
  departments: '部门报送及时率与数据质量',
  income: '已核对家庭人均月收入分布',
  deposits: '已核对家庭存款分布',
  vehicles: '已核对家庭车辆分布',
  realEstate: '已核对家庭不动产分布',
  recheck: '月度复核',
};

export type Cell = string | number | null;

export interface ChartTable {
  chart: StatisticsChart;
  title: string;
  columns: string[];
  rows: Cell[][];
}

const TOTAL = '合计';

function percent(rate: number | null): Cell {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

function byCounty<T>(
  view: StatisticsView,
  rows: readonly (T & { countyName: string })[],
  total: T,
  cells: (row: T) => Cell[],
): Cell[][] {
  const out = rows.map((row) => [row.countyName, ...cells(row)]);
  if (view.counties.length > 1 || rows.length === 0) out.push([TOTAL, ...cells(total)]);
  return out;
}

function distributionTable(
  view: StatisticsView,
  chart: StatisticsChart,
  pick: (d: Distributions) => Bucket[],
): ChartTable {
  const labels = pick(view.households.total).map((b) => b.label);
  const counts = (d: Distributions) => pick(d).map((b) => b.count);
  return {
    chart,
    title: CHART_TITLES[chart],
    columns: ['区县', ...labels, '家庭数'],
    rows: byCounty(view, view.households.counties, view.households.total, (d) => [
      ...counts(d),
      d.households,
    ]),
  };
}

export function chartTable(view: StatisticsView, chart: StatisticsChart): ChartTable {
  switch (chart) {
    case 'cases':
      return {
        chart,
        title: CHART_TITLES.cases,
        columns: [
          '区县',
          '收到委托',
          '受理',
          '办结',
          '出具报告',
          '按期出具报告',
          '按期率（%）',
          '平均工作日（受理至报告）',
          '延期',
          '中止',
          '终止',
        ],
        rows: byCounty(view, view.cases.counties, view.cases.total, (f: CaseFigures) => [
          f.received,
          f.accepted,
          f.completed,
          f.reported,
          f.reportedOnTime,
          percent(f.onTimeRate),
          f.averageWorkdaysToReport,
          f.extensions,
          f.suspensions,
          f.terminations,
        ]),
      };
    case 'appeals':
      return {
        chart,
        title: CHART_TITLES.appeals,
        columns: ['区县', '申诉', '复核办结', '复核后结果变化', '复核后结果未变'],
        rows: byCounty(view, view.cases.counties, view.cases.total, (f: CaseFigures) => [
          f.appeals,
          f.reviewsDone,
          f.reviewsChanged,
          f.reviewsUnchanged,
        ]),
      };
    case 'departments':
      return {
        chart,
        title: CHART_TITLES.departments,
        columns: [
          '部门',
          '应报送期数',
          '按期报送',
          '逾期报送',
          '未报送',
          '及时率（%）',
          '收到批次',
          '入库批次',
          '退回批次',
          '退回率（%）',
          '重复率（%）',
          '未匹配户籍率（%）',
        ],
        rows: view.departments.map((d) => [
          d.departmentName,
          d.due,
          d.onTime,
          d.late,
          d.missing,
          percent(d.onTimeRate),
          d.batches,
          d.committed,
          d.rejected,
          percent(d.rejectionRate),
          percent(d.duplicateRate),
          percent(d.unmatchedRate),
        ]),
      };
    case 'income':
      return distributionTable(view, chart, (d) => d.income);
    case 'deposits':
      return distributionTable(view, chart, (d) => d.deposits);
    case 'vehicles':
      return distributionTable(view, chart, (d) => d.vehicles);
    case 'realEstate':
      return distributionTable(view, chart, (d) => d.realEstate);
    case 'recheck': {
      const recheck = view.recheck;
      if (!recheck.available)
        return { chart, title: CHART_TITLES.recheck, columns: ['说明'], rows: [[recheck.message]] };
      const kinds = Object.keys(view.labels.changeKinds);
      const states = Object.keys(view.labels.alertStates);
      return {
        chart,
        title: CHART_TITLES.recheck,
        columns: [
          '区县',
          '复核家庭',
          '有变化家庭',
          ...kinds.map((k) => view.labels.changeKinds[k] ?? k),
          '预警',
          '已处理预警',
          ...states.map((s) => `预警${view.labels.alertStates[s] ?? s}`),
        ],
        rows: byCounty(view, recheck.counties, recheck.total, (r) => [
          r.familiesRechecked,
          r.familiesChanged,
          ...kinds.map((k) => r.changesByKind[k] ?? 0),
          r.alerts,
          r.alertsWorked,
          ...states.map((s) => r.alertsByState[s] ?? 0),
        ]),
      };
    }
  }
}
