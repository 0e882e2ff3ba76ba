import { z } from 'zod';
import {
  CalendarDate,
  Instant,
  Iso3,
  Name,
  Note,
  PubTime,
  Quote,
  Raw,
  Short,
  Slug,
  Tz,
  Url,
  compareInstants,
  issue,
  localDateOf,
  onceValid,
  report,
  uniqueArray,
} from './primitives.js';

/** Admiralty source reliability: `A` completely reliable … `E` unreliable, `F` cannot be judged. */
export const Reliability = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
export type Reliability = z.infer<typeof Reliability>;

/** ICD 203 likelihood, from `almost_no_chance` (1–5 %) to `almost_certain` (95–99 %). */
export const Likelihood = z.enum([
  'almost_no_chance',
  'very_unlikely',
  'unlikely',
  'roughly_even',
  'likely',
  'very_likely',
  'almost_certain',
]);
export type Likelihood = z.infer<typeof Likelihood>;

/** What an attribution or link rests on. */
export const Basis = z.enum([
  'self_declared',
  'official_assessment',
  'intelligence_assessment',
  'analyst',
  'media',
  'inference',
]);
export type Basis = z.infer<typeof Basis>;

/** How the desk checked an event. */
export const Verification = z.enum(['verified_public', 'seed_only', 'derived', 'unverified']);
export type Verification = z.infer<typeof Verification>;

/** Optional in every `data`: shown in timelines, never changes a number. */
export const Provenance = z.strictObject({
  verification: Verification,
  evidence: uniqueArray(Url, 1, 20).optional(),
  note: Note.optional(),
});
export type Provenance = z.infer<typeof Provenance>;

