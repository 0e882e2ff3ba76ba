import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import path from 'node:path';
import { listVersions, runMigrations, servingProjection, withTransaction, type Pool, type ProjectionVersion } from '@incidents/db';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import type { OpsConfig } from './config.js';

export class OpsError extends Error {
  constructor(
    readonly code: 'version_exists' | 'not_found' | 'failed' | 'refused' | 'timeout' | 'cancelled',
    message: string,
  ) {
    super(message);
  }
}

export interface RebuildProgress {
  projected: bigint;
  total: bigint;
  parked: number;
}

export interface RebuildOptions {
  config: OpsConfig;
  pool: Pool;
  kafka: KafkaHandle;
  repoRoot: string;
  /** Version name; default: resume the version being built, else a new `v<time>` name. */
  name?: string;
  /** A scratch version is never switched in (verify). */
  scratch?: boolean;
  /** Switch the new version in once it has caught up (default true for rebuilds). */
  switchIn?: boolean;
  onProgress?: (p: RebuildProgress) => void;
  /** Resolves when the caller wants to stop (Ctrl-C): the build stops, resumable. */
  cancelled?: Promise<void>;
  /** Most bytes per partition and batch for the building projector (throttling). */
  maxBytesPerPartition?: number;
}

const NAME = /^[a-z][a-z0-9_]{0,30}$/;

export function versionSchema(base: string, name: string): string {
  return `${base}_${name}`.slice(0, 63);
}

async function projectedOffsets(pool: Pool, schema: string, name: string): Promise<Map<number, bigint>> {
  const r = await pool.query<{ partition: number; projected_next_offset: string }>(
    `SELECT partition, projected_next_offset FROM "${schema}".projector_offsets WHERE projection = $1`,
    [name],
  );
  return new Map(r.rows.map((row) => [row.partition, BigInt(row.projected_next_offset)]));
}

async function parkedCount(pool: Pool, schema: string): Promise<number> {
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".dead_letters WHERE status = 'parked'`);
  return Number(r.rows[0]!.n);
}

function spawnProjector(opts: RebuildOptions, name: string, schema: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(opts.repoRoot, 'services/projector/dist/main.js')], {
    env: {
      ...process.env,
      KAFKA_BROKERS: opts.config.KAFKA_BROKERS.join(','),
      DATABASE_URL: opts.config.DATABASE_URL,
      DATABASE_SCHEMA: schema,
      EVENTS_TOPIC: opts.config.EVENTS_TOPIC,
      PROJECTION_NAME: name,
      PROJECTOR_GROUP_ID: `projector-${name}`,
      PROJECTOR_FOLLOW_SERVING: 'false',
      PROJECTOR_EXIT_WITH_PARENT: 'true',
      PROJECTOR_MAX_BYTES_PER_PARTITION: String(opts.maxBytesPerPartition ?? 1024 * 1024),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Throttle: the rebuild yields the CPU to the services that keep serving.
  try {
    if (child.pid) setPriority(child.pid, 10);
  } catch {
    // not permitted: run at normal priority
  }
  return child;
}

/**
 * Blue/green rebuild: a new projection version builds its own tables in its own schema from
 * offset 0 while the serving version keeps answering; once it has reached the log end it is
 * switched in with one transaction (the query service and the projector service follow the
 * `serving` row). Resumable (run it again: the version's offsets are in its schema), stoppable
 * at any time without touching what serves. A parked record during a rebuild stops it (fail fast).
 */
export async function rebuild(opts: RebuildOptions): Promise<ProjectionVersion> {
  const base = opts.config.DATABASE_SCHEMA;
  const versions = await listVersions(opts.pool);
  let name = opts.name;
  if (!name) name = versions.find((v) => v.state === (opts.scratch ? 'scratch' : 'building'))?.name ?? `v${Date.now().toString(36)}`;
  if (!NAME.test(name)) throw new OpsError('refused', `version name ${name} must match ${NAME}`);
  const existing = versions.find((v) => v.name === name);
  if (existing && existing.state !== 'building' && existing.state !== 'scratch') {
    throw new OpsError('version_exists', `version ${name} is ${existing.state}; choose another name`);
  }
  const schema = existing?.schema_name ?? versionSchema(base, name);
  await opts.pool.query(`INSERT INTO projection_versions (name, schema_name, state) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, [
    name,
    schema,
    opts.scratch ? 'scratch' : 'building',
  ]);
  await runMigrations({ databaseUrl: opts.config.DATABASE_URL, schema, migrationsDir: path.join(opts.repoRoot, 'packages/db/migrations') });

  const child = spawnProjector(opts, name, schema);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let stop = false;
  void opts.cancelled?.then(() => (stop = true));
  try {
    for (;;) {
      const ends = await fetchLogEnds(opts.kafka, opts.config.EVENTS_TOPIC);
      const projected = await projectedOffsets(opts.pool, schema, name);
      const total = ends.reduce((n, e) => n + BigInt(e.high), 0n);
      const done = ends.reduce((n, e) => n + (projected.get(e.partition) ?? 0n), 0n);
      const parked = await parkedCount(opts.pool, schema);
      opts.onProgress?.({ projected: done, total, parked });
      if (parked > 0) {
        throw new OpsError('failed', `the rebuild parked ${parked} record(s) (fail fast): see 'dead-letters list --projection ${name}'; fix the cause and run rebuild again to resume`);
      }
      if (ends.every((e) => (projected.get(e.partition) ?? 0n) >= BigInt(e.high))) break;
      if (stop) throw new OpsError('cancelled', `rebuild of ${name} stopped at ${done}/${total}; run it again to resume, or 'rebuild --cancel ${name}'`);
      const state = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]);
      if (state !== undefined) throw new OpsError('failed', `the building projector exited (${String(state)}); run rebuild again to resume`);
    }
    await opts.pool.query(`UPDATE projection_versions SET caught_up_at = now() WHERE name = $1`, [name]);
    if (!opts.scratch && opts.switchIn !== false) await switchServing(opts.pool, name);
    return (await listVersions(opts.pool)).find((v) => v.name === name)!;
  } finally {
    child.kill('SIGTERM');
    // The projector bounds its own drain (30 s); past that, it is not coming back by itself.
    const gone = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 40_000).unref())]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Makes `name` the serving version in one transaction; the previous one is retired. */
export async function switchServing(pool: Pool, name: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('LOCK TABLE projection_versions IN EXCLUSIVE MODE');
    const target = await client.query<{ state: string }>(`SELECT state FROM projection_versions WHERE name = $1`, [name]);
    if (!target.rows[0]) throw new OpsError('not_found', `no version ${name}`);
    await client.query(`UPDATE projection_versions SET state = 'retired', retired_at = now() WHERE state = 'serving'`);
    await client.query(`UPDATE projection_versions SET state = 'serving', switched_at = now() WHERE name = $1`, [name]);
  });
}

/** Drops a version that does not serve (cancelled builds, scratch, retired), schema included. */
export async function dropVersion(pool: Pool, name: string): Promise<void> {
  const versions = await listVersions(pool);
  const version = versions.find((v) => v.name === name);
  if (!version) throw new OpsError('not_found', `no version ${name}`);
  if (version.state === 'serving') throw new OpsError('refused', `version ${name} serves reads; switch another one in first`);
  await withTransaction(pool, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS "${version.schema_name}" CASCADE`);
    await client.query(`DELETE FROM projection_versions WHERE name = $1`, [name]);
  });
}

export { servingProjection };
