import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from '@incidents/db';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { databaseUrl, freshSchema, freshTopic, testKafka } from './support/infra.js';
import { startIngest, type RunningIngest } from './support/ingest.js';
import { opsEnv, runOps } from './support/ops.js';
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
  env = opsEnv({ schema, topic, ingestUrl: ingest.url, databaseUrl: databaseUrl() });
  dir = mkdtempSync(path.join(tmpdir(), 'ops-errors-'));
});

afterAll(async () => {
  await ingest.stop();
  await pool.end();
});

/** Runs the CLI and expects it to exit with `code` and say `message` on stderr. */
async function fails(args: string[], code: number, message: string | RegExp): Promise<void> {
  const r = await runOps(args, env);
  expect(r.code).toBe(code);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
}

const logged = async () => (await fetchLogEnds(kafka, topic)).reduce((n, e) => n + BigInt(e.high), 0n);
const versions = async () => (await pool.query<{ name: string; state: string }>('SELECT name, state FROM projection_versions ORDER BY name')).rows;

it('prints its help: exit 0 when asked, 2 without a command; an unknown option or command is bad usage', async () => {
  const help = await runOps(['help'], env);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Exit codes: 0 done, 1 failed');
  const none = await runOps([], env);
  expect(none.code).toBe(2);
  expect(none.stdout).toContain('incidents-ops <command> [options]');
  await fails(['status', '--bogus'], 2, "Unknown option '--bogus'");
  expect((await runOps(['frobnicate'], env)).code).toBe(2);
});

it('refuses to import a file it cannot read whole, before posting anything', async () => {
  const seed = seedEvents().slice(0, 5);
  const bad = path.join(dir, 'bad.ndjson');
  // four good lines, then a broken one: nothing of it may reach the log
  writeFileSync(bad, [...seed.slice(0, 4).map((e) => JSON.stringify(e)), '{"id": "half', JSON.stringify(seed[4])].join('\n'));
  await fails(['import', bad], 2, 'bad.ndjson: line 5 is not valid JSON');
  await fails(['import', path.join(dir, 'missing.ndjson')], 2, /cannot read .*missing\.ndjson: ENOENT/);
  await fails(['import'], 2, 'import needs a file');
  const good = path.join(dir, 'good.ndjson');
  writeFileSync(good, seed.map((e) => JSON.stringify(e)).join('\n'));
  await fails(['import', good, '--batch-size', '0'], 2, '--batch-size must be 1..500');
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
  await fails(['export', '--from', 'last tuesday', '--out', out], 2, 'not a time: last tuesday');
  expect(existsSync(out)).toBe(false);
  await fails(['export', '--out', path.join(dir, 'no-such-dir', 'x.ndjson')], 2, /cannot write .*x\.ndjson: ENOENT/);
  // nowhere to spill the partitions: it fails before writing the output, and says where it looked
  const spilled = await runOps(['export', '--out', out], { ...env, TMPDIR: path.join(dir, 'no-tmp') });
  expect(spilled.code).toBe(1);
  expect(spilled.stderr).toContain(`cannot make the export's temporary directory in ${path.join(dir, 'no-tmp')} (TMPDIR)`);
  expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  // a good export streams the log to the file (one line per event)
  const file = path.join(dir, 'all.ndjson');
  const exported = await runOps(['export', '--out', file], env);
  expect(exported).toMatchObject({ code: 0 });
  expect(existsSync(`${file}.partial`)).toBe(false);
  expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(Number(await logged()));
  // a progress bar on stderr, then what was written
  expect(exported.stderr).toContain(`export [${'#'.repeat(30)}] 5/5 records read`);
  expect(exported.stderr).toContain('exported 5 events (0 filtered out, 0 unreadable records left out)');
});

it('answers bad options of wait, replay and dead-letters as bad usage', async () => {
  await fails(['wait', '--timeout', 'soon'], 2, '--timeout must be 0..86400 seconds, not soon');
  await fails(['replay'], 2, 'replay needs --from');
  await fails(['replay', '--from', '0', '--partition', 'one'], 2, '--partition must be a number');
  await fails(['dead-letters', 'list', '--status', 'lost'], 2, '--status is parked, retried or discarded');
  await fails(['dead-letters'], 2, 'dead-letters list|show|retry|discard');
});

it('refuses bad version names and versions it must not touch, and changes no version row', async () => {
  // rows only, no schemas behind them (last test: the others read the base schema)
  await pool.query(`INSERT INTO projection_versions (name, schema_name, state) VALUES ('old', $1, 'retired'), ('live', $2, 'serving')`, [`${schema}_old`, `${schema}_live`]);
  const before = await versions();
  await fails(['rebuild', '--name', 'Bad-Name'], 4, 'version name Bad-Name must match');
  await fails(['rebuild', '--name', 'old'], 4, 'version old is retired; choose another name');
  await fails(['drop', 'live'], 4, 'version live serves reads');
  await fails(['drop', 'nope'], 4, 'no version nope');
  await fails(['drop'], 2, 'drop needs a version name');
  expect(await versions()).toEqual(before);
});
