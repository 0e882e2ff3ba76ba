// HTTP behaviour of the query service over the seed: 400/404 paths, ETag/304 and caching,
// keys, health, keyset pagination under inserts, read-your-writes and stale answers, and a
// fast-check property over query parameters (never a 5xx; every 200 matches the OpenAPI schema).
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createPool } from '@incidents/db';
import { encodePosition } from '@incidents/kafka';
import { loadConfig } from '@incidents/config';
import { listen, type RunningServer } from '@incidents/http';
import { createLogger } from '@incidents/telemetry';
import { buildQueryApp } from '../services/query/src/app.js';
import { QueryConfig } from '../services/query/src/config.js';
import { ENDPOINTS } from '../services/query/src/openapi.js';
import { postEvents, request, sha256 } from './support/http.js';
import { databaseUrl } from './support/infra.js';
import { seedEvents } from './support/seed.js';
import { OpenApiChecker } from './query-support/openapi.js';
import { startQueryStack, type QueryStack } from './query-support/stack.js';

let stack: QueryStack;
let openapi: OpenApiChecker;
let doc: { openapi: string; paths: Record<string, { get: { parameters?: { name: string; in: string }[] } }> };

beforeAll(async () => {
  stack = await startQueryStack();
  doc = (await request(`${stack.query.url}/openapi.json`)).body as typeof doc;
  openapi = new OpenApiChecker(doc as unknown as ConstructorParameters<typeof OpenApiChecker>[0]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const url = (path: string) => `${stack.query.url}${path}`;

interface Problem {
  type: string;
  status: number;
  errors?: { parameter?: string; code: string }[];
}

/** A fresh incident report, shaped like the seed's i5 report, recorded now. */
function newIncident(id: string) {
  const template = seedEvents().find((e) => e.type === 'IncidentReported' && e.subject === 'incident/i5-gv-uavs')!;
  return {
    ...template,
    id: `query-test-${randomUUID()}`,
    subject: `incident/${id}`,
    time: new Date().toISOString(),
    data: { ...(template.data as object), incident_id: id },
  };
}

describe('400: bad parameters name the parameter (RFC 9457)', () => {
  it.each([
    ['/v1/incidents?colour=red', 'colour'],
    ['/v1/incidents?from=2023-13-01', 'from'],
    ['/v1/incidents?from=2023-03-25&to=2023-03-01', 'to'],
    ['/v1/incidents?limit=0', 'limit'],
    ['/v1/incidents?limit=501', 'limit'],
    ['/v1/incidents?limit=-5', 'limit'],
    ['/v1/incidents?sort=munitions', 'sort'],
    ['/v1/incidents?cursor=not-a-cursor', 'cursor'],
    ['/v1/incidents?status=deleted', 'status'],
    ['/v1/incidents?hasCasualties=yes', 'hasCasualties'],
    ['/v1/incidents?minLikelihood=probable', 'minLikelihood'],
    ['/v1/incidents?kind=attack&kind=other', 'kind'],
    ['/v1/incidents?asOf=yesterday', 'asOf'],
    ['/v1/incidents?asOf=2023-03-25', 'asOf'],
    ['/v1/incidents?position=garbage!', 'position'],
    ['/v1/incidents?notInSeries=year', 'notInSeries'],
    ['/v1/incidents?notInSeries=week:planet', 'notInSeries'],
    ['/v1/incidents/Not_A_Slug', 'id'],
    ['/v1/incidents/i1-rlz-uav?limit=5', 'limit'],
    ['/v1/stats/attacks?groupBy=weather', 'groupBy'],
    ['/v1/stats/attacks?grain=year', 'grain'],
    ['/v1/stats/attacks?groupBy=site,country', 'groupBy'],
    ['/v1/stats/attacks?groupBy=site&country=SYR', 'country'],
    ['/v1/stats/casualties?groupBy=method', 'groupBy'],
    ['/v1/stats/casualties?groupBy=incident,operation', 'groupBy'],
    ['/v1/stats/casualties?grain=day&groupBy=incident', 'grain'],
    ['/v1/stats/casualties?from=2023-03-01', 'from'],
    ['/v1/stats/casualties?nationality=usa', 'nationality'],
    ['/v1/responses?minLikelihood=maybe', 'minLikelihood'],
    ['/v1/external-stats?country=Syria', 'country'],
    ['/v1/sources?reliability=G', 'reliability'],
    ['/v1/actors?actorType=9', 'actorType'],
    ['/v1/sites?registered=1', 'registered'],
    ['/v1/changes?since=2023-03-25', 'since'],
    ['/v1/changes?cursor=abc', 'cursor'],
    ['/v1/changes?asOf=2023-03-25T00:00:00Z', 'asOf'],
    ['/v1/projections?verbose=true', 'verbose'],
  ])('%s → 400 naming %s', async (path, parameter) => {
    const res = await request(url(path));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const problem = res.body as Problem;
    expect(problem).toMatchObject({ type: 'urn:incidents:problem:invalid-parameter', status: 400 });
    expect(problem.errors?.map((e) => e.parameter)).toContain(parameter);
  });

  it('rejects a position token of another topic', async () => {
    const token = encodePosition({ topic: 'some-other-topic', partitions: { 0: '1' } });
    const res = await request(url(`/v1/incidents?position=${token}`));
    expect(res.status).toBe(400);
    expect((res.body as Problem).errors).toEqual([expect.objectContaining({ parameter: 'position', code: 'other_topic' })]);
  });

  it('rejects a cursor of another sort', async () => {
    const first = await request(url('/v1/incidents?sort=id&limit=1'));
    const cursor = (first.body as { next_cursor: string }).next_cursor;
    const res = await request(url(`/v1/incidents?sort=-id&limit=1&cursor=${cursor}`));
    expect(res.status).toBe(400);
    expect((res.body as Problem).errors?.[0]?.parameter).toBe('cursor');
  });
});

describe('404', () => {
  it.each([
    '/v1/incidents/no-such-incident',
    // seed-alomar-7rockets was reported at 12:00 on 25 March: it does not exist before.
    '/v1/incidents/seed-alomar-7rockets?asOf=2023-03-25T11:59:59Z',
    '/v1/no-such-resource',
  ])('%s → 404 problem', async (path) => {
    const res = await request(url(path));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((res.body as Problem).status).toBe(404);
  });

  it('answers the incident as of a time after its report', async () => {
    const res = await request(url('/v1/incidents/seed-alomar-7rockets?asOf=2023-03-25T12:30:00Z'));
    expect(res.status).toBe(200);
    expect((res.body as { incident: { status: string }; as_of: string }).incident.status).toBe('active');
    expect((res.body as { as_of: string }).as_of).toBe('2023-03-25T12:30:00.000000Z');
  });
});

describe('caching', () => {
  it.each(['/v1/incidents', '/v1/incidents/i3-gv-rockets', '/v1/stats/attacks?grain=week', '/v1/stats/casualties?asOf=2023-03-31T23:59:59Z', '/v1/changes'])(
    '%s: ETag, then If-None-Match → 304 with no body',
    async (path) => {
      const first = await request(url(path));
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      // fetch() adds "Cache-Control: no-cache" (a forced reload) to conditional requests unless one is set.
      const again = await request(url(path), { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const other = await request(url(path), { headers: { 'if-none-match': 'W/"something-else"', 'cache-control': 'max-age=0' } });
      expect(other.status).toBe(200);
    },
  );

  it('a large answer goes gzip-compressed only to clients that accept gzip, with the same ETag and JSON', async () => {
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get(url(path), { headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const path = '/v1/stats/attacks?grain=day&groupBy=kind,method';
    const plain = await raw(path, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThanOrEqual(1024);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    const packed = await raw(path, { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.headers.vary).toMatch(/Accept-Encoding/i);
    expect(Number(packed.headers['content-length'])).toBe(packed.body.length);
    expect(packed.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(packed.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    expect(packed.headers.etag).toBe(plain.headers.etag);
    const refused = await raw(path, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const small = await raw('/v1/incidents?limit=1&status=retracted', { 'accept-encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('current answers may be cached briefly, as-of answers longer, live ones must revalidate', async () => {
    expect((await request(url('/v1/incidents'))).headers.get('cache-control')).toBe('public, max-age=5');
    expect((await request(url('/v1/incidents?asOf=2023-03-25T00:00:00Z'))).headers.get('cache-control')).toBe('public, max-age=60');
    expect((await request(url('/v1/changes'))).headers.get('cache-control')).toBe('public, no-cache');
    expect((await request(url('/v1/projections'))).headers.get('cache-control')).toBe('private, no-cache');
  });
});

describe('keys', () => {
  const READ = 'query-read-key-0123456789';
  const ADMIN = 'query-admin-key-0123456789';
  let keyed: RunningServer;

  beforeAll(async () => {
    keyed = await stack.extraQuery({ QUERY_READ_KEYS: sha256(READ), QUERY_ADMIN_KEYS: sha256(ADMIN) });
  });

  const as = (key: string | undefined, path: string) =>
    request(`${keyed.url}${path}`, key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } });

  it('needs a read key for data and an admin key for operational endpoints', async () => {
    expect((await as(undefined, '/v1/incidents')).status).toBe(401);
    expect((await as('wrong-key', '/v1/incidents')).status).toBe(401);
    const ok = await as(READ, '/v1/incidents');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('private, max-age=5');
    expect(ok.headers.get('vary')).toMatch(/Authorization/i);
    expect((await as(ADMIN, '/v1/stats/casualties')).status).toBe(200);
    expect((await as(READ, '/v1/projections')).status).toBe(403);
    expect((await as(undefined, '/v1/projections')).status).toBe(401);
    expect((await as(ADMIN, '/v1/projections')).status).toBe(200);
  });

  it('leaves the page, the OpenAPI document and health open', async () => {
    for (const path of ['/', '/openapi.json', '/health/live', '/health/ready']) expect((await as(undefined, path)).status).toBe(200);
  });
});

/** A query app on its own pool (another schema or an unreachable server). */
async function appOn(databaseUrl: string, schema: string) {
  const pool = createPool({ url: databaseUrl, schema, max: 1 });
  const app = buildQueryApp({ config: loadConfig(QueryConfig, {}), pool, logger: createLogger('query-test', 'error') });
  return { pool, server: await listen(app, '127.0.0.1', 0) };
}

describe('health and OpenAPI', () => {
  it('is ready with PostgreSQL and the tables, not ready without them', async () => {
    expect((await request(url('/health/ready'))).status).toBe(200);
    const { server, pool } = await appOn(databaseUrl(), 'query_no_such_schema');
    try {
      const res = await request(`${server.url}/health/ready`);
      expect(res.status).toBe(503);
      expect((await request(`${server.url}/health/live`)).status).toBe(200);
    } finally {
      await server.close(1000);
      await pool.end();
    }
  });

  it('answers 503 (problem, Retry-After), never 500, while PostgreSQL is unreachable', async () => {
    const { server, pool } = await appOn('postgres://postgres@127.0.0.1:1/nowhere', 'public');
    try {
      for (const path of ['/v1/incidents', '/v1/stats/casualties?asOf=2023-03-25T00:00:00Z', '/v1/projections']) {
        const res = await request(`${server.url}${path}`);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('1');
        expect((res.body as Problem).type).toBe('urn:incidents:problem:database-unavailable');
      }
      expect((await request(`${server.url}/health/ready`)).status).toBe(503);
    } finally {
      await server.close(1000);
      await pool.end();
    }
  });

  it('documents every endpoint and every parameter the handlers accept (OpenAPI 3.1)', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const e of ENDPOINTS) {
      const documented = doc.paths[e.path]?.get.parameters?.filter((p) => p.in === 'query').map((p) => p.name) ?? [];
      expect(documented.sort()).toEqual(Object.keys(e.params.shape).sort());
    }
  });
});

describe('pagination', () => {
  it.each(['date', '-date', 'id', '-id', 'reported', '-reported'])('sort=%s: pages concatenate to the full list, no duplicates', async (sort) => {
    const full = (await request(url(`/v1/incidents?status=all&sort=${sort}&limit=500`))).body as { items: { incident_id: string }[] };
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await request(url(`/v1/incidents?status=all&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      expect(res.status).toBe(200);
      const body = res.body as { items: { incident_id: string }[]; next_cursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      paged.push(...body.items.map((i) => i.incident_id));
      cursor = body.next_cursor;
    } while (cursor !== null);
    expect(paged).toEqual(full.items.map((i) => i.incident_id));
    expect(new Set(paged).size).toBe(7);
  });
});

describe('read-your-writes', () => {
  it('waits for the projector to pass the position token: the new incident is visible at once', async () => {
    const id = `i2c-${randomUUID().slice(0, 8)}`;
    const posted = await postEvents(stack.ingest.url, [newIncident(id)]);
    expect(posted.status).toBe(202);
    const { position } = posted.body as { position: string };
    const res = await request(url(`/v1/incidents/${id}?position=${position}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-data-stale')).toBeNull();
    expect(res.body).toMatchObject({ stale: false, incident: { incident_id: id, status: 'active' } });
    const list = await request(url(`/v1/incidents?position=${position}&site=green-village&sort=id`));
    expect((list.body as { items: { incident_id: string }[] }).items.map((i) => i.incident_id)).toContain(id);
  });

  it('answers with the data it has, marked stale, when the token is not reached in time', async () => {
    const impatient = await stack.extraQuery({ QUERY_POSITION_WAIT_MS: '300' });
    const token = encodePosition({ topic: stack.topic, partitions: { 0: '999999' } });
    const started = Date.now();
    const res = await request(`${impatient.url}/v1/incidents?position=${token}`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-data-stale')).toBe('true');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.body).toMatchObject({ stale: true });
    expect((res.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const missing = await request(`${impatient.url}/v1/incidents/not-yet-there?position=${token}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-data-stale')).toBe('true');
  });

  it('keeps pages stable while incidents are added between them', async () => {
    const first = (await request(url('/v1/incidents?status=all&sort=id&limit=3'))).body as { items: { incident_id: string }[]; next_cursor: string };
    const before = ((await request(url('/v1/incidents?status=all&sort=id&limit=500'))).body as { items: { incident_id: string }[] }).items.map((i) => i.incident_id);
    // One id sorts before the cursor, one after it.
    const early = `a-${randomUUID().slice(0, 8)}`;
    const late = `i3a-${randomUUID().slice(0, 8)}`;
    const posted = await postEvents(stack.ingest.url, [newIncident(early), newIncident(late)]);
    const { position } = posted.body as { position: string };
    const rest: string[] = [];
    let cursor: string | null = first.next_cursor;
    while (cursor !== null) {
      const body = (await request(url(`/v1/incidents?status=all&sort=id&limit=3&cursor=${cursor}&position=${position}`))).body as {
        items: { incident_id: string }[];
        next_cursor: string | null;
        stale: boolean;
      };
      expect(body.stale).toBe(false);
      rest.push(...body.items.map((i) => i.incident_id));
      cursor = body.next_cursor;
    }
    const seen = [...first.items.map((i) => i.incident_id), ...rest];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
    expect(seen).toContain(late);
    expect(seen).not.toContain(early);
  });
});

describe('property: no 5xx, ever', () => {
  const names = [...new Set(ENDPOINTS.flatMap((e) => Object.keys(e.params.shape))), 'foo', 'limit[]', ''];
  const value = fc.oneof(
    fc.constantFrom(
      'attack', 'rocket', 'SYR', 'Deir ez-Zor', 'SYR/Deir ez-Zor', 'green-village', 'none', 'likely', 'all', 'true', 'false',
      'day', 'week', 'month', 'kind,method', 'country,site', 'role,outcome,incident', 'incident,operation', 'side,affiliation',
      '2023-03-24', '2023-02-30', '2023-03-25T12:30:00Z', '2023-03-25T12:30:00+02:00', '1999-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
      '0', '1', '-1', '500', '501', '1e3', 'NaN', '', ',', ',,,', '-date', 'reported', 'c0', 'c99999999999999999999',
      "' OR 1=1 --", "'); DROP TABLE incident_current; --", '%00', '\u0000', '😀', 'a'.repeat(5000),
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.base64String({ maxLength: 60 }),
  );
  const paths = [...ENDPOINTS.map((e) => e.path.replace('{id}', 'i3-gv-rockets')), '/v1/incidents/{garbage}'];

  it('every answer is < 500; 400s name a parameter; 200s match the OpenAPI schema', async () => {
    const lenient = await stack.extraQuery({ QUERY_POSITION_WAIT_MS: '50' });
    const validToken = encodePosition({ topic: stack.topic, partitions: { 0: '1' } });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.array(fc.tuple(fc.constantFrom(...names), fc.oneof(value, fc.constant(validToken))), { maxLength: 5 }),
        fc.string({ maxLength: 20 }),
        async (path, pairs, garbage) => {
          const search = new URLSearchParams(pairs).toString();
          const concrete = path.replace('{garbage}', encodeURIComponent(garbage) || 'x');
          const res = await request(`${lenient.url}${concrete}${search ? `?${search}` : ''}`);
          expect(res.status).toBeLessThan(500);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 400) {
            const problem = res.body as Problem;
            expect(problem.errors?.length).toBeGreaterThan(0);
            expect(problem.errors?.every((e) => typeof e.parameter === 'string')).toBe(true);
          }
          if (res.status === 200) {
            const template = ENDPOINTS.find((e) => new RegExp(`^${e.path.replace('{id}', '[^/]+')}$`).test(concrete))!.path;
            openapi.check(template, res.body);
          }
        },
      ),
      { numRuns: 300 },
    );
    // The generator reaches both the handlers and the validation.
    expect(statuses.get(200)).toBeGreaterThan(20);
    expect(statuses.get(400)).toBeGreaterThan(20);
  }, 120_000);
});
