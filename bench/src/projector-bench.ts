/**
 * Projector benchmark: catch-up rate of the real projector process over a synthetic stream,
 * beside a raw baseline that writes the same final rows with INSERT … SELECT unnest(…) ON
 * CONFLICT from this process (no Kafka, rules computed once).
 *
 *   node bench/dist/projector-bench.js --incidents 20000 [--projector-heap-mib 512]
 *
 * Needs the local broker and PostgreSQL (npm start or infra/kafka/kafka.sh start).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool, runMigrations, type Pool } from '@incidents/db';
import { createKafka, ensureTopics, EventLogProducer, fetchLogEnds, toKafkaRecord } from '@incidents/kafka';
import { project, type Projection } from '@incidents/projection';
import { syntheticEvents } from './synthetic.js';
import { databaseUrl, ensureDatabase, root } from './infra.js';

const { values } = parseArgs({
  options: {
    incidents: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    // caps the projector's V8 heap (MiB): its working set must fit, whatever the stream's length
    'projector-heap-mib': { type: 'string' },
  },
});
const incidents = Number(values.incidents);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const suffix = Date.now().toString(36);

const TABLES = ['incident_current', 'operations', 'attack_counts', 'casualty_tally', 'casualty_tally_by_period', 'response_graph', 'incident_timeline', 'source_discrepancies', 'revision_feed', 'external_stats', 'documents', 'sources', 'actors', 'sites'] as const;

async function freshSchema(name: string): Promise<Pool> {
  await runMigrations({ databaseUrl, schema: name, migrationsDir: path.join(root, 'packages/db/migrations') });
  return createPool({ url: databaseUrl, schema: name, max: 4 });
}

/** The raw baseline: every final row once, one unnest insert per table and chunk. */
async function baselineWrite(pool: Pool, projection: Projection): Promise<number> {
  let rows = 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const table of TABLES) {
      const meta = await client.query<{ name: string; type: string }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
          WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [table],
      );
      const cols = meta.rows;
      const data = projection[table] as unknown as Record<string, unknown>[];
      for (let i = 0; i < data.length; i += 10_000) {
        const chunk = data.slice(i, i + 10_000);
        const params = cols.map((c) => chunk.map((r) => (c.type === 'jsonb' ? JSON.stringify(r[c.name] ?? null) : (r[c.name] ?? null))));
        await client.query(
          `INSERT INTO ${table} (${cols.map((c) => `"${c.name}"`).join(', ')})
           SELECT ${cols.map((c) => (c.type === 'jsonb' ? `"${c.name}"::jsonb` : `"${c.name}"`)).join(', ')} FROM unnest(${cols.map((c, k) => `$${k + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`).join(', ')})
             AS x(${cols.map((c) => `"${c.name}"`).join(', ')})
           ON CONFLICT DO NOTHING`,
          params,
        );
      }
      rows += data.length;
    }
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  return rows;
}

function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  ensureDatabase();
  const events = [...syntheticEvents({ incidents, seed: Number(values.seed), prefix: `b${suffix}` })];
  console.log(`synthetic stream: ${events.length} events over ${incidents} incidents`);
  const kafka = createKafka({ brokers, clientId: 'bench', logLevel: 'nothing' });
  const topic = `bench-events-${suffix}`;
  await ensureTopics(kafka, [{ topic, numPartitions: 6, config: { 'retention.ms': '-1' } }]);
  const producer = new EventLogProducer(kafka, { topic, maxBatchRecords: 2000, maxQueuedRecords: 10_000_000, ackTimeoutMs: 600_000 });
  await producer.start();
  let t = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < events.length; i += 2000) inflight.push(producer.publish(events.slice(i, i + 2000).map((e) => toKafkaRecord(e))));
  await Promise.all(inflight);
  await producer.stop();
  console.log(`produced in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Baseline: rules once in memory, then the final rows written with unnest.
  const basePool = await freshSchema(`bench_base_${suffix}`);
  t = performance.now();
  const projection = project(events);
  const pureMs = performance.now() - t;
  t = performance.now();
  const rows = await baselineWrite(basePool, projection);
  const writeMs = performance.now() - t;
  await basePool.end();
  const baselineRate = events.length / ((pureMs + writeMs) / 1000);
  console.log(`baseline: project() ${Math.round(pureMs)} ms + unnest write of ${rows} rows ${Math.round(writeMs)} ms = ${Math.round(baselineRate)} events/s`);

  // The projector process catching up from offset 0.
  const schema = `bench_proj_${suffix}`;
  const pool = await freshSchema(schema);
  const ends = await fetchLogEnds(kafka, topic);
  const total = ends.reduce((n, e) => n + BigInt(e.high), 0n);
  const heap = values['projector-heap-mib'];
  const child = spawn(process.execPath, [...(heap === undefined ? [] : [`--max-old-space-size=${heap}`]), path.join(root, 'services/projector/dist/main.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, EVENTS_TOPIC: topic, PROJECTOR_GROUP_ID: `bench-${suffix}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  t = performance.now();
  const memory: number[] = [];
  const samples: { s: number; stored: bigint }[] = [];
  for (;;) {
    const r = await pool.query<{ stored: string | null; projected: string | null }>(
      'SELECT sum(next_offset) AS stored, sum(projected_next_offset) AS projected FROM projector_offsets',
    );
    const stored = BigInt(r.rows[0]?.stored ?? '0');
    const projected = BigInt(r.rows[0]?.projected ?? '0');
    memory.push(rssMiB(child.pid!));
    samples.push({ s: (performance.now() - t) / 1000, stored });
    if (projected >= total) break;
    if (performance.now() - t > 3_600_000) throw new Error('catch-up took over an hour');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const seconds = (performance.now() - t) / 1000;
  child.kill('SIGTERM');
  await pool.end();
  const rate = events.length / seconds;
  const quarter = memory.slice(Math.floor(memory.length / 4));
  console.log(`projector catch-up: ${events.length} events in ${seconds.toFixed(1)} s = ${Math.round(rate)} events/s`);
  console.log(`ratio to baseline: ${((rate / baselineRate) * 100).toFixed(1)} %`);
  console.log(`projector RSS MiB: min ${Math.min(...quarter)}, max ${Math.max(...memory)} (samples every 1 s: ${memory.join(' ')})`);
  console.log(`stored offsets over time: ${samples.map((s) => `${s.s.toFixed(0)}s:${s.stored}`).join(' ')}`);
  console.log(`schemas left for inspection: bench_base_${suffix}, ${schema}; topic ${topic}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
