import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@incidents/config';
import type { Pool } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import { listen, type RunningServer } from '@incidents/http';
import { EventLogProducer, fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { project } from '@incidents/projection';
import { createLogger } from '@incidents/telemetry';
import { syntheticEvents } from '../bench/src/synthetic.js';
import { buildQueryApp } from '../services/query/src/app.js';
import { QueryConfig } from '../services/query/src/config.js';
import { postEvents, request } from './support/http.js';
import { databaseUrl, freshSchema, freshTopic, testKafka, waitFor } from './support/infra.js';
import { startIngest, type RunningIngest } from './support/ingest.js';
import { opsEnv, runOps, startOps } from './support/ops.js';
import { spawnService, type ServiceProcess } from './support/processes.js';
import { dumpProjection, dumpReadModels, type Dump } from './support/read-models.js';
import { seedEvents } from './support/seed.js';

interface Stack {
  topic: string;
  schema: string;
  pool: Pool;
  ingest: RunningIngest;
  projector: ServiceProcess;
  query: RunningServer;
  env: Record<string, string>;
  stop(): Promise<void>;
}

// Each test runs a whole stack plus ops commands as processes: slow on a busy 2-core machine.
jest.setTimeout(240_000);

let kafka: KafkaHandle;
beforeAll(() => {
  kafka = testKafka();
});

async function startStack(): Promise<Stack> {
  const topic = await freshTopic(kafka);
  const { pool, schema } = await freshSchema();
  const ingest = await startIngest(kafka, topic, { INGEST_RATE_LIMIT: '1000000', INGEST_RATE_BURST: '1000000' });
  const env = opsEnv({ schema, topic, ingestUrl: ingest.url, databaseUrl: databaseUrl() });
  const projector = spawnService('projector', { ...env, PROJECTOR_GROUP_ID: `projector-${schema}` });
  const config = loadConfig(QueryConfig, { DATABASE_SCHEMA: schema, EVENTS_TOPIC: topic });
  const query = await listen(buildQueryApp({ config, pool, logger: createLogger('query-test', 'error') }), '127.0.0.1', 0);
  return {
    topic,
    schema,
    pool,
    ingest,
    projector,
    query,
    env,
    stop: async () => {
      await query.close(1000);
      projector.child.kill('SIGTERM');
      await projector.exited;
      await ingest.stop();
      await pool.end();
    },
  };
}

async function post(stack: Stack, events: DomainEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const res = await postEvents(stack.ingest.url, events.slice(i, i + 500));
    expect(res.status).toBe(202);
  }
}

async function waitCaughtUp(stack: Stack): Promise<void> {
  const res = await runOps(['wait', '--timeout', '120'], stack.env);
  expect(res).toMatchObject({ code: 0 });
}

async function servingDump(stack: Stack): Promise<Dump> {
  const serving = await stack.pool.query<{ schema_name: string }>(`SELECT schema_name FROM projection_versions WHERE state = 'serving'`);
  const schema = serving.rows[0]?.schema_name ?? stack.schema;
  const client = await stack.pool.connect();
  try {
    await client.query(`SELECT set_config('search_path', $1, false)`, [`"${schema}", public`]);
    return await dumpReadModels(client as unknown as Pool);
  } finally {
    await client.query(`SELECT set_config('search_path', $1, false)`, [`"${stack.schema}", public`]);
    client.release();
  }
}

const seed = seedEvents();

/** Starts `ops rebuild --name <name>` and resolves once it has stored part of the log. */
async function rebuildUnderWay(stack: Stack, name: string): Promise<ReturnType<typeof startOps>> {
  const running = startOps(['rebuild', '--name', name], { ...stack.env });
  await waitFor(
    'the rebuild to store part of the log',
    async () => {
      const r = await stack.pool
        .query<{ n: string | null }>(`SELECT sum(next_offset) AS n FROM "${stack.schema}_${name}".projector_offsets`)
        .catch(() => ({ rows: [{ n: null }] }));
      return BigInt(r.rows[0]?.n ?? '0') > 0n;
    },
    60_000,
  );
  return running;
}


