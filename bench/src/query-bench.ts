/**
 * Query benchmark: read models of a large synthetic stream (default 1M+ events), then
 * req/s and p50/p99 of incident-by-id, attack stats by week × method and casualties by
 * role × outcome, beside a bare express GET, each as fast as possible (closed loop) and then
 * at half of that rate (open loop) for the p99 target.
 *
 *   node --max-old-space-size=8192 bench/dist/query-bench.js [--incidents 215000] [--seconds 10]
 *     [--schema bench_query_xxx] [--fill-only] [--env KEY=VALUE] [--service path/to/query/main.js]
 *
 * The tables are filled by the pure projection plus one bulk write per table (the projector's
 * own catch-up rate is measured by projector-bench). Needs PostgreSQL and a build. The fill
 * takes minutes at the default size: `--fill-only` stops after it, and `--schema` measures a
 * schema an earlier run filled (new migrations are applied to it first). `--env K=V` passes
 * settings to the query service; `--service` measures another build of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool, isTransientDbError, runMigrations, type Pool } from '@incidents/db';
import { project, READ_MODEL_TABLES, type Projection } from '@incidents/projection';
import { runLoad, type LoadResult } from './load.js';
import { syntheticEvents } from './synthetic.js';
import { databaseUrl, ensureDatabase, root } from './infra.js';

const { values } = parseArgs({
  options: {
    incidents: { type: 'string', default: '215000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    schema: { type: 'string' },
    'fill-only': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
    service: { type: 'string', default: path.join(root, 'services/query/dist/main.js') },
  },
});
const suffix = Date.now().toString(36);
const migrationsDir = path.join(root, 'packages/db/migrations');
const TABLES = READ_MODEL_TABLES;
/** What browsers send. */
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';

/** One statement, retried while PostgreSQL restarts (the machine is shared with chaos tests). */
async function retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 30 || !isTransientDbError(error)) throw error;
      console.log(`${what}: ${(error as Error).message}; retrying`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Bulk-writes every table, chunk by chunk; each chunk is idempotent (ON CONFLICT DO NOTHING), so a retry is safe. */
async function writeAll(pool: Pool, projection: Projection, events: number): Promise<void> {
  for (const table of TABLES) {
    const meta = await retrying(table, () =>
      pool.query<{ name: string; type: string }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
          WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [table],
      ),
    );
    const cols = meta.rows;
    const rows = projection[table] as unknown as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i += 10_000) {
      const chunk = rows.slice(i, i + 10_000);
      const values = cols.map((c) => chunk.map((r) => (c.type === 'jsonb' ? JSON.stringify(r[c.name] ?? null) : (r[c.name] ?? null))));
      await retrying(table, () =>
        pool.query(
          `INSERT INTO ${table} (${cols.map((c) => `"${c.name}"`).join(', ')})
           SELECT ${cols.map((c) => (c.type === 'jsonb' ? `"${c.name}"::jsonb` : `"${c.name}"`)).join(', ')}
             FROM unnest(${cols.map((c, k) => `$${k + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`).join(', ')}) AS x(${cols.map((c) => `"${c.name}"`).join(', ')})
           ON CONFLICT DO NOTHING`,
          values,
        ),
      );
    }
  }
  await retrying('projection_state', () =>
    pool.query(`INSERT INTO projection_state (projection, events_applied, write_token) VALUES ('main', $1, 'bench') ON CONFLICT DO NOTHING`, [events]),
  );
  // VACUUM as well: index-only scans need the visibility map that autovacuum sets on a live system.
  await retrying('vacuum', () => pool.query(`VACUUM ANALYZE ${TABLES.join(', ')}`));
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`service did not start: ${seen.slice(-500)}`)), 30_000);
    const on = (d: Buffer) => {
      seen += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(seen) ?? /listening (\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.startsWith('http') ? m[1]! : `http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
  });
}

/**
 * The i-th spelling of a path: the characters of its last segment, or of its query's names and
 * values, picked by the bits of i are percent-encoded. The service parses every spelling to the
 * same request, but each is another URL, so none is answered from a kept answer of another.
 */
function spelling(path: string, i: number): string {
  const [base = '', query] = path.split('?');
  const encode = (text: string, bits: number): [string, number] => {
    let out = '';
    for (const ch of text) {
      if (/[A-Za-z0-9]/.test(ch) && bits & 1) out += `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
      else out += ch;
      if (/[A-Za-z0-9]/.test(ch)) bits = Math.floor(bits / 2);
    }
    return [out, bits];
  };
  if (query === undefined) {
    const cut = base.lastIndexOf('/') + 1;
    return base.slice(0, cut) + encode(base.slice(cut), i)[0];
  }
  let bits = i;
  const parts = query.split(/([=&])/).map((part) => {
    if (part === '=' || part === '&') return part;
    const [encoded, rest] = encode(part, bits);
    bits = rest;
    return encoded;
  });
  return `${base}?${parts.join('')}`;
}

