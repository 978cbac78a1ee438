import { BarChart, type BarSeriesOption } from 'echarts/charts';
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
import type { AgencyPunctuality } from '../api/case-dashboard';
import { useI18n } from '../i18n';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type RateOption = echarts.ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

function formatPercent(value: unknown): string {
  return typeof value === 'number' ? `${value.toFixed(1)}%` : '—';
}

/** Bars per agency: reports on time and acceptances on time, in percent of those counted in the period. */
export function OnTimeRateChart({ agencies }: { agencies: readonly AgencyPunctuality[] }) {
  const { t, locale } = useI18n();
  const option = useMemo<RateOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: formatPercent },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 48 },
      xAxis: {
        type: 'category',
        data: agencies.map((agency) => agency.agencyName.replace(/（合成演示）$/, '')),
        axisLabel: { interval: 0, overflow: 'truncate', width: 140 },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('caseDashboard.onTimeRate'),
          type: 'bar',
          data: agencies.map((agency) => percent(agency.onTimeRate)),
          itemStyle: { color: '#1a5fb4' },
          barMaxWidth: 32,
        },
        {
          name: t('caseDashboard.acceptanceOnTimeRate'),
          type: 'bar',
          data: agencies.map((agency) => percent(agency.acceptanceOnTimeRate)),
          itemStyle: { color: '#389e0d' },
          barMaxWidth: 32,
        },
      ],
    }),
    [agencies, t],
  );
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      key={locale}
      style={{ height: 320 }}
      data-testid="case-dashboard-chart"
    />
  );
}
