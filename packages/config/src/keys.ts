import { z } from 'zod';

const brokers = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port[,host:port…]')).min(1));

/** Keys every service reads. */
export const commonKeys = {
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'])
    .default('info')
    .describe('Minimum level of the JSON log lines written to stdout.'),
};

/** Kafka connection and topic names. */
export const kafkaKeys = {
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .pipe(brokers)
    .describe('Comma-separated Kafka bootstrap servers (host:port).'),
  EVENTS_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default('incident-events')
    .describe('The event log topic (key = CloudEvents subject, retention unlimited).'),
  DEAD_LETTER_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default('incident-events.dlq')
    .describe('Topic that receives copies of records the projector parked.'),
  EVENTS_TOPIC_PARTITIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(6)
    .describe('Partition count used when the event topic is created.'),
};

/** PostgreSQL connection. */
export const databaseKeys = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/incidents')
    .describe('PostgreSQL connection URL.'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier')
    .default('public')
    .describe('Schema that holds the tables (tests use one fresh schema each).'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10).describe('Connections per process.'),
};

/** HTTP listener. */
export const httpKeys = {
  HOST: z.string().default('127.0.0.1').describe('Interface the HTTP services listen on.'),
};