interface Row {
  name: string;
  bytes: { json: number; wire: number };
  max: LoadResult;
  half: LoadResult;
  bare?: LoadResult;
}

function row(r: Row): string {
  const bad = Object.keys(r.max.statuses).filter((s) => s !== '200');
  const share = r.bare === undefined ? '' : `${Math.round((100 * r.max.requestsPerSecond) / r.bare.requestsPerSecond)} % of ${Math.round(r.bare.requestsPerSecond)}`;
  return `| ${r.name} | ${r.bytes.json} | ${r.bytes.wire} | ${Math.round(r.max.requestsPerSecond)} | ${share} | ${r.max.p50ms.toFixed(1)} | ${r.max.p99ms.toFixed(1)} | ${Math.round(r.half.requestsPerSecond)} | ${r.half.p99ms.toFixed(1)} |${bad.length ? ` non-200: ${JSON.stringify(r.max.statuses)}` : ''}`;
}

async function load(url: string, path: (i: number) => string, seconds: number, concurrency: number, ratePerSecond?: number, count = 2_000_000): Promise<LoadResult> {
  const bodies = Array.from({ length: count }, (_, i) => ({ body: '', events: 1, path: path(i) }));
  // Like the browsers and dashboard clients it serves, the load generator accepts what browsers do.
  return runLoad({ url, bodies, concurrency, headers: { 'accept-encoding': BROWSER_ENCODINGS }, maxSeconds: seconds, method: 'GET', ratePerSecond });
}

/** Closed loop for the maximum, then open loop at half of it (`halfPath`: the paths of that run, if other). */
async function maxAndHalf(
  url: string,
  path: (i: number) => string,
  seconds: number,
  concurrency: number,
  halfPath: (max: LoadResult) => (i: number) => string = () => path,
): Promise<{ max: LoadResult; half: LoadResult }> {
  const max = await load(url, path, seconds, concurrency);
  const half = await load(url, halfPath(max), seconds, concurrency, max.requestsPerSecond / 2);
  return { max, half };
}

