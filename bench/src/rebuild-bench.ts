/**
 * Rebuild benchmark: `incidents-ops rebuild` over a log of N synthetic events (blue/green,
 * from offset 0), beside a binary COPY of the same final rows into the same tables in the
 * same run (PostgreSQL writes the rebuilt tables to binary files, then copies them into a
 * fresh schema). Run it for N and 10N to read t(10N)/t(N).
 *
 *   node bench/dist/rebuild-bench.js --incidents 20000 [--restart]
 *   node bench/dist/rebuild-bench.js --restart-on <base schema> --topic <topic>   # the start with the snapshot alone, on a run's leftovers
 *
 * `--restart`: then starts the projector service the way a deployment runs it (following the
 * serving version, now the rebuilt one) and times how long a new event takes to be projected,
 * once with the index snapshot the rebuild saved and once without it (the index rebuilt from
 * the store), and how long the process takes to stop (it saves a snapshot on the way out).
 *
 * Needs the local broker, PostgreSQL (superuser, for server-side COPY) and a build.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPool, runMigrations, type Pool } from '@incidents/db';
import { createKafka, EventLogProducer, toKafkaRecord } from '@incidents/kafka';
import { STORED_TABLES } from '@incidents/projection';
import { publishSynthetic, rssOfChildren } from './processes.js';
import { syntheticEvents } from './synthetic.js';
import { databaseUrl, ensureDatabase, root } from './infra.js';

const { values } = parseArgs({
  options: {
    incidents: { type: 'string', default: '20000' },
    restart: { type: 'boolean', default: false },
    // the restart timings alone, on the schemas and topic an earlier run left (`schemas left: <base>, …`)
    'restart-on': { type: 'string' },
    topic: { type: 'string' },
  },
});
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const suffix = Date.now().toString(36);
/** The read models and the citation sets (migration 009): every table the projection writes. */
const TABLES = STORED_TABLES;
/** The projector's own tables in a version (migrations 001 and 003). */
const STORE_TABLES = ['event_store', 'projection_event_clusters'] as const;


async function main(): Promise<void> {
  ensureDatabase();
  const again = values['restart-on'];
  if (again !== undefined) {
    if (values.topic === undefined) throw new Error('--restart-on needs --topic');
    const pool = createPool({ url: databaseUrl, schema: again, max: 2 });
    const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: again, EVENTS_TOPIC: values.topic, KAFKA_BROKERS: brokers };
    await restarts(pool, env, `${again}_v1`, values.topic, createKafka({ brokers: brokers.split(','), clientId: 'bench', logLevel: 'nothing' }), ['with the snapshot']);
    await pool.end();
    return;
  }
  const incidents = Number(values.incidents);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'bench', logLevel: 'nothing' });
  const topic = `bench-rebuild-${suffix}`;
  const events = await publishSynthetic(kafka, topic, { incidents, seed: 2, prefix: `r${suffix}` });
  console.log(`log: ${events} events over ${incidents} incidents in topic ${topic}`);

  const base = `bench_rb_${suffix}`;
  await runMigrations({ databaseUrl, schema: base, migrationsDir: path.join(root, 'packages/db/migrations') });
  const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: base, EVENTS_TOPIC: topic, KAFKA_BROKERS: brokers };
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'services/ops/dist/cli.js'), 'rebuild', '--name', 'v1', '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const memory: number[] = [];
  const sampler = setInterval(() => memory.push(rssOfChildren(child.pid!)), 1000);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`rebuild exited with ${code}`);
  console.log(`rebuild: ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s`);
  console.log(`rebuild RSS MiB (command + projector), every 1 s: ${memory.join(' ')}`);

  // Binary COPY of the same final rows into the same tables (a fresh schema).
  const pool = createPool({ url: databaseUrl, schema: base, max: 2 });
  const copySchema = `bench_copy_${suffix}`;
  await runMigrations({ databaseUrl, schema: copySchema, migrationsDir: path.join(root, 'packages/db/migrations') });
  /**
   * Times copying the rebuilt `tables` back into the fresh schema from server-side binary
   * files, one table at a time (each file written untimed first; file and copy removed after:
   * at 10M events every table's file and copy at once would not fit beside the rebuilt schema).
   */
  const copyTimed = async (tables: readonly string[]): Promise<{ rows: number; seconds: number }> => {
    let rows = 0;
    let ms = 0;
    for (const t of tables) {
      const file = `/tmp/${suffix}-${t}.bin`;
      await pool.query(`COPY "${base}_v1"."${t}" TO '${file}' WITH (FORMAT binary)`);
      rows += Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${base}_v1"."${t}"`)).rows[0]!.n);
      const start = performance.now();
      await pool.query(`COPY "${copySchema}"."${t}" FROM '${file}' WITH (FORMAT binary)`);
      ms += performance.now() - start;
      rmSync(file, { force: true }); // (PostgreSQL on another machine: nothing here to remove)
      await pool.query(`TRUNCATE "${copySchema}"."${t}"`); // timed already: keep the disk for the next
    }
    return { rows, seconds: ms / 1000 };
  };
  const { rows, seconds: copySeconds } = await copyTimed(TABLES);
  // The version's own store as well (the events as stored and their clusters): what the
  // rebuild writes beside the read models. Reported apart; the target is read against the
  // read models (with their citation sets) alone.
  const { rows: storeRows, seconds: storeSeconds } = await copyTimed(STORE_TABLES);
  await pool.query(`DROP SCHEMA "${copySchema}" CASCADE`);
  console.log(`binary COPY of the same ${rows} rows: ${copySeconds.toFixed(2)} s = ${Math.round(events / copySeconds)} events/s equivalent`);
  console.log(`rebuild / COPY rate: ${((copySeconds / seconds) * 100).toFixed(1)} % (target ≥ 25 %)`);
  console.log(
    `binary COPY of the version's store as well (${STORE_TABLES.join(', ')}: ${storeRows} rows): ${storeSeconds.toFixed(2)} s more; ` +
      `rebuild / COPY of every table it writes: ${(((copySeconds + storeSeconds) / seconds) * 100).toFixed(1)} %`,
  );
  if (values.restart) await restarts(pool, env, `${base}_v1`, topic, kafka);
  await pool.end();
  console.log(`schemas left: ${base}, ${base}_v1 (the COPY's schema and files are removed)`);
}

