import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from '@incidents/db';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { TEST_KEY } from './support/http.js';
import { databaseUrl, freshSchema, freshTopic, testKafka } from './support/infra.js';
import { startIngest, type RunningIngest } from './support/ingest.js';
import { runOps } from './support/ops.js';
import { seedEvents } from './support/seed.js';

// Bad input to the ops CLI: a clear message, the documented exit code (2 bad usage, 4 refused),
// and nothing changed — no event posted, no version row, no file written.
jest.setTimeout(120_000);

let kafka: KafkaHandle;
let pool: Pool;
let schema: string;
let topic: string;
let ingest: RunningIngest;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  kafka = testKafka();
  ({ pool, schema } = await freshSchema());
  topic = await freshTopic(kafka, 3);
  ingest = await startIngest(kafka, topic);
  env = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: schema,
    EVENTS_TOPIC: topic,
    INGEST_URL: ingest.url,
    INGEST_API_KEY: TEST_KEY,
  };
  dir = mkdtempSync(path.join(tmpdir(), 'ops-errors-'));
});

afterAll(async () => {
  await ingest.stop();
  await pool.end();
});

const logged = async () => (await fetchLogEnds(kafka, topic)).reduce((n, e) => n + BigInt(e.high), 0n);
const versions = async () => (await pool.query<{ name: string; state: string }>('SELECT name, state FROM projection_versions ORDER BY name')).rows;

it('prints its help: exit 0 when asked, 2 without a command; an unknown option or command is bad usage', async () => {
  const help = await runOps(['help'], env);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Exit codes: 0 done, 1 failed');
  const none = await runOps([], env);
  expect(none.code).toBe(2);
  expect(none.stdout).toContain('incidents-ops <command> [options]');
  const option = await runOps(['status', '--bogus'], env);
  expect(option.code).toBe(2);
  expect(option.stderr).toContain("Unknown option '--bogus'");
  expect((await runOps(['frobnicate'], env)).code).toBe(2);
});

it('refuses to import a file it cannot read whole, before posting anything', async () => {
  const seed = seedEvents().slice(0, 5);
  const bad = path.join(dir, 'bad.ndjson');
  // four good lines, then a broken one: nothing of it may reach the log
  writeFileSync(bad, [...seed.slice(0, 4).map((e) => JSON.stringify(e)), '{"id": "half', JSON.stringify(seed[4])].join('\n'));
  const broken = await runOps(['import', bad], env);
  expect(broken.code).toBe(2);
  expect(broken.stderr).toContain('bad.ndjson: line 5 is not valid JSON');
  const missing = await runOps(['import', path.join(dir, 'missing.ndjson')], env);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/cannot read .*missing\.ndjson: ENOENT/);
  const noFile = await runOps(['import'], env);
  expect(noFile.code).toBe(2);
  expect(noFile.stderr).toContain('import needs a file');
  const good = path.join(dir, 'good.ndjson');
  writeFileSync(good, seed.map((e) => JSON.stringify(e)).join('\n'));
  const size = await runOps(['import', good, '--batch-size', '0'], env);
  expect(size.code).toBe(2);
  expect(size.stderr).toContain('--batch-size must be 1..500');
  expect(await logged()).toBe(0n);
  // the same file without the broken line imports, in batches of two
  const imported = await runOps(['import', good, '--batch-size', '2'], env);
  expect(imported).toMatchObject({ code: 0 });
  expect(imported.stdout).toContain('imported 5 events from');
  expect(imported.stdout).toContain('in 3 requests');
  expect(await logged()).toBe(5n);
});

it('refuses a bad export before reading the log: no file is written', async () => {
  const out = path.join(dir, 'never.ndjson');
  const time = await runOps(['export', '--from', 'last tuesday', '--out', out], env);
  expect(time.code).toBe(2);
  expect(time.stderr).toContain('not a time: last tuesday');
  expect(existsSync(out)).toBe(false);
  const unwritable = await runOps(['export', '--out', path.join(dir, 'no-such-dir', 'x.ndjson')], env);
  expect(unwritable.code).toBe(2);
  expect(unwritable.stderr).toMatch(/cannot write .*x\.ndjson: ENOENT/);
  // a good export streams the log to the file (one line per event)
  const file = path.join(dir, 'all.ndjson');
  const exported = await runOps(['export', '--out', file], env);
  expect(exported).toMatchObject({ code: 0 });
  expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(Number(await logged()));
});

it('answers bad options of wait, replay and dead-letters as bad usage', async () => {
  const wait = await runOps(['wait', '--timeout', 'soon'], env);
  expect(wait.code).toBe(2);
  expect(wait.stderr).toContain('--timeout must be 0..86400 seconds, not soon');
  expect((await runOps(['replay'], env)).stderr).toContain('replay needs --from');
  const partition = await runOps(['replay', '--from', '0', '--partition', 'one'], env);
  expect(partition.code).toBe(2);
  expect(partition.stderr).toContain('--partition must be a number');
  const status = await runOps(['dead-letters', 'list', '--status', 'lost'], env);
  expect(status.code).toBe(2);
  expect(status.stderr).toContain('--status is parked, retried or discarded');
  expect((await runOps(['dead-letters'], env)).code).toBe(2);
});

it('refuses bad version names and versions it must not touch, and changes no version row', async () => {
  // rows only, no schemas behind them (last test: the others read the base schema)
  await pool.query(`INSERT INTO projection_versions (name, schema_name, state) VALUES ('old', $1, 'retired'), ('live', $2, 'serving')`, [`${schema}_old`, `${schema}_live`]);
  const before = await versions();
  const invalid = await runOps(['rebuild', '--name', 'Bad-Name'], env);
  expect(invalid.code).toBe(4);
  expect(invalid.stderr).toContain('version name Bad-Name must match');
  const exists = await runOps(['rebuild', '--name', 'old'], env);
  expect(exists.code).toBe(4);
  expect(exists.stderr).toContain('version old is retired; choose another name');
  const serving = await runOps(['drop', 'live'], env);
  expect(serving.code).toBe(4);
  expect(serving.stderr).toContain('version live serves reads');
  const unknown = await runOps(['drop', 'nope'], env);
  expect(unknown.code).toBe(4);
  expect(unknown.stderr).toContain('no version nope');
  expect((await runOps(['drop'], env)).code).toBe(2);
  expect(await versions()).toEqual(before);
});
