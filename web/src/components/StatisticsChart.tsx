import { BarChart, type BarSeriesOption, PieChart, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useI18n } from '../i18n';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

const COLORS = ['#1a5fb4', '#389e0d', '#d48806', '#cf1322', '#722ed1', '#08979c', '#c41d7f', '#595959'];

export interface BarSeries {
  name: string;
  data: (number | null)[];
}

/**
 * One statistics chart: grouped bars over categories (counties side by side, buckets of a histogram, or
 * departments), or a pie of slices. `percent` shows the values as percentages (0–100).
 */
export function StatisticsChart(
  props:
    | { kind: 'bar'; categories: string[]; series: BarSeries[]; percent?: boolean; testId: string }
    | { kind: 'pie'; slices: { name: string; value: number }[]; testId: string },
) {
  const { locale } = useI18n();
  const option = useMemo<Option>(() => {
    if (props.kind === 'pie')
      return {
        color: COLORS,
        tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['35%', '65%'],
            data: props.slices,
            label: { formatter: '{b}：{c}' },
          },
        ],
      };
    const format = (value: unknown) =>
      typeof value === 'number' ? (props.percent ? `${value.toFixed(1)}%` : String(value)) : '—';
    return {
      color: COLORS,
      tooltip: { trigger: 'axis', valueFormatter: format },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 48, right: 24, top: 40, bottom: 64 },
      xAxis: {
        type: 'category',
        data: props.categories,
        axisLabel: {
          interval: 0,
          rotate: props.categories.length > 6 ? 30 : 0,
          overflow: 'truncate',
          width: 110,
        },
      },
      yAxis: {
        type: 'value',
        minInterval: props.percent ? 0 : 1,
        ...(props.percent ? { min: 0, max: 100, axisLabel: { formatter: '{value}%' } } : {}),
      },
      series: props.series.map((s) => ({ name: s.name, type: 'bar', data: s.data, barMaxWidth: 28 })),
    };
  }, [props]);
  return (
    <div data-testid={props.testId}>
      <ReactEChartsCore
        key={locale}
        echarts={echarts}
        option={option}
        notMerge
        style={{ height: 300, width: '100%' }}
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}
