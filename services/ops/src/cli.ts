#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@incidents/config';
import { createPool, listVersions, runMigrations, servingProjection } from '@incidents/db';
import { createKafka, ensureTopics, fetchLogEnds } from '@incidents/kafka';
import { OpsConfig } from './config.js';
import { DeadLetterError, discardDeadLetter, listDeadLetters, retryDeadLetter, showDeadLetter } from './dead-letters.js';
import { exportEvents, openExportFile } from './export-events.js';
import { countNdjsonEvents, ImportFileError, importEvents, ndjsonEvents } from './import-events.js';
import { replay } from './replay.js';
import { projectionStatus } from './status.js';
import { summary } from './summary.js';
import { checksums, differences } from './verify.js';
import { dropVersion, OpsError, rebuild, type RebuildProgress } from './versions.js';

const HELP = `incidents-ops <command> [options]

Commands:
  migrate                 apply database migrations to DATABASE_SCHEMA
  topics                  create the event and dead-letter topics if missing
  import <file.ndjson>    post CloudEvents (one per line) through the ingest service, in batches
  seed [--if-empty]       import the seed fixture (fixtures/seed-incidents.ndjson)
  export [--from T] [--to T] [--type X,Y] [--subject S] [--out FILE]
                          write the log as CloudEvents NDJSON (stdout by default)
  wait [--timeout S]      wait until the serving projection has caught up with the log end
  status [--json]         versions, and per partition: stored / projected offset, log end, lag; dead letters
  summary                 print what the query service serves (incidents, casualty tally)
  rebuild [--name N]      build a new projection version from offset 0 beside the serving one,
                          switch it in atomically once caught up (run again to resume)
  rebuild --cancel N      stop using a version being built and drop its tables
  versions [--json]       list projection versions
  drop N                  drop a version that does not serve (retired, scratch) and its tables
  verify [--keep]         rebuild into a scratch version and compare every read-model table with
                          the serving one (row counts and checksums); exit 1 on any difference
  replay --from <offset|time> [--partition P]
                          read the log again from there (idempotent: stored events change nothing)
  dead-letters list [--status parked|retried|discarded] [--json]
  dead-letters show ID    the parked record, its position and error
  dead-letters retry ID   send the record through the log again (audit row kept, marked retried)
  dead-letters discard ID --reason TEXT
  help                    this text

Configuration comes from the environment (see README, "Configuration").
Exit codes: 0 done, 1 failed (or verify found differences), 2 bad usage or configuration,
3 timed out, 4 refused (the command explains why), 5 stopped by the user (resumable).`;

const repoRoot = path.resolve(import.meta.dirname, '../../..');

