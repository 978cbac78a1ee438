import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
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
import type { QualityMonth } from '../api/types';
import { useI18n } from '../i18n';

// Only the parts the trend chart uses, so the chart adds little to the quality screen's chunk.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type TrendOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10000) / 100;
}

function formatPercent(value: unknown): string {
  return typeof value === 'number' ? `${value.toFixed(2)}%` : '—';
}

/** Bars: batches and rejected batches per month; lines: duplicate and unmatched-ID rates. */
export function QualityTrendChart({ trend }: { trend: readonly QualityMonth[] }) {
  const { t, locale } = useI18n();
  const option = useMemo<TrendOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 56, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: trend.map((month) => month.month) },
      yAxis: [
        { type: 'value', name: t('quality.countAxis'), minInterval: 1 },
        {
          type: 'value',
          name: t('quality.rateAxis'),
          min: 0,
          axisLabel: { formatter: '{value}%' },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          name: t('quality.trendBatches'),
          type: 'bar',
          data: trend.map((month) => month.batches),
          itemStyle: { color: '#1a5fb4' },
          barMaxWidth: 28,
        },
        {
          name: t('quality.trendRejected'),
          type: 'bar',
          data: trend.map((month) => month.rejected),
          itemStyle: { color: '#cf1322' },
          barMaxWidth: 28,
        },
        {
          name: t('quality.duplicateRate'),
          type: 'line',
          yAxisIndex: 1,
          data: trend.map((month) => percent(month.duplicateRate)),
          connectNulls: true,
          itemStyle: { color: '#d48806' },
          tooltip: { valueFormatter: formatPercent },
        },
        {
          name: t('quality.unmatchedRate'),
          type: 'line',
          yAxisIndex: 1,
          data: trend.map((month) => percent(month.unmatchedRate)),
          connectNulls: true,
          itemStyle: { color: '#531dab' },
          tooltip: { valueFormatter: formatPercent },
        },
      ],
    }),
    [trend, t],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      // The locale changes the series names; a fresh chart keeps the legend in step.
      key={locale}
      style={{ height: 320 }}
      data-testid="quality-trend-chart"
    />
  );
}
