import { z } from 'zod';
import {
  Basis,
  CalendarDate,
  CasualtyRole,
  IncidentKind,
  Iso3,
  Likelihood,
  Method,
  Outcome,
  Reliability,
  Side,
  Slug,
  SourceKind,
} from '@incidents/events';
import { ProblemError, type FieldError } from '@incidents/http';

/**
 * Query parameters of every endpoint as strict zod schemas: an unknown parameter, a
 * repeated one or a bad value is a 400 that names it. The OpenAPI document is generated
 * from these schemas (openapi.ts), so the two cannot drift.
 */

const LIKELIHOODS = Likelihood.options;
export const LIMIT_MAX = 500;
export const LIMIT_DEFAULT = 50;

/** Rank of an ICD 203 likelihood (1 = almost_no_chance … 7 = almost_certain). */
export function likelihoodRank(value: string): number {
  return LIKELIHOODS.indexOf(value as (typeof LIKELIHOODS)[number]) + 1;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 date-time with any offset, normalised to UTC with microseconds. */
export function normaliseInstant(value: string): string | undefined {
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const [, date, hms, fraction = '', offset = 'Z'] = m;
  const [hh = 0, mm = 0, ss = 0] = hms!.split(':').map(Number);
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  const ms = Date.parse(`${date}T${hms}${offset.toUpperCase()}`);
  if (Number.isNaN(ms) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return undefined;
  const utc = new Date(ms).toISOString().slice(0, 19);
  if (utc.startsWith('-') || utc.startsWith('+')) return undefined;
  return `${utc}.${fraction.padEnd(6, '0')}Z`;
}

const AsOf = z
  .string()
  .transform((s, ctx) => {
    const normal = normaliseInstant(s);
    if (normal === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 date-time with offset, e.g. 2023-03-25T23:59:59Z' });
      return z.NEVER;
    }
    return normal;
  })
  .describe('Answer as the data stood at this instant (events with time ≤ asOf, §5.7), e.g. 2023-03-25T23:59:59Z.');

const Position = z
  .string()
  .max(4096)
  .describe('Position token returned by the ingest service: wait (bounded) until the projector has passed it.');

/** A comma-separated list of values, each checked by `item`, at most `max` values. */
function list<T extends z.ZodType<string>>(item: T, what: string, max = 50) {
  return z
    .string()
    .transform((s, ctx) => {
      const values = s.split(',').map((v) => v.trim());
      if (values.length > max) {
        ctx.addIssue({ code: 'custom', message: `at most ${max} values` });
        return z.NEVER;
      }
      const out: z.output<T>[] = [];
      for (const v of values) {
        const parsed = item.safeParse(v);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v.slice(0, 100))} is not ${what}` });
          return z.NEVER;
        }
        out.push(parsed.data);
      }
      return [...new Set(out)];
    })
    .describe(`Comma-separated list of ${what}.`);
}

function enumList<T extends z.ZodEnum>(values: T, max = 50) {
  return list(values as unknown as z.ZodType<z.output<T> & string>, `one of ${values.options.join(', ')}`, max);
}

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const Limit = z
  .string()
  .regex(/^\d{1,6}$/, 'must be an integer')
  .transform(Number)
  .pipe(z.number().int().min(1, `must be between 1 and ${LIMIT_MAX}`).max(LIMIT_MAX, `must be between 1 and ${LIMIT_MAX}`))
  .describe(`Page size, 1–${LIMIT_MAX} (default ${LIMIT_DEFAULT}).`);

const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,1024}$/, 'must be a cursor returned by a previous page').describe('Opaque cursor of the next page.');

const FreeText = z.string().min(1).max(200);
const Admin1 = list(FreeText, 'an admin1 name or an <ISO3>/<admin1> key');

const common = {
  asOf: AsOf.optional(),
  position: Position.optional(),
};

const dateRange = {
  from: CalendarDate.optional().describe('First local date (YYYY-MM-DD, inclusive).'),
  to: CalendarDate.optional().describe('Last local date (YYYY-MM-DD, inclusive).'),
};

const placeFilters = {
  country: list(Iso3, 'an ISO 3166-1 alpha-3 code').optional(),
  admin1: Admin1.optional(),
  site: list(Slug, 'a site id').optional(),
};

const perpetratorFilters = {
  perpetrator: list(z.union([z.literal('none'), Slug]), 'an actor id or none')
    .optional()
    .describe('Top perpetrator actor ids (comma-separated); `none` = unattributed.'),
  minLikelihood: z.enum(LIKELIHOODS).optional().describe('Top perpetrator likelihood at least this (ICD 203).'),
};

const NotInSeries = z
  .string()
  .regex(/^(day|week|month)(:(all|country|admin1|site))?$/, 'must be day, week or month, optionally followed by :country, :admin1 or :site')
  .transform((v) => {
    const [grain, level = 'all'] = v.split(':') as [(typeof GRAINS)[number], 'all' | 'country' | 'admin1' | 'site'];
    return { grain, level };
  })
  .describe(
    'Only the counted incidents a `<grain>[:<level>]` attack series cannot hold (time or place too coarse, §5.4): the list behind `/v1/stats/attacks` `not_in_series`.',
  );

export const INCIDENT_STATUSES = ['active', 'merged', 'retracted', 'unreported'] as const;
export const INCIDENT_SORTS = ['date', '-date', 'id', '-id', 'reported', '-reported'] as const;

export const IncidentListParams = z
  .strictObject({
    ...common,
    ...dateRange,
    kind: enumList(IncidentKind).optional(),
    method: enumList(Method).optional(),
    ...placeFilters,
    ...perpetratorFilters,
    status: z
      .union([z.literal('all'), enumList(z.enum(INCIDENT_STATUSES))])
      .optional()
      .describe('Statuses to list (comma-separated) or `all`; default `active`.'),
    hasCasualties: Bool.optional().describe('true: only incidents whose own casualty tally has a best above 0; false: only the others.'),
    operation: list(Slug, 'an operation id').optional(),
    notInSeries: NotInSeries.optional(),
    sort: z.enum(INCIDENT_SORTS).optional().describe('date = local date then id (default -date); reported = report time; id.'),
    cursor: Cursor.optional(),
    limit: Limit.optional(),
  })
  .superRefine(checkRange);
export type IncidentListParams = z.output<typeof IncidentListParams>;

export const IncidentParams = z.strictObject({ ...common });

export const ATTACK_GROUPS = ['country', 'admin1', 'site', 'kind', 'method', 'perpetrator'] as const;
export const GRAINS = ['day', 'week', 'month'] as const;

export const AttackStatsParams = z
  .strictObject({
    ...common,
    grain: z.enum(GRAINS).optional().describe('Time buckets (§5.4); without it, totals over the whole range.'),
    groupBy: enumList(z.enum(ATTACK_GROUPS)).optional().describe('Dimensions to group by (comma-separated); at most one of country, admin1, site.'),
    ...dateRange,
    kind: enumList(IncidentKind).optional(),
    method: enumList(Method).optional(),
    ...placeFilters,
    ...perpetratorFilters,
  })
  .superRefine(checkRange);
export type AttackStatsParams = z.output<typeof AttackStatsParams>;

export const CASUALTY_GROUPS = ['side', 'affiliation', 'nationality', 'role', 'outcome', 'incident', 'operation'] as const;

const Nationality = z.union([z.literal('unknown'), Iso3]);

export const CasualtyStatsParams = z
  .strictObject({
    ...common,
    groupBy: enumList(z.enum(CASUALTY_GROUPS))
      .optional()
      .describe('Dimensions (comma-separated); default role,outcome,nationality. incident or operation switch to per-scope tallies.'),
    grain: z.enum(GRAINS).optional().describe('Overall tallies per time bucket (§5.6); not with incident or operation.'),
    ...dateRange,
    role: enumList(CasualtyRole).optional(),
    outcome: enumList(Outcome).optional(),
    nationality: list(Nationality, 'an ISO3 code or unknown').optional(),
    side: enumList(Side).optional(),
    affiliation: list(Slug, 'an actor id').optional(),
    incident: list(Slug, 'an incident id').optional().describe('Only these incidents (implies per-incident tallies).'),
    operation: list(Slug, 'an operation id').optional().describe('Only these operations (implies per-operation tallies).'),
  })
  .superRefine(checkRange);
export type CasualtyStatsParams = z.output<typeof CasualtyStatsParams>;

export const ResponseParams = z.strictObject({
  ...common,
  trigger: list(Slug, 'an incident id').optional().describe('Trigger incident ids.'),
  response: list(Slug, 'an incident or operation id').optional().describe('Response incident or operation ids.'),
  incident: list(Slug, 'an incident id').optional().describe('Edges whose trigger or response is one of these incidents.'),
  link: list(Slug, 'a link id').optional(),
  basis: enumList(Basis).optional(),
  minLikelihood: z.enum(LIKELIHOODS).optional(),
  cursor: Cursor.optional(),
  limit: Limit.optional(),
});
export type ResponseParams = z.output<typeof ResponseParams>;

export const ExternalStatParams = z.strictObject({
  ...common,
  metric: list(Slug, 'a metric slug').optional(),
  country: list(Iso3, 'an ISO3 code').optional().describe('Statistics whose geography includes one of these countries.'),
});

export const SourceParams = z.strictObject({
  ...common,
  registered: Bool.optional(),
  kind: enumList(SourceKind).optional(),
  reliability: enumList(Reliability).optional(),
});

export const ActorParams = z.strictObject({
  ...common,
  registered: Bool.optional(),
  actorType: list(z.enum(['1', '2', '3', '4', '5', '6', '7', '8']), 'an ACLED actor type 1–8').optional(),
});

export const SiteParams = z.strictObject({
  ...common,
  registered: Bool.optional(),
  country: list(Iso3, 'an ISO3 code').optional(),
});

export const ChangeParams = z.strictObject({
  since: AsOf.optional().describe(
    'Changes recorded after this instant (RFC 3339), for a first call: an event recorded in a transaction that began before the instant but committed after it is not listed; follow next_cursor to miss nothing.',
  ),
  cursor: Cursor.optional().describe('next_cursor of a previous answer: changes recorded after it (exact, no overlap).'),
  limit: z
    .string()
    .regex(/^\d{1,6}$/, 'must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be between 1 and 5000').max(5000, 'must be between 1 and 5000'))
    .optional()
    .describe('Most changes per answer, 1–5000 (default 1000).'),
  position: Position.optional(),
});
export type ChangeParams = z.output<typeof ChangeParams>;

export const ProjectionParams = z.strictObject({});

export const IdPath = z.strictObject({ id: Slug });

function checkRange(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.from !== undefined && value.to !== undefined && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  }
}

/** Every parameter's name and zod issues as problem-detail field errors. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ parameter: key, code: 'unknown_parameter', detail: `unknown parameter ${key}` });
      continue;
    }
    out.push({ parameter: String(issue.path[0] ?? ''), code: issue.code, detail: issue.message });
  }
  return out;
}

/** Parses a request's query (or path) parameters or throws a 400 naming each bad one. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, where = 'query'): z.output<S> {
  const values = (input ?? {}) as Record<string, unknown>;
  const repeated: FieldError[] = Object.entries(values)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k]) => ({ parameter: k, code: 'repeated_parameter', detail: 'given more than once; give one (comma-separated) value' }));
  const result = repeated.length > 0 ? undefined : schema.safeParse(values);
  if (result?.success) return result.data;
  const errors = result ? fieldErrors(result.error) : repeated;
  const names = [...new Set(errors.map((e) => e.parameter))].join(', ');
  throw new ProblemError(400, 'invalid-parameter', 'Invalid parameter', `Invalid ${where} parameter(s): ${names}.`, errors);
}