/** Who makes a claim; `credibility` is the Admiralty information grade (1 confirmed … 6 cannot be judged). */
export const SourceRef = z.strictObject({
  source_id: Slug,
  published_at: PubTime.optional(),
  url: Url.optional(),
  quote: Quote.optional(),
  credibility: z.int().min(1).max(6).optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const CountQualifier = z.enum(['exact', 'approx', 'at_least', 'at_most', 'vague']);
export type CountQualifier = z.infer<typeof CountQualifier>;

const CountComponent = z.int().min(0).max(1_000_000).nullable();
const COMPONENTS = ['low', 'best', 'high'] as const;

/** The number a qualifier needs; `exact` needs all three. */
const NEEDED: Record<CountQualifier, readonly (typeof COMPONENTS)[number][]> = {
  exact: COMPONENTS,
  approx: ['best'],
  at_least: ['low'],
  at_most: ['high'],
  vague: [],
};

/**
 * A claimed number as UCDP low/best/high with a qualifier. All four keys are required and the
 * numbers are nullable; `low ≤ best ≤ high` over the non-null values. `exact` means
 * low = best = high, `approx` needs `best`, `at_least` needs `low`, `at_most` needs `high`,
 * and a `vague` count has words only (in `raw`), no numbers.
 */
export const Count = z
  .strictObject({
    low: CountComponent,
    best: CountComponent,
    high: CountComponent,
    qualifier: CountQualifier,
    raw: Raw.optional(),
  })
  .superRefine(
    (count, ctx) => {
      for (const key of NEEDED[count.qualifier]) {
        if (count[key] === null) {
          report(ctx, [key], 'qualifier_mismatch', `${count.qualifier} needs ${key}`);
        }
      }
      const numbers = COMPONENTS.map((key) => count[key]);
      if (count.qualifier === 'exact' && !numbers.includes(null) && new Set(numbers).size > 1) {
        report(ctx, ['qualifier'], 'qualifier_mismatch', 'exact needs low = best = high');
      }
      if (count.qualifier === 'vague') {
        for (const key of COMPONENTS) {
          if (count[key] !== null) {
            report(ctx, [key], 'qualifier_mismatch', 'a vague count has no numbers');
          }
        }
      }
    },
    onceValid('low', 'best', 'high', 'qualifier'),
  )
  .superRefine(
    (count, ctx) => {
      const present = COMPONENTS.filter((key) => count[key] !== null);
      for (let i = 1; i < present.length; i++) {
        const lower = present[i - 1]!;
        const upper = present[i]!;
        if (count[lower]! > count[upper]!) {
          report(ctx, [lower], 'out_of_order', `${lower} must not exceed ${upper}`);
        }
      }
    },
    onceValid('low', 'best', 'high'),
  );
export type Count = z.infer<typeof Count>;

export const TimePrecision = z.enum(['minute', 'hour', 'day', 'days_2_6', 'week', 'month', 'year']);
export type TimePrecision = z.infer<typeof TimePrecision>;

const DAY_OR_FINER: readonly TimePrecision[] = ['minute', 'hour', 'day'];

/**
 * When something happened. `start` is required for `minute` and `hour`; `end` requires
 * `start`, and `start ≤ end`. With `start` and precision `day` or finer, `local_date` is the
 * date of `start` in `tz`.
 */
export const TimeSpec = z
  .strictObject({
    start: Instant.optional(),
    end: Instant.optional(),
    local_date: CalendarDate,
    tz: Tz,
    precision: TimePrecision,
  })
  .superRefine((time, ctx) => {
    if (time.start !== undefined) return;
    if (time.precision === 'minute' || time.precision === 'hour') {
      report(ctx, ['start'], 'required', `precision ${time.precision} needs start`);
    } else if (time.end !== undefined) {
      report(ctx, ['start'], 'required', 'end needs start');
    }
  }, onceValid('precision'))
  .superRefine(
    (time, ctx) => {
      if (
        time.start !== undefined &&
        time.end !== undefined &&
        compareInstants(time.start, time.end) > 0
      ) {
        report(ctx, ['end'], 'out_of_order', 'end must not precede start');
      }
    },
    onceValid('start', 'end'),
  )
  .superRefine(
    (time, ctx) => {
      if (time.start === undefined || !DAY_OR_FINER.includes(time.precision)) return;
      const expected = localDateOf(time.start, time.tz);
      if (expected !== time.local_date) {
        report(
          ctx,
          ['local_date'],
          'local_date_mismatch',
          `start falls on ${expected} in ${time.tz}`,
        );
      }
    },
    onceValid('start', 'local_date', 'tz', 'precision'),
  );
export type TimeSpec = z.infer<typeof TimeSpec>;

export const PlacePrecision = z.enum([
  'site',
  'near_site',
  'adm3',
  'adm2',
  'adm1',
  'region',
  'country',
  'water_air',
]);
export type PlacePrecision = z.infer<typeof PlacePrecision>;

const placeFields = {
  name: Name.optional(),
  country_iso3: Iso3.optional(),
  admin1: Short.optional(),
  admin2: Short.optional(),
  admin3: Short.optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  radius_km: z.number().min(0).max(1000).optional(),
};

function latLonTogether(place: { lat?: number; lon?: number }, ctx: z.RefinementCtx): void {
  if (place.lat === undefined && place.lon !== undefined) {
    report(ctx, ['lat'], 'required', 'lon needs lat');
  }
  if (place.lon === undefined && place.lat !== undefined) {
    report(ctx, ['lon'], 'required', 'lat needs lon');
  }
}

const NEEDS_ADMIN1: readonly PlacePrecision[] = ['adm3', 'adm2', 'adm1'];

/**
 * Where something happened. `site` requires `site_id`. Without `site_id`, `name` and
 * `country_iso3` are required (`country_iso3` is optional for `water_air`), and `adm3`, `adm2`
 * and `adm1` also require `admin1`. `lat` and `lon` come together.
 */
export const PlaceSpec = z
  .strictObject({ site_id: Slug.optional(), ...placeFields, precision: PlacePrecision })
  .superRefine((place, ctx) => {
    const required = (key: string, why: string) => report(ctx, [key], 'required', why);
    if (place.site_id !== undefined) return;
    if (place.precision === 'site') required('site_id', 'precision site needs site_id');
    if (place.name === undefined) required('name', 'a place without site_id needs name');
    if (place.country_iso3 === undefined && place.precision !== 'water_air') {
      required('country_iso3', 'a place without site_id needs country_iso3');
    }
    if (place.admin1 === undefined && NEEDS_ADMIN1.includes(place.precision)) {
      required('admin1', `precision ${place.precision} without site_id needs admin1`);
    }
  }, onceValid('precision'))
  .superRefine(latLonTogether, onceValid());
export type PlaceSpec = z.infer<typeof PlaceSpec>;

/** `SiteRegistered.place`: a PlaceSpec without `site_id`, `name` and `country_iso3` required, precision `site` or `near_site`. */
export const SitePlace = z
  .strictObject({
    ...placeFields,
    name: Name,
    country_iso3: Iso3,
    precision: z.enum(['site', 'near_site']),
  })
  .superRefine(latLonTogether, onceValid());
export type SitePlace = z.infer<typeof SitePlace>;

export const Side = z.enum(['attacker', 'target', 'third_party']);
export type Side = z.infer<typeof Side>;
export const CasualtyRole = z.enum([
  'service_member',
  'contractor',
  'civilian',
  'militant',
  'state_security',
  'unknown',
]);
export type CasualtyRole = z.infer<typeof CasualtyRole>;
export const Outcome = z.enum([
  'killed',
  'wounded',
  'injured_tbi',
  'injured_unspecified',
  'wounded_or_injured',
  'missing',
  'captured',
]);
export type Outcome = z.infer<typeof Outcome>;
export const Severity = z.enum(['minor', 'serious', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** Who was harmed. The segment key is (`role`, `outcome`, `nationality_iso3`). */
export const Segment = z.strictObject({
  side: Side,
  affiliation_actor_id: Slug.optional(),
  nationality_iso3: Iso3.optional(),
  role: CasualtyRole,
  outcome: Outcome,
  severity: Severity.optional(),
});
export type Segment = z.infer<typeof Segment>;

type ScopeShape =
  { incident_id: string; operation_id?: never } | { operation_id: string; incident_id?: never };

/** The stream a casualty claim belongs to: `{ incident_id }` or `{ operation_id }`, exactly one key. */
export const Scope = z
  .strictObject({ incident_id: Slug.optional(), operation_id: Slug.optional() })
  .refine(
    (scope): scope is ScopeShape =>
      (scope.incident_id === undefined) !== (scope.operation_id === undefined),
    {
      ...issue('exactly_one', 'needs exactly one of incident_id and operation_id'),
      ...onceValid(),
    },
  );
export type Scope = z.infer<typeof Scope>;
