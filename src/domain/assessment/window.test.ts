import { describe, expect, it } from 'vitest';
import { divideRounded } from './fen.ts';
import {
  addMonths,
  isDate,
  lookBackWindow,
  monthsBetween,
  spreadEvenly,
  spreadOverWindow,
  windowContains,
} from './window.ts';

describe(lookBackWindow.name, () => {
  it('ends at the as-of month and holds the given number of months', () => {
    const window = lookBackWindow('2025-06', 12);
    expect(window.firstMonth).toBe('2024-07');
    expect(window.lastMonth).toBe('2025-06');
    expect(window.months).toHaveLength(12);
    expect(window.months[0]).toBe('2024-07');
    expect(window.months[11]).toBe('2025-06');
  });

  it('crosses year ends and may be a single month', () => {
    expect(lookBackWindow('2025-02', 3).months).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(lookBackWindow('2025-02', 1).months).toEqual(['2025-02']);
  });

  it('refuses a malformed month or an empty window', () => {
    expect(() => lookBackWindow('2025-13', 12)).toThrow(RangeError);
    expect(() => lookBackWindow('2025-06', 0)).toThrow(RangeError);
  });

  it('contains exactly its own months', () => {
    const window = lookBackWindow('2025-06', 12);
    expect(windowContains(window, '2024-07')).toBe(true);
    expect(windowContains(window, '2024-06')).toBe(false);
    expect(windowContains(window, '2025-07')).toBe(false);
  });
});

describe(monthsBetween.name, () => {
  it('lists both ends and nothing when the end comes first', () => {
    expect(monthsBetween('2024-11', '2025-01')).toEqual(['2024-11', '2024-12', '2025-01']);
    expect(monthsBetween('2025-01', '2024-12')).toEqual([]);
    expect(addMonths('2025-01', -1)).toBe('2024-12');
  });
});

describe(isDate.name, () => {
  it('accepts real calendar days only', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2025-02-29')).toBe(false);
    expect(isDate('2025-6-30')).toBe(false);
  });
});

describe(spreadEvenly.name, () => {
  it('gives the leftover fen to the earliest months so the parts sum to the amount', () => {
    expect(spreadEvenly(100_000, '2024-06', '2024-08').map((part) => part.amountFen)).toEqual([
      33_334, 33_333, 33_333,
    ]);
    expect(spreadEvenly(2, '2025-01', '2025-03').map((part) => part.amountFen)).toEqual([1, 1, 0]);
  });

  it('divides evenly when it can and keeps one-month amounts whole', () => {
    expect(spreadEvenly(900, '2025-01', '2025-03').map((part) => part.amountFen)).toEqual([300, 300, 300]);
    expect(spreadEvenly(12_345, '2025-01', '2025-01')).toEqual([{ month: '2025-01', amountFen: 12_345 }]);
  });

  it('spreads a negative amount by its magnitude', () => {
    expect(spreadEvenly(-100, '2025-01', '2025-03').map((part) => part.amountFen)).toEqual([-34, -33, -33]);
  });

  it('refuses a period that ends before it starts and fractions of a fen', () => {
    expect(() => spreadEvenly(100, '2025-03', '2025-01')).toThrow(RangeError);
    expect(() => spreadEvenly(10.5, '2025-01', '2025-03')).toThrow(RangeError);
  });
});

describe(spreadOverWindow.name, () => {
  it('keeps only the parts of a straddling amount that fall inside the window', () => {
    const window = lookBackWindow('2025-06', 12);
    const { inside, outside } = spreadOverWindow(100_000, '2024-06', '2024-08', window);
    expect(inside).toEqual([
      { month: '2024-07', amountFen: 33_333 },
      { month: '2024-08', amountFen: 33_333 },
    ]);
    expect(outside).toEqual([{ month: '2024-06', amountFen: 33_334 }]);
  });
});

describe(divideRounded.name, () => {
  it('rounds halves away from zero and everything else to the nearest fen', () => {
    expect(divideRounded(36, 24)).toBe(2);
    expect(divideRounded(30, 24)).toBe(1);
    expect(divideRounded(-36, 24)).toBe(-2);
    expect(divideRounded(-30, 24)).toBe(-1);
    expect(divideRounded(9_646_666, 24)).toBe(401_944);
    expect(divideRounded(0, 7)).toBe(0);
  });

  it('refuses a zero divisor', () => {
    expect(() => divideRounded(1, 0)).toThrow(RangeError);
  });
});
