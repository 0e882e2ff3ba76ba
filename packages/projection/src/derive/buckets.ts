import type { TimeSpec } from '@incidents/events';
import type { GeoLevel, Grain } from '../rows.js';
import type { ResolvedPlace } from './lifecycle.js';

/** Time and place buckets with the precision filters of §5.4. */

/** Time precisions that enter the buckets of each grain (§5.4); `year` enters none. */
export const GRAIN_TIME_PRECISIONS: Readonly<Record<Grain, readonly string[]>> = {
  day: ['minute', 'hour', 'day'],
  week: ['minute', 'hour', 'day', 'days_2_6', 'week'],
  month: ['minute', 'hour', 'day', 'days_2_6', 'week', 'month'],
};
/** Place precisions that enter admin1 buckets (with a known country and admin1). */
export const ADMIN1_PLACE_PRECISIONS: readonly string[] = ['site', 'near_site', 'adm3', 'adm2', 'adm1'];
/** Place precisions that enter site buckets (with a site id). */
export const SITE_PLACE_PRECISIONS: readonly string[] = ['site', 'near_site'];

const DAY_PRECISIONS: ReadonlySet<string> = new Set(GRAIN_TIME_PRECISIONS.day);
const WEEK_PRECISIONS: ReadonlySet<string> = new Set(GRAIN_TIME_PRECISIONS.week);
const MONTH_PRECISIONS: ReadonlySet<string> = new Set(GRAIN_TIME_PRECISIONS.month);
const ADMIN1_PRECISIONS: ReadonlySet<string> = new Set(ADMIN1_PLACE_PRECISIONS);
const SITE_PRECISIONS: ReadonlySet<string> = new Set(SITE_PLACE_PRECISIONS);

export interface TimeBucket {
  readonly grain: Grain;
  readonly period: string;
}

export interface GeoBucket {
  readonly level: GeoLevel;
  readonly key: string;
}

export function inDaySeries(time: TimeSpec): boolean {
  return DAY_PRECISIONS.has(time.precision);
}

const weeks = new Map<string, string>(); // memo: a pure function of the date

/** ISO 8601 week of a calendar date, e.g. `2023-W12` (the week-year may differ from the year). */
export function isoWeek(date: string): string {
  let week = weeks.get(date);
  if (week === undefined) {
    week = computeIsoWeek(date);
    weeks.set(date, week);
  }
  return week;
}

function computeIsoWeek(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const dayMs = 86_400_000;
  const t = Date.UTC(y, m - 1, d);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = t + (3 - weekday) * dayMs;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * dayMs));
  return `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** Buckets from `local_date`, only at grains at least as coarse as the precision. */
export function timeBuckets(time: TimeSpec): TimeBucket[] {
  const out: TimeBucket[] = [];
  if (DAY_PRECISIONS.has(time.precision)) out.push({ grain: 'day', period: time.local_date });
  if (WEEK_PRECISIONS.has(time.precision))
    out.push({ grain: 'week', period: isoWeek(time.local_date) });
  if (MONTH_PRECISIONS.has(time.precision))
    out.push({ grain: 'month', period: time.local_date.slice(0, 7) });
  return out;
}

export function geoBuckets(place: ResolvedPlace): GeoBucket[] {
  const out: GeoBucket[] = [{ level: 'all', key: '' }];
  const country = place.country_iso3;
  if (country !== null && place.precision !== 'water_air')
    out.push({ level: 'country', key: country });
  if (country !== null && place.admin1 !== null && ADMIN1_PRECISIONS.has(place.precision)) {
    out.push({ level: 'admin1', key: `${country}/${place.admin1}` });
  }
  if (place.site_id !== null && SITE_PRECISIONS.has(place.precision)) {
    out.push({ level: 'site', key: place.site_id });
  }
  return out;
}
