#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@incidents/config';
import { createPool, runMigrations } from '@incidents/db';
import { createKafka, ensureTopics, fetchLogEnds } from '@incidents/kafka';
import { OpsConfig } from './config.js';
import { importEvents, readNdjsonFile } from './import-events.js';
import { projectionStatus } from './status.js';
import { summary } from './summary.js';

const HELP = `incidents-ops <command> [options]

Commands:
  migrate                 apply database migrations to DATABASE_SCHEMA
  topics                  create the event and dead-letter topics if missing
  import <file.ndjson>    post CloudEvents (one per line) through the ingest service, in batches
  seed [--if-empty]       import the seed fixture (fixtures/seed-incidents.ndjson)
  wait [--timeout S]      wait until the projection has caught up with the log end
  status [--json]         per partition: stored offset, log end, lag; dead letters
  summary                 print what the query service serves (incidents, casualty tally)
  help                    this text

Configuration comes from the environment (see README, "Configuration").
Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 timed out.`;

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
      const events = readNdjsonFile(file);
      const result = await importEvents(config.INGEST_URL, config.INGEST_API_KEY, events, {
        batchSize,
        onProgress: (done) => process.stderr.write(`\rimported ${done}/${events.length}`),
      });
      process.stderr.write('\n');
      out(`imported ${result.events} events from ${path.relative(process.cwd(), file) || file} in ${result.requests} requests`);
      return 0;
    }
    case 'wait': {
      const deadline = Date.now() + Number(values.timeout) * 1000;
      const db = pool();
      try {
        for (;;) {
          const status = await projectionStatus(db, kafka(), config.PROJECTION_NAME, config.EVENTS_TOPIC);
          if (status.lag_events === '0') {
            out(`projection ${config.PROJECTION_NAME} is caught up (${status.events_applied ?? 0} events applied)`);
            return 0;
          }
          if (Date.now() > deadline) {
            out(`projection ${config.PROJECTION_NAME} still lags by ${status.lag_events} events`);
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
        const status = await projectionStatus(db, kafka(), config.PROJECTION_NAME, config.EVENTS_TOPIC);
        if (values.json) {
          out(JSON.stringify(status, null, 2));
        } else {
          out(`projection ${status.projection} on ${status.topic}: lag ${status.lag_events} events, ${status.events_applied ?? 0} events applied`);
          out('partition  stored  projected  log_end  lag  lag_s');
          for (const p of status.partitions) {
            out(
              `${String(p.partition).padStart(9)}  ${String(p.stored_offset ?? '-').padStart(6)}  ${String(p.projected_offset ?? '-').padStart(9)}  ${p.log_end.padStart(7)}  ${p.lag_events.padStart(3)}  ${String(p.lag_seconds ?? '-').padStart(5)}`,
            );
          }
          out(`dead letters: ${status.dead_letters.parked} parked, ${status.dead_letters.retried} retried, ${status.dead_letters.discarded} discarded`);
        }
        return 0;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`incidents-ops: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
