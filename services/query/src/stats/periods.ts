import { isoWeek, type Grain } from '@incidents/projection';

const DAY = 86_400_000;
const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);


/** The period of `grain` holding a date: the date, its ISO week, or its month. */
export function periodOf(grain: Grain, date: string): string {
  return grain === 'day' ? date : grain === 'week' ? isoWeek(date) : date.slice(0, 7);
}

/** First day of the period of `grain` that holds `date`. */
export function periodStart(grain: Grain, date: string): string {
  if (grain === 'day') return date;
  if (grain === 'month') return `${date.slice(0, 7)}-01`;
  const t = utc(date);
  return iso(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY);
}

/** Last day of the period of `grain` that holds `date`. */
export function periodEnd(grain: Grain, date: string): string {
  if (grain === 'day') return date;
  if (grain === 'week') return iso(utc(periodStart('week', date)) + 6 * DAY);
  const [y = 0, m = 1] = date.split('-').map(Number);
  return iso(Date.UTC(y, m, 1) - DAY);
}