/**
 * Starts the projector service on the rebuilt version, publishes one new incident report and
 * times until it is projected; then stops the process (timed: it saves a snapshot of its index
 * on the way out). Once as it is (with the snapshot the rebuild's projector saved) and once
 * with the snapshot deleted first.
 */
async function restarts(
  pool: Pool,
  env: NodeJS.ProcessEnv,
  schema: string,
  topic: string,
  kafka: ReturnType<typeof createKafka>,
  runs = ['with the snapshot', 'without a snapshot'],
): Promise<void> {
  const snapshot = async () =>
    (await pool.query<{ projected_seq: string; bytes: string; events: string }>(`SELECT projected_seq, bytes, events FROM "${schema}".projection_snapshots`)).rows[0];
  const saved = await snapshot();
  console.log(
    saved === undefined
      ? 'restart: the version holds no snapshot'
      : `restart: the version's snapshot: ${(Number(saved.bytes) / 2 ** 20).toFixed(1)} MiB (${saved.events} events, seq ${saved.projected_seq})`,
  );
  const producer = new EventLogProducer(kafka, { topic });
  await producer.start();
  for (const label of runs) {
    if (label === 'without a snapshot') await pool.query(`DELETE FROM "${schema}".projection_snapshots`);
    const child = spawn(process.execPath, [path.join(root, 'services/projector/dist/main.js')], {
      env: { ...env, PROJECTOR_FOLLOW_SERVING: 'true', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const started = performance.now();
    const report = [...syntheticEvents({ incidents: 1, seed: 7, prefix: `restart${label.length}${suffix}` })].find((e) => e.type === 'IncidentReported')!;
    await producer.publish([toKafkaRecord(report)]);
    for (;;) {
      const r = await pool.query(
        `SELECT 1 FROM "${schema}".event_store e JOIN "${schema}".projection_state s ON s.projected_seq >= e.seq WHERE e.source = $1 AND e.id = $2`,
        [report.source, report.id],
      );
      if (r.rows.length > 0) break;
      if (performance.now() - started > 3_600_000) throw new Error('restart: the event was not projected within an hour');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const projected = (performance.now() - started) / 1000;
    const stopping = performance.now();
    child.kill('SIGTERM');
    await exited;
    const stopped = (performance.now() - stopping) / 1000;
    const restored = /"message":"index restored from its snapshot"[^\n]*"ms":(\d+)/.exec(log)?.[1];
    console.log(
      `restart ${label}: a new event projected ${projected.toFixed(1)} s after the process started` +
        (restored === undefined ? '' : ` (snapshot read and restored in ${(Number(restored) / 1000).toFixed(1)} s)`) +
        `; stopped in ${stopped.toFixed(1)} s`,
    );
  }
  await producer.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
