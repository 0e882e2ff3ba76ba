import { isoWeek } from '@incidents/projection';
import { periodEnd, periodStart } from './periods.js';

describe('periods', () => {
  it('uses ISO weeks, whose year may differ from the calendar year', () => {
    expect(isoWeek('2023-03-24')).toBe('2023-W12');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
  });

  it('widens a date to its whole period', () => {
    expect([periodStart('week', '2023-03-24'), periodEnd('week', '2023-03-24')]).toEqual(['2023-03-20', '2023-03-26']);
    expect([periodStart('month', '2024-02-10'), periodEnd('month', '2024-02-10')]).toEqual(['2024-02-01', '2024-02-29']);
    expect([periodStart('day', '2023-03-24'), periodEnd('day', '2023-03-24')]).toEqual(['2023-03-24', '2023-03-24']);
  });
});
