import { describe, expect, it } from 'vitest';
import {
  addMonths,
  checkPeriodForFrequency,
  deliveryDeadline,
  deliveryDeadlines,
  expectedPeriods,
  monthsOfPeriod,
  type PeriodResult,
  parsePeriod,
  periodContainsMonth,
  periodOfGranularity,
  periodsOverlap,
} from './period.ts';
import type { ParsedPeriod } from './types.ts';

function period(label: string): ParsedPeriod {
  const result: PeriodResult = parsePeriod(label);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe(parsePeriod.name, () => {
  it.each([
    ['2025-06', 'month', '2025-06', '2025-06'],
    ['2025-Q1', 'quarter', '2025-01', '2025-03'],
    ['2025-Q2', 'quarter', '2025-04', '2025-06'],
    ['2025-Q4', 'quarter', '2025-10', '2025-12'],
    ['2025-H1', 'half', '2025-01', '2025-06'],
    ['2025-H2', 'half', '2025-07', '2025-12'],
    ['2025', 'year', '2025-01', '2025-12'],
  ])('reads %s as a %s from %s to %s', (label, granularity, firstMonth, lastMonth) => {
    expect(parsePeriod(label)).toEqual({ ok: true, value: { label, granularity, firstMonth, lastMonth } });
  });

  it('canonicalises lower case, full-width characters and surrounding spaces', () => {
    expect(period(' 2025-q2 ').label).toBe('2025-Q2');
    expect(period('２０２５-Ｈ１').label).toBe('2025-H1');
  });

  it.each([
    '2025-13',
    '2025-00',
    '2025-6',
    '2025-Q5',
    '2025-Q0',
    '2025-H3',
    '25',
    '2025/06',
    '2025-06-01',
    '',
    '1899',
  ])('rejects %j as INVALID_PERIOD with a Chinese message', (label) => {
    const result = parsePeriod(label);
    expect(result).toMatchObject({ ok: false, code: 'INVALID_PERIOD' });
    expect(result.ok ? '' : result.message).toContain('数据期间不正确');
  });
});

describe(periodContainsMonth.name, () => {
  it('includes both ends and nothing outside', () => {
    const q2 = period('2025-Q2');
    expect(periodContainsMonth(q2, '2025-04')).toBe(true);
    expect(periodContainsMonth(q2, '2025-06')).toBe(true);
    expect(periodContainsMonth(q2, '2025-03')).toBe(false);
    expect(periodContainsMonth(q2, '2025-07')).toBe(false);
    expect(periodContainsMonth(q2, '2024-05')).toBe(false);
  });
});

describe(periodsOverlap.name, () => {
  it('finds overlap between a month and the quarter, half and year that contain it', () => {
    expect(periodsOverlap(period('2025-05'), period('2025-Q2'))).toBe(true);
    expect(periodsOverlap(period('2025-Q2'), period('2025-H1'))).toBe(true);
    expect(periodsOverlap(period('2025'), period('2025-H2'))).toBe(true);
    expect(periodsOverlap(period('2025-Q2'), period('2025-Q2'))).toBe(true);
  });

  it('finds no overlap between neighbouring periods', () => {
    expect(periodsOverlap(period('2025-H1'), period('2025-H2'))).toBe(false);
    expect(periodsOverlap(period('2025-Q2'), period('2025-07'))).toBe(false);
    expect(periodsOverlap(period('2024'), period('2025-01'))).toBe(false);
  });
});

describe(addMonths.name, () => {
  it('crosses year ends both ways', () => {
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2025-06', 18)).toBe('2026-12');
  });

  it('refuses something that is not a month', () => {
    expect(() => addMonths('2025-13', 1)).toThrow(RangeError);
  });
});

describe(monthsOfPeriod.name, () => {
  it('lists every month of a quarter', () => {
    expect(monthsOfPeriod(period('2025-Q3'))).toEqual(['2025-07', '2025-08', '2025-09']);
    expect(monthsOfPeriod(period('2025'))).toHaveLength(12);
  });
});

describe(periodOfGranularity.name, () => {
  it('finds the delivery period containing a month for each frequency', () => {
    expect(periodOfGranularity('monthly', '2025-05').label).toBe('2025-05');
    expect(periodOfGranularity('quarterly', '2025-05').label).toBe('2025-Q2');
    expect(periodOfGranularity('quarterly', '2025-12').label).toBe('2025-Q4');
    expect(periodOfGranularity('half_yearly', '2025-06').label).toBe('2025-H1');
    expect(periodOfGranularity('half_yearly', '2025-07').label).toBe('2025-H2');
    expect(periodOfGranularity('yearly', '2025-07')).toEqual(period('2025'));
  });
});

describe(deliveryDeadline.name, () => {
  it('puts a monthly period due on the 10th of the following month', () => {
    expect(deliveryDeadline('monthly', period('2025-06'))).toBe('2025-07-10');
    expect(deliveryDeadline('monthly', period('2025-12'))).toBe('2026-01-10');
  });

  it('puts quarters due on the 10th of April, July, October and January', () => {
    expect(deliveryDeadline('quarterly', period('2025-Q1'))).toBe('2025-04-10');
    expect(deliveryDeadline('quarterly', period('2025-Q2'))).toBe('2025-07-10');
    expect(deliveryDeadline('quarterly', period('2025-Q3'))).toBe('2025-10-10');
    expect(deliveryDeadline('quarterly', period('2025-Q4'))).toBe('2026-01-10');
  });

  it('puts half-years due on July 10 and January 10', () => {
    expect(deliveryDeadline('half_yearly', period('2025-H1'))).toBe('2025-07-10');
    expect(deliveryDeadline('half_yearly', period('2025-H2'))).toBe('2026-01-10');
  });

  it('puts a year due on January 10 of the next year', () => {
    expect(deliveryDeadline('yearly', period('2025'))).toBe('2026-01-10');
  });

  it('puts a month of a quarterly dataset due with its quarter', () => {
    expect(deliveryDeadline('quarterly', period('2025-05'))).toBe('2025-07-10');
  });
});

describe(deliveryDeadlines.name, () => {
  it('lists each quarter of a year batch with its own due date', () => {
    expect(deliveryDeadlines('quarterly', period('2025')).map((d) => [d.period.label, d.dueDate])).toEqual([
      ['2025-Q1', '2025-04-10'],
      ['2025-Q2', '2025-07-10'],
      ['2025-Q3', '2025-10-10'],
      ['2025-Q4', '2026-01-10'],
    ]);
  });

  it('gives the containing delivery period for a finer batch period', () => {
    expect(deliveryDeadlines('half_yearly', period('2025-Q3'))).toEqual([
      { period: period('2025-H2'), dueDate: '2026-01-10' },
    ]);
  });
});

describe(expectedPeriods.name, () => {
  it('lists the months whose due date has passed, leaving the due date itself on time', () => {
    const labels = (today: string) => expectedPeriods('monthly', '2025-03', today).map((d) => d.period.label);
    expect(labels('2025-07-10')).toEqual(['2025-03', '2025-04', '2025-05']);
    expect(labels('2025-07-11')).toEqual(['2025-03', '2025-04', '2025-05', '2025-06']);
  });

  it('starts from the delivery period that contains the first month', () => {
    expect(expectedPeriods('quarterly', '2025-02', '2025-10-11')).toEqual([
      { period: period('2025-Q1'), dueDate: '2025-04-10' },
      { period: period('2025-Q2'), dueDate: '2025-07-10' },
      { period: period('2025-Q3'), dueDate: '2025-10-10' },
    ]);
  });

  it('lists half-years and years across year ends', () => {
    const halves = expectedPeriods('half_yearly', '2024-01', '2026-01-11').map((d) => d.period.label);
    expect(halves).toEqual(['2024-H1', '2024-H2', '2025-H1', '2025-H2']);
    expect(expectedPeriods('yearly', '2024-05', '2026-01-10').map((d) => d.period.label)).toEqual(['2024']);
  });

  it('lists nothing before the first due date', () => {
    expect(expectedPeriods('monthly', '2025-06', '2025-06-30')).toEqual([]);
  });
});

describe(checkPeriodForFrequency.name, () => {
  it('accepts whole delivery periods and coarser ones', () => {
    expect(checkPeriodForFrequency('quarterly', period('2025-Q2'))).toBeNull();
    expect(checkPeriodForFrequency('quarterly', period('2025-H1'))).toBeNull();
    expect(checkPeriodForFrequency('monthly', period('2025'))).toBeNull();
  });

  it('refuses a period that cuts a delivery period', () => {
    const error = checkPeriodForFrequency('quarterly', period('2025-05'));
    expect(error?.code).toBe('INVALID_PERIOD');
    expect(error?.message).toContain('按季度报送');
    expect(checkPeriodForFrequency('half_yearly', period('2025-Q2'))?.code).toBe('INVALID_PERIOD');
  });
});
