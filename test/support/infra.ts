/** Helpers for int and e2e tests: fresh names, migrated schemas, topics, waiting on conditions. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createPool, runMigrations, type Pool } from '@incidents/db';
import { createKafka, ensureTopics, type KafkaHandle } from '@incidents/kafka';

export const repoRoot = path.resolve(__dirname, '../..');
export const migrationsDir = path.join(repoRoot, 'packages/db/migrations');

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

export function brokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

/** A short unique suffix for topic, group and schema names. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** Creates and migrates a fresh schema; returns a pool bound to it. */
export async function freshSchema(): Promise<{ schema: string; pool: Pool }> {
  const schema = uniqueName('t');
  await runMigrations({ databaseUrl: databaseUrl(), schema, migrationsDir });
  return { schema, pool: createPool({ url: databaseUrl(), schema, max: 5 }) };
}

export function testKafka(clientId = 'tests'): KafkaHandle {
  return createKafka({ brokers: brokers(), clientId, logLevel: 'nothing' });
}

/** Creates a fresh event topic (6 partitions, unlimited retention). */
export async function freshTopic(kafka: KafkaHandle, partitions = 6): Promise<string> {
  const topic = uniqueName('events').replace(/_/g, '-');
  await ensureTopics(kafka, [{ topic, numPartitions: partitions, config: { 'retention.ms': '-1' } }]);
  return topic;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