describe('ops CLI (real Kafka, PostgreSQL and services)', () => {
  it('rebuilds blue/green while events arrive and clients query, then switches atomically', async () => {
    const stack = await startStack();
    try {
      const first = [...seed, ...syntheticEvents({ incidents: 300, seed: 5, prefix: 'rb1', source: '/feeds/synthetic' })];
      await post(stack, first);
      await waitCaughtUp(stack);
      const before = (await request(`${stack.query.url}/v1/incidents?status=all&limit=500`)).body as { items: unknown[] };
      const floor = before.items.length;

      // Clients keep querying and a feed keeps posting during the rebuild.
      let querying = true;
      const statuses: number[] = [];
      const sizes: number[] = [];
      const reader = (async () => {
        while (querying) {
          const res = await request(`${stack.query.url}/v1/incidents?status=all&limit=500`);
          statuses.push(res.status);
          if (res.status === 200) sizes.push((res.body as { items: unknown[] }).items.length);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const later = [...syntheticEvents({ incidents: 60, seed: 6, prefix: 'rb2', source: '/feeds/synthetic' })];
      let posting = true;
      const writer = (async () => {
        for (let i = 0; i < later.length && posting; i += 40) {
          await post(stack, later.slice(i, i + 40));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const rebuild = await runOps(['rebuild', '--name', 'v2'], stack.env);
      expect(rebuild.stderr).toContain('rebuild [');
      expect(rebuild).toMatchObject({ code: 0 });
      expect(rebuild.stdout).toContain('version v2 caught up and serves reads');
      await writer;
      posting = false;
      await waitCaughtUp(stack);
      querying = false;
      await reader;

      expect(statuses.length).toBeGreaterThan(5);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(Math.min(floor, 500));
      const versions = await stack.pool.query<{ name: string; state: string }>('SELECT name, state FROM projection_versions');
      expect(versions.rows).toEqual([{ name: 'v2', state: 'serving' }]);
      // Nothing lost: the serving tables equal a clean projection of everything posted.
      expect(await servingDump(stack)).toEqual(dumpProjection(project([...first, ...later])));
      const status = await runOps(['status', '--json'], stack.env);
      expect(JSON.parse(status.stdout)).toMatchObject({ serving: { name: 'v2' }, lag_events: '0' });
      // the rebuild's projector left a snapshot of its index: the projector service goes on from it
      const snapshot = (JSON.parse(status.stdout) as { index_snapshot: { events: number; bytes: number } | null }).index_snapshot;
      expect(snapshot?.events).toBeGreaterThan(0);
      expect(snapshot?.bytes).toBeGreaterThan(0);
      expect((await runOps(['status'], stack.env)).stdout).toMatch(/index snapshot: \d+ events \(seq \d+\), [\d.]+ MiB, taken /);
    } finally {
      await stack.stop();
    }
  });

  it('resumes a rebuild that was killed half way and ends identical', async () => {
    const stack = await startStack();
    try {
      const events = [...seed, ...syntheticEvents({ incidents: 1200, seed: 8, prefix: 'rk', source: '/feeds/synthetic' })];
      await post(stack, events);
      await waitCaughtUp(stack);
      const { child, result } = await rebuildUnderWay(stack, 'v3');
      child.kill('SIGKILL');
      expect((await result).code).toBe(137);
      const halfway = await stack.pool.query<{ state: string }>(`SELECT state FROM projection_versions WHERE name = 'v3'`);
      expect(halfway.rows).toEqual([{ state: 'building' }]);

      const resumed = await runOps(['rebuild', '--name', 'v3'], stack.env);
      expect(resumed).toMatchObject({ code: 0 });
      await waitCaughtUp(stack);
      expect(await servingDump(stack)).toEqual(dumpProjection(project(events)));
      // The building projector of the killed command stopped with it: one member per version group.
      const verify = await runOps(['verify'], stack.env);
      expect(verify.stdout).toContain('verify: the rebuilt read models equal the serving ones');
      expect(verify.code).toBe(0);
    } finally {
      await stack.stop();
    }
  });

  it('stops a rebuild on SIGINT (exit 5, resumable), cancels it without touching the serving tables, and verify exits 1 on a difference', async () => {
    const stack = await startStack();
    try {
      const events = [...seed, ...syntheticEvents({ incidents: 1200, seed: 10, prefix: 'rc', source: '/feeds/synthetic' })];
      await post(stack, events);
      await waitCaughtUp(stack);
      const { child, result } = await rebuildUnderWay(stack, 'v4');
      child.kill('SIGINT');
      const stopped = await result;
      expect(stopped.code).toBe(5);
      expect(stopped.stderr).toContain("run it again to resume, or 'rebuild --cancel v4'");
      const building = await stack.pool.query<{ state: string }>(`SELECT state FROM projection_versions WHERE name = 'v4'`);
      expect(building.rows).toEqual([{ state: 'building' }]);

      const cancelled = await runOps(['rebuild', '--cancel', 'v4'], stack.env);
      expect(cancelled).toMatchObject({ code: 0 });
      expect(cancelled.stdout).toContain('cancelled the build of v4 and dropped its tables');
      const left = await stack.pool.query(`SELECT 1 FROM projection_versions UNION ALL SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`${stack.schema}_v4`]);
      expect(left.rows).toEqual([]);
      expect(await servingDump(stack)).toEqual(dumpProjection(project(events)));
      const again = await runOps(['rebuild', '--cancel', 'v4'], stack.env);
      expect(again.code).toBe(4);
      expect(again.stderr).toContain('no version v4');

      // A serving row that a clean build would not write: verify names its table and fails.
      await stack.pool.query(`UPDATE casualty_tally SET best = best + 1 WHERE (scope_kind, scope_id) = ('overall', '') AND role = 'contractor' AND outcome = 'killed'`);
      const verify = await runOps(['verify'], stack.env);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toMatch(/casualty_tally +\d+ rows {2}DIFFERS/);
      expect(verify.stdout).toMatch(/incident_current +\d+ rows {2}same/);
      expect(verify.stdout).toContain('verify: 1 table(s) differ');
      const scratch = await stack.pool.query(`SELECT name FROM projection_versions`);
      expect(scratch.rows).toEqual([]);
    } finally {
      await stack.stop();
    }
  });

  it('exports a stack, imports it into an empty one, and the read models are identical; re-importing changes nothing', async () => {
    const a = await startStack();
    const b = await startStack();
    try {
      const events = [...seed, ...syntheticEvents({ incidents: 200, seed: 9, prefix: 'ex', source: '/feeds/synthetic' })];
      await post(a, events);
      await waitCaughtUp(a);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'export-')), 'events.ndjson');
      const exported = await runOps(['export', '--out', file], a.env);
      expect(exported).toMatchObject({ code: 0 });
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(events.length);
      const filtered = await runOps(['export', '--type', 'IncidentReported', '--subject', 'incident/i1-rlz-uav'], a.env);
      expect(filtered.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['seed-e011']);

      expect(await runOps(['import', file], b.env)).toMatchObject({ code: 0 });
      await waitCaughtUp(b);
      const imported = await dumpReadModels(b.pool);
      expect(imported).toEqual(await dumpReadModels(a.pool));
      const verify = await runOps(['verify'], b.env);
      expect(verify.code).toBe(0);

      expect(await runOps(['import', file], b.env)).toMatchObject({ code: 0 });
      await waitCaughtUp(b);
      expect(await dumpReadModels(b.pool)).toEqual(imported);
      const stored = await b.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store');
      expect(Number(stored.rows[0]!.n)).toBe(events.length);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('retries a dead letter once its cause is fixed, discards with an audit row, and replays idempotently', async () => {
    const stack = await startStack();
    try {
      await post(stack, seed);
      const report = seed.find((e) => e.type === 'IncidentReported')!;
      const late = { ...report, id: 'clock-skew-1', subject: 'incident/skewed', data: { ...report.data, incident_id: 'skewed' }, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      // A producer with a clock 10 minutes behind: the event looks 10 minutes in the future.
      const producer = new EventLogProducer(kafka, { topic: stack.topic });
      await producer.start();
      await producer.publish([
        { key: late.subject, value: JSON.stringify(late), timestamp: String(Date.now() - 10 * 60_000) },
        { key: 'junk', value: '{"not": "an event"' },
      ]);
      await producer.stop();
      await waitCaughtUp(stack);
      const listed = await runOps(['dead-letters', 'list', '--json'], stack.env);
      const letters = JSON.parse(listed.stdout) as { dead_letter_id: string; error_code: string; error: string; status: string }[];
      // The two records sit in different partitions: the order they were parked in is free.
      expect(letters.map((l) => [l.error_code, l.status]).sort()).toEqual([
        ['invalid_event', 'parked'],
        ['not_json', 'parked'],
      ]);
      const skewed = letters.find((l) => l.error_code === 'invalid_event');
      const junk = letters.find((l) => l.error_code === 'not_json');
      expect(skewed!.error).toContain('time_in_future');

      const retried = await runOps(['dead-letters', 'retry', skewed!.dead_letter_id], stack.env);
      expect(retried).toMatchObject({ code: 0 });
      await waitCaughtUp(stack);
      const incident = await request(`${stack.query.url}/v1/incidents/skewed`);
      expect(incident.status).toBe(200);
      const shown = JSON.parse((await runOps(['dead-letters', 'show', skewed!.dead_letter_id], stack.env)).stdout) as { status: string; resolution_note: string };
      expect(shown.status).toBe('retried');
      expect(shown.resolution_note).toMatch(/re-published at partition \d+ offset \d+/);

      expect(await runOps(['dead-letters', 'discard', junk!.dead_letter_id, '--reason', 'garbage from a test feed'], stack.env)).toMatchObject({ code: 0 });
      const audit = await stack.pool.query('SELECT status, resolution_note FROM dead_letters WHERE dead_letter_id = $1', [junk!.dead_letter_id]);
      expect(audit.rows).toEqual([{ status: 'discarded', resolution_note: 'garbage from a test feed' }]);
      expect((await runOps(['dead-letters', 'retry', junk!.dead_letter_id], stack.env)).code).toBe(4);
      expect((await runOps(['dead-letters', 'show', '999999'], stack.env)).code).toBe(4);
      expect((await runOps(['dead-letters', 'discard', skewed!.dead_letter_id], stack.env)).code).toBe(2);

      const before = await dumpReadModels(stack.pool);
      const replayed = await runOps(['replay', '--from', '0', '--json'], stack.env);
      expect(replayed).toMatchObject({ code: 0 });
      const plan = JSON.parse(replayed.stdout.split('\n')[0]!) as { partition: number; from: string; stored: string }[];
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.every((p) => p.from === '0' && BigInt(p.stored) > 0n)).toBe(true);
      // No new record arrives: the projector notices the moved offsets by itself and reads again to the end.
      const ends = await fetchLogEnds(kafka, stack.topic);
      await waitFor(
        'the projector to re-read the replayed partitions',
        async () => {
          const rows = await stack.pool.query<{ partition: number; next_offset: string }>(
            `SELECT partition, next_offset FROM projector_offsets WHERE projection = 'main' AND topic = $1`,
            [stack.topic],
          );
          return plan.every((p) => BigInt(rows.rows.find((r) => r.partition === p.partition)?.next_offset ?? '0') >= BigInt(ends.find((e) => e.partition === p.partition)!.high));
        },
        30_000,
      );
      await waitCaughtUp(stack);
      expect(await dumpReadModels(stack.pool)).toEqual(before);
      expect((await runOps(['replay', '--from', '0', '--partition', '99'], stack.env)).code).toBe(4);
      expect((await runOps(['replay', '--from', 'yesterday-ish'], stack.env)).code).toBe(2);
      expect((await runOps(['no-such-command'], stack.env)).code).toBe(2);
    } finally {
      await stack.stop();
    }
  });
});