class UsageError extends Error {}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'if-empty': { type: 'boolean', default: false },
      timeout: { type: 'string', default: '60' },
      'batch-size': { type: 'string', default: '500' },
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string' },
      subject: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      cancel: { type: 'string' },
      keep: { type: 'boolean', default: false },
      partition: { type: 'string' },
      status: { type: 'string' },
      reason: { type: 'string' },
      projection: { type: 'string' },
    },
  });
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(HELP);
    return command ? 0 : 2;
  }
  const config = loadConfig(OpsConfig);
  const kafka = () => createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'ops', logLevel: 'nothing' });
  const pool = () => createPool({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, max: 2, applicationName: 'ops' });

  switch (command) {
    case 'migrate': {
      await runMigrations({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, migrationsDir: path.join(repoRoot, 'packages/db/migrations') });
      out(`migrations applied to schema ${config.DATABASE_SCHEMA}`);
      return 0;
    }
    case 'topics': {
      const created = await ensureTopics(kafka(), [
        { topic: config.EVENTS_TOPIC, numPartitions: config.EVENTS_TOPIC_PARTITIONS, config: { 'retention.ms': '-1' } },
        { topic: config.DEAD_LETTER_TOPIC, numPartitions: 1, config: { 'retention.ms': '-1' } },
      ]);
      out(created.length > 0 ? `created topics: ${created.join(', ')}` : 'topics already exist');
      return 0;
    }
    case 'import':
    case 'seed': {
      const file = command === 'seed' ? path.join(repoRoot, 'fixtures/seed-incidents.ndjson') : positionals[0];
      if (!file) throw new UsageError('import needs a file: incidents-ops import <file.ndjson>');
      if (values['if-empty']) {
        const ends = await fetchLogEnds(kafka(), config.EVENTS_TOPIC);
        if (ends.some((e) => BigInt(e.high) > 0n)) {
          out(`the event log ${config.EVENTS_TOPIC} is not empty; nothing imported`);
          return 0;
        }
      }
      const batchSize = Number(values['batch-size']);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) throw new UsageError('--batch-size must be 1..500');
      // every line is checked before the first is posted: a bad file imports nothing
      const total = await countNdjsonEvents(file);
      const result = await importEvents(config.INGEST_URL, config.INGEST_API_KEY, ndjsonEvents(file), {
        batchSize,
        onProgress: (done) => process.stderr.write(`\rimported ${done}/${total}`),
      });
      process.stderr.write('\n');
      out(`imported ${result.events} events from ${path.relative(process.cwd(), file) || file} in ${result.requests} requests`);
      return 0;
    }
    case 'wait': {
      const timeout = Number(values.timeout);
      if (!(timeout >= 0 && timeout <= 86_400)) throw new UsageError(`--timeout must be 0..86400 seconds, not ${values.timeout}`);
      const deadline = Date.now() + timeout * 1000;
      const db = pool();
      try {
        for (;;) {
          const serving = await servingProjection(db, config.DATABASE_SCHEMA);
          const status = await projectionStatus(db, kafka(), serving.name, config.EVENTS_TOPIC, serving.schema);
          if (status.lag_events === '0') {
            out(`projection ${serving.name} is caught up (${status.events_applied ?? 0} events applied)`);
            return 0;
          }
          if (Date.now() > deadline) {
            out(`projection ${serving.name} still lags by ${status.lag_events} events`);
            return 3;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        await db.end();
      }
    }
    case 'status': {
      const db = pool();
      try {
        const serving = await servingProjection(db, config.DATABASE_SCHEMA);
        const versions = await listVersions(db);
        const status = await projectionStatus(db, kafka(), serving.name, config.EVENTS_TOPIC, serving.schema);
        const building = [];
        for (const v of versions.filter((x) => x.state === 'building' || x.state === 'scratch')) {
          building.push(await projectionStatus(db, kafka(), v.name, config.EVENTS_TOPIC, v.schema_name));
        }
        if (values.json) {
          out(JSON.stringify({ serving, versions, ...status, building }, null, 2));
        } else {
          out(`serving reads: ${serving.name} (schema ${serving.schema})`);
          for (const v of versions) out(`version ${v.name}: ${v.state} (schema ${v.schema_name}, created ${v.created_at})`);
          for (const b of building) out(`building ${b.projection}: lag ${b.lag_events} events`);
          out(`projection ${status.projection} on ${status.topic}: lag ${status.lag_events} events, ${status.events_applied ?? 0} events applied`);
          out('partition  stored  projected  log_end  lag  lag_s');
          for (const p of status.partitions) {
            out(
              `${String(p.partition).padStart(9)}  ${String(p.stored_offset ?? '-').padStart(6)}  ${String(p.projected_offset ?? '-').padStart(9)}  ${p.log_end.padStart(7)}  ${p.lag_events.padStart(3)}  ${String(p.lag_seconds ?? '-').padStart(5)}`,
            );
          }
          out(`dead letters: ${status.dead_letters.parked} parked, ${status.dead_letters.retried} retried, ${status.dead_letters.discarded} discarded`);
          const snap = status.index_snapshot;
          out(
            snap
              ? `index snapshot: ${snap.events} events (seq ${snap.projected_seq}), ${(snap.bytes / 2 ** 20).toFixed(1)} MiB, taken ${snap.taken_at}`
              : 'index snapshot: none (a projector that starts rebuilds its index from the store)',
          );
        }
        return 0;
      } finally {
        await db.end();
      }
    }
    case 'export': {
      for (const t of [values.from, values.to]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new UsageError(`not a time: ${t}`);
      const file = values.out ? await openExportFile(values.out).catch((error: unknown) => Promise.reject(new UsageError((error as Error).message))) : undefined;
      const result = await exportEvents(
        kafka(),
        config.EVENTS_TOPIC,
        { from: values.from, to: values.to, types: values.type?.split(','), subject: values.subject },
        file?.stream ?? process.stdout,
        { onProgress: bar('export', 'records read') },
      ).catch(async (error: unknown) => {
        await file?.abort();
        throw error;
      });
      process.stderr.write('\n');
      await file?.commit();
      process.stderr.write(`exported ${result.exported} events (${result.skipped} filtered out, ${result.unreadable} unreadable records left out)\n`);
      return 0;
    }
    case 'versions': {
      const db = pool();
      try {
        const versions = await listVersions(db);
        if (values.json) out(JSON.stringify(versions, null, 2));
        else if (versions.length === 0) out(`no versions: the base schema ${config.DATABASE_SCHEMA} serves (projection main)`);
        else for (const v of versions) out(`${v.name.padEnd(16)} ${v.state.padEnd(9)} ${v.schema_name}  created ${v.created_at}${v.switched_at ? `  switched ${v.switched_at}` : ''}`);
        return 0;
      } finally {
        await db.end();
      }
    }
    case 'drop': {
      const name = positionals[0];
      if (!name) throw new UsageError('drop needs a version name');
      const db = pool();
      try {
        await dropVersion(db, name);
        out(`dropped version ${name}`);
        return 0;
      } finally {
        await db.end();
      }
    }
    case 'rebuild':
    case 'verify': {
      const db = pool();
      let interrupted: () => void = () => {};
      const cancelled = new Promise<void>((r) => (interrupted = r));
      process.once('SIGINT', () => interrupted());
      process.once('SIGTERM', () => interrupted());
      try {
        if (command === 'rebuild' && values.cancel) {
          await dropVersion(db, values.cancel);
          out(`cancelled the build of ${values.cancel} and dropped its tables`);
          return 0;
        }
        const scratch = command === 'verify';
        const version = await rebuild({
          config,
          pool: db,
          kafka: kafka(),
          repoRoot,
          name: scratch ? `verify_${Date.now().toString(36)}` : values.name,
          scratch,
          cancelled,
          onProgress: values.json ? undefined : progressBar(scratch ? 'verify' : 'rebuild'),
        });
        process.stderr.write('\n');
        if (!scratch) {
          out(values.json ? JSON.stringify(version) : `version ${version.name} caught up and serves reads (schema ${version.schema_name})`);
          return 0;
        }
        const serving = await servingProjection(db, config.DATABASE_SCHEMA);
        const live = await checksums(db, serving.schema);
        const rebuilt = await checksums(db, version.schema_name);
        const diff = differences(live, rebuilt);
        if (!values.keep) await dropVersion(db, version.name);
        if (values.json) out(JSON.stringify({ serving, scratch: version.name, tables: live, differences: diff }, null, 2));
        else {
          for (const l of live) out(`${l.table.padEnd(26)} ${String(l.rows).padStart(8)} rows  ${diff.some((d) => d.table === l.table) ? 'DIFFERS' : 'same'}`);
          out(diff.length === 0 ? 'verify: the rebuilt read models equal the serving ones' : `verify: ${diff.length} table(s) differ`);
        }
        return diff.length === 0 ? 0 : 1;
      } finally {
        await db.end();
      }
    }
    case 'replay': {
      if (!values.from) throw new UsageError('replay needs --from <offset|time>');
      const from = /^\d{1,19}$/.test(values.from) ? { offset: BigInt(values.from) } : { timeMs: Date.parse(values.from) };
      if (from.timeMs !== undefined && Number.isNaN(from.timeMs)) throw new UsageError(`--from must be an offset or an RFC 3339 time, not ${values.from}`);
      const partition = values.partition === undefined ? undefined : Number(values.partition);
      if (partition !== undefined && !Number.isInteger(partition)) throw new UsageError('--partition must be a number');
      const db = pool();
      try {
        const serving = await servingProjection(db, config.DATABASE_SCHEMA);
        const plan = await replay(db, kafka(), config.EVENTS_TOPIC, serving.name, serving.schema, from, partition);
        if (values.json) out(JSON.stringify(plan));
        else for (const p of plan) out(`partition ${p.partition}: read again from ${p.from} (was at ${p.stored})`);
        out('events already applied are recognised by (source, id) and change nothing; the projector re-reads within a few seconds');
        return 0;
      } finally {
        await db.end();
      }
    }
    case 'dead-letters': {
      const [action, id] = positionals;
      const db = pool();
      try {
        const serving = await servingProjection(db, config.DATABASE_SCHEMA);
        const projection = values.projection ?? serving.name;
        switch (action) {
          case 'list': {
            if (values.status && !['parked', 'retried', 'discarded'].includes(values.status)) throw new UsageError('--status is parked, retried or discarded');
            const rows = await listDeadLetters(db, projection, values.status);
            if (values.json) out(JSON.stringify(rows, null, 2));
            else for (const r of rows) out(`${r.dead_letter_id.padStart(6)}  ${r.status.padEnd(9)} p${r.partition}@${r.offset}  ${r.error_code}: ${r.error.slice(0, 100)}`);
            return 0;
          }
          case 'show': {
            if (!id) throw new UsageError('dead-letters show needs an id');
            out(JSON.stringify(await showDeadLetter(db, projection, id), null, 2));
            return 0;
          }
          case 'retry': {
            if (!id) throw new UsageError('dead-letters retry needs an id');
            const at = await retryDeadLetter(db, kafka(), projection, config.EVENTS_TOPIC, id);
            out(`dead letter ${id} re-published at partition ${at.partition} offset ${at.offset}`);
            return 0;
          }
          case 'discard': {
            if (!id || !values.reason) throw new UsageError('dead-letters discard needs an id and --reason');
            await discardDeadLetter(db, projection, id, values.reason);
            out(`dead letter ${id} discarded`);
            return 0;
          }
          default:
            throw new UsageError('dead-letters list|show|retry|discard');
        }
      } finally {
        await db.end();
      }
    }
    case 'summary': {
      for (const line of await summary(config.QUERY_URL)) out(line);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
  }
}

/** A progress bar on stderr: `label [####......] done/total unit`, redrawn in place. */
function bar(label: string, unit: string): (done: bigint, total: bigint) => void {
  return (done, total) => {
    const ratio = total === 0n ? 1 : Number((done * 1000n) / total) / 1000;
    const filled = Math.round(ratio * 30);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total} ${unit}`);
  };
}

function progressBar(label: string): (p: RebuildProgress) => void {
  const draw = bar(label, 'events');
  return (p) => draw(p.projected, p.total);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof OpsError || error instanceof DeadLetterError) {
      process.stderr.write(`incidents-ops: ${error.message}\n`);
      const codes: Record<string, number> = { refused: 4, not_found: 4, not_parked: 4, version_exists: 4, timeout: 3, cancelled: 5 };
      process.exit(codes[error.code] ?? 1);
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof ImportFileError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`incidents-ops: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