/** Mean body size of the first 20 paths as JSON and as sent to a browser (brotli for big kept answers, else gzip). */
async function averageBytes(url: string, paths: string[]): Promise<{ json: number; wire: number }> {
  const sample = paths.slice(0, 20);
  let json = 0;
  let wire = 0;
  for (const p of sample) {
    json += (await (await fetch(url + p, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength;
    wire += await new Promise<number>((resolve, reject) => {
      http
        .get(url + p, { headers: { 'accept-encoding': BROWSER_ENCODINGS } }, (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
        })
        .on('error', reject);
    });
  }
  return { json: Math.round(json / sample.length), wire: Math.round(wire / sample.length) };
}

/**
 * One endpoint, beside a bare express run just before it (the machine is shared): with kept
 * answers after one pass over its distinct paths, then uncached (every request spelled anew).
 */
async function measure(name: string, url: string, bareUrl: string, paths: string[], seconds: number, concurrency: number): Promise<string[]> {
  const bare = await load(bareUrl, () => '/x', seconds, concurrency);
  await load(url, (i) => paths[i]!, 600, concurrency, undefined, paths.length); // warm-up: each distinct path once,
  await load(url, (i) => paths[i % paths.length]!, 3, concurrency); // then 3 s of them (the JIT warms up on one URL too)
  // (after the warm-up: big kept answers have their brotli form by then)
  const bytes = await averageBytes(url, paths);
  const kept = await maxAndHalf(url, (i) => paths[i % paths.length]!, seconds, concurrency);
  // The half-rate run goes on with the spellings after those of the maximum: no URL repeats.
  const spelled = (offset: number) => (i: number) => spelling(paths[i % paths.length]!, offset + Math.floor(i / paths.length));
  const uncached = await maxAndHalf(url, spelled(1), seconds, concurrency, (max) => spelled(2 + Math.floor(max.requests / paths.length)));
  const rows = [row({ name: `${name}, kept answers`, bytes, ...kept, bare }), row({ name: `${name}, uncached`, bytes, ...uncached })];
  if (bytes.wire > 8 * 1024) {
    // A big answer: what bare express manages with a body of the same size, sent from memory (ETag set, not hashed).
    const same = await maxAndHalf(bareUrl, () => `/bytes/${bytes.wire}`, seconds, concurrency);
    rows.push(row({ name: `bare express GET of ${bytes.wire} bytes (from memory, ETag set)`, bytes: { json: bytes.wire, wire: bytes.wire }, ...same }));
  }
  return rows;
}

/** Synthesises and projects the stream, then fills a new schema with the read models. */
async function fill(incidents: number): Promise<string> {
  let t = performance.now();
  const events = [...syntheticEvents({ incidents, seed: 4, prefix: `q${suffix}` })];
  const eventCount = events.length;
  console.log(`synthetic stream: ${eventCount} events over ${incidents} incidents (${Math.round(performance.now() - t)} ms)`);
  t = performance.now();
  const projection = project(events);
  events.length = 0;
  console.log(`projected in ${Math.round(performance.now() - t)} ms: ${projection.incident_current.length} incidents, ${projection.attack_counts.length} attack_counts rows, ${projection.incident_timeline.length} timeline rows`);
  const schema = `bench_query_${suffix}`;
  await runMigrations({ databaseUrl, schema, migrationsDir });
  const pool = createPool({ url: databaseUrl, schema, max: 2 });
  t = performance.now();
  try {
    await writeAll(pool, projection, eventCount);
  } finally {
    await pool.end();
  }
  console.log(`tables written in ${Math.round(performance.now() - t)} ms (schema ${schema})`);
  return schema;
}

/** The latest local date of an incident in the schema. */
async function lastDate(schema: string): Promise<string> {
  const pool = createPool({ url: databaseUrl, schema, max: 1 });
  try {
    const r = await pool.query<{ last: string }>(`SELECT max(local_date)::text AS last FROM incident_current`);
    return r.rows[0]!.last;
  } finally {
    await pool.end();
  }
}

/** Every 97th incident id of the schema, in code-point order. */
async function sampleIds(schema: string): Promise<string[]> {
  const pool = createPool({ url: databaseUrl, schema, max: 1 });
  try {
    const r = await pool.query<{ incident_id: string }>(
      `SELECT incident_id FROM (SELECT incident_id, row_number() OVER (ORDER BY incident_id COLLATE "C") AS n FROM incident_current) x
        WHERE n % 97 = 1 ORDER BY n`,
    );
    const size = await pool.query<{ events: string | null }>(`SELECT events_applied::text AS events FROM projection_state WHERE projection = 'main'`);
    console.log(`schema ${schema}: ${r.rows.length} sampled incident ids${size.rows[0]?.events ? `, ${size.rows[0].events} events` : ''}`);
    if (size.rows.length === 0) {
      // the service reads the write token of projection 'main' here: without it there is no generation to keep answers for
      console.log(`warning: ${schema} has no state for projection 'main' (a blue/green version's schema?): the service will keep no answers; measure a base schema`);
    }
    return r.rows.map((row) => row.incident_id);
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  ensureDatabase();
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  let schema = values.schema;
  if (schema === undefined) schema = await fill(Number(values.incidents));
  else {
    await runMigrations({ databaseUrl, schema, migrationsDir }).catch((error: unknown) => {
      console.log(`new migrations not applied to ${schema}, measuring it as it is: ${(error as Error).message.split('\n')[1] ?? ''}`);
    });
  }
  if (values['fill-only']) {
    console.log(`schema ${schema} filled; measure it with --schema ${schema}`);
    return;
  }
  const ids = await sampleIds(schema);
  const extraEnv = Object.fromEntries(
    values.env.map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0) throw new Error(`--env expects KEY=VALUE, got ${kv}`);
      return [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );

  const query = spawn(process.execPath, [values.service], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, QUERY_PORT: '0', LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const queryUrl = await waitForUrl(query);
  const bare = spawn(process.execPath, ['-e', `
    const express = require('express'); const app = express(); app.disable('x-powered-by');
    app.get('/x', (_q, r) => r.json({ ok: true, items: [1, 2, 3] }));
    const bodies = new Map();
    app.get('/bytes/:n', (q, r) => {
      const n = Number(q.params.n);
      if (!bodies.has(n)) bodies.set(n, Buffer.alloc(n, 'x'));
      r.type('application/json').set('ETag', 'W/"bytes"').send(bodies.get(n));
    });
    const s = app.listen(0, '127.0.0.1', () => console.log('listening ' + s.address().port));`], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  const bareUrl = await waitForUrl(bare);

  console.log(`\nconcurrency ${concurrency}; ${seconds} s per run; closed loop for the maximum, then open loop at half of it`);
  const bareRun = await maxAndHalf(bareUrl, () => '/x', seconds, concurrency);
  const rows = [row({ name: 'bare express GET', bytes: await averageBytes(bareUrl, ['/x']), ...bareRun })];
  rows.push(...(await measure('GET /v1/incidents/{id}', queryUrl, bareUrl, ids.map((id) => `/v1/incidents/${id}`), seconds, concurrency)));
  // Weekly attacks by method over a dashboard's windows (the last 13 and 52 weeks of the data) and over all of it.
  const last = await lastDate(schema);
  for (const weeks of [13, 52]) {
    const from = new Date(Date.parse(`${last}T00:00:00Z`) - (weeks * 7 - 1) * 86_400_000).toISOString().slice(0, 10);
    const p = `/v1/stats/attacks?grain=week&groupBy=method&from=${from}&to=${last}`;
    rows.push(...(await measure(`GET ${p} (${weeks} weeks)`, queryUrl, bareUrl, [p], seconds, concurrency)));
  }
  rows.push(...(await measure('GET /v1/stats/attacks?grain=week&groupBy=method (all weeks)', queryUrl, bareUrl, ['/v1/stats/attacks?grain=week&groupBy=method'], seconds, concurrency)));
  rows.push(...(await measure('GET /v1/stats/casualties?groupBy=role,outcome', queryUrl, bareUrl, ['/v1/stats/casualties?groupBy=role,outcome'], seconds, concurrency)));
  console.log('| endpoint | JSON bytes | bytes sent (kept answers, to a browser) | max req/s | of bare express (run just before) | p50 ms | p99 ms | req/s at half | p99 ms at half |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  query.kill('SIGTERM');
  bare.kill('SIGTERM');
  console.log(`\nschema ${schema} left for inspection (DROP SCHEMA ${schema} CASCADE to remove)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
