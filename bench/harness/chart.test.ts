import { describe, expect, it } from 'vitest';
import { renderChart } from './chart.ts';

describe('bench chart', () => {
  it('draws one bar per value, scaled to the largest of its panel, and marks unmeasured ones', () => {
    const svg = renderChart('标题 <x>', [
      {
        title: '单户核对延迟 p99',
        unit: '毫秒',
        bars: [
          { label: 'Hedui · SQLite', value: 40, kind: 'hedui' },
          { label: 'DuckDB', value: 10, kind: 'reference' },
          { label: '未跑', value: null, kind: 'hedui' },
        ],
      },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('标题 &lt;x&gt;');
    const widths = [...svg.matchAll(/<rect x="250" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeCloseTo(4 * (widths[1] as number), 5);
    expect(widths[2]).toBe(0);
    expect(svg).toContain('>未测<');
    expect(svg).toContain('fill="#8c8c8c"');
  });
});
