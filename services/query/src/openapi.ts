import { z } from 'zod';
import * as P from './params.js';
import * as R from './responses.js';

type Access = 'public' | 'read' | 'admin';

interface Endpoint {
  path: string;
  summary: string;
  params: z.ZodObject;
  pathParams?: z.ZodObject;
  response: z.ZodType;
  access: Access;
  description?: string;
}

/** Every data endpoint with the schemas that parse its parameters and shape its answer. */
export const ENDPOINTS: Endpoint[] = [
  {
    path: '/v1/incidents',
    summary: 'List incidents (filtered, sorted, keyset-paginated)',
    params: P.IncidentListParams,
    response: R.IncidentList,
    access: 'read',
  },
  {
    path: '/v1/incidents/{id}',
    summary: 'One incident: state, figures and the claims behind them, attribution, responses, discrepancies, timeline',
    description: 'A merged incident answers 200 with `merged_into` pointing at the incident it was merged into (also a `Link: rel="canonical"` header).',
    params: P.IncidentParams,
    pathParams: P.IdPath,
    response: R.IncidentDetail,
    access: 'read',
  },
  {
    path: '/v1/stats/attacks',
    summary: 'Attack counts per day/week/month and/or grouped by place, kind, method, perpetrator',
    description: 'Incidents too imprecise (in time or place) for the rows are counted in `not_in_series`, never dropped.',
    params: P.AttackStatsParams,
    response: R.AttackStats,
    access: 'read',
  },
  {
    path: '/v1/stats/casualties',
    summary: 'Casualty tallies (low/best/high) grouped by side, affiliation, nationality, role, outcome, incident, operation',
    params: P.CasualtyStatsParams,
    response: R.CasualtyStats,
    access: 'read',
  },
  {
    path: '/v1/responses',
    summary: 'Attack → response links with basis, likelihood and time lag',
    params: P.ResponseParams,
    response: R.ResponseList,
    access: 'read',
  },
  { path: '/v1/external-stats', summary: 'Third-party statistics (context, never summed)', params: P.ExternalStatParams, response: R.ExternalStatList, access: 'read' },
  { path: '/v1/sources', summary: 'Information sources with reliability', params: P.SourceParams, response: R.SourceList, access: 'read' },
  { path: '/v1/actors', summary: 'Actors and their asserted relations', params: P.ActorParams, response: R.ActorList, access: 'read' },
  { path: '/v1/sites', summary: 'Sites with place and defence posture history', params: P.SiteParams, response: R.SiteList, access: 'read' },
  {
    path: '/v1/changes',
    summary: 'What changed (new, amended, merged, retracted, …) since a time or a cursor',
    params: P.ChangeParams,
    response: R.ChangeList,
    access: 'read',
  },
  {
    path: '/v1/projections',
    summary: 'Projection offsets and lag per partition (operational)',
    params: P.ProjectionParams,
    response: R.ProjectionList,
    access: 'admin',
  },
];

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodObject, where: 'query' | 'path') {
  return Object.entries(schema.shape).map(([name, field]) => {
    const f = field as z.ZodType;
    const { description, ...s } = jsonSchema(f, 'input');
    return {
      name,
      in: where,
      required: where === 'path' || !f.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: s,
    };
  });
}

const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    stale: { type: 'boolean' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'detail'],
        properties: { parameter: { type: 'string', description: 'the query or path parameter at fault' }, code: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
};

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** The OpenAPI 3.1 document of the query API, generated from the zod schemas above. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const e of ENDPOINTS) {
    const responses: Record<string, unknown> = {
      '200': {
        description: 'OK. `X-Data-Stale: true` when a position token was not reached in time.',
        headers: {
          ETag: { schema: { type: 'string' } },
          'X-Data-Stale': { schema: { type: 'string', enum: ['true'] } },
        },
        content: { 'application/json': { schema: jsonSchema(e.response, 'output') } },
      },
      '304': { description: 'Not modified (If-None-Match matched the ETag).' },
      '400': problem('A parameter is unknown, repeated or invalid; `errors[].parameter` names it.'),
      '401': problem('Keys are configured and the request has no valid key.'),
      '500': problem('Internal error (never expected).'),
      '503': problem('PostgreSQL unavailable (Retry-After).'),
    };
    if (e.pathParams) responses['404'] = problem('No such resource.');
    if ('asOf' in e.params.shape) responses['422'] = problem('The asOf answer would project more stored events than QUERY_AS_OF_MAX_EVENTS allows; `errors[].parameter` is asOf.');
    if (e.access === 'admin') responses['403'] = problem('An admin key is required.');
    paths[e.path] = {
      get: {
        summary: e.summary,
        ...(e.description ? { description: e.description } : {}),
        security: [{}, { bearer: [] }],
        parameters: [...(e.pathParams ? parameters(e.pathParams, 'path') : []), ...parameters(e.params, 'query')],
        responses,
      },
    };
  }
  paths['/'] = { get: { summary: 'Dashboard page (HTML) reading this API', security: [], responses: { '200': { description: 'text/html' } } } };
  paths['/openapi.json'] = { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } };
  paths['/health/live'] = { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'The process answers.' } } } };
  paths['/health/ready'] = {
    get: {
      summary: 'Readiness (PostgreSQL reachable, tables present)',
      security: [],
      responses: { '200': { description: 'Ready.' }, '503': { description: 'PostgreSQL does not answer.' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Incident query API',
      version: '1.0.0',
      description:
        'Read models of the incident platform for dashboards. Every data endpoint takes `asOf` (figures as known at that instant, §5.7) and `position` (read-your-writes token from the ingest service). Unknown parameters are a 400.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Optional: when the deployment configures read keys, data endpoints need one; /v1/projections needs an admin key once any key is configured.',
        },
      },
      schemas: { Problem },
    },
    paths,
  };
}
