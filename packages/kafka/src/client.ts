import kafkajs, { type LogEntry, type Kafka as KafkaClient } from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Connection timeout per broker, ms. */
  connectionTimeoutMs?: number;
  /** Minimum level of kafkajs' own log lines written to stderr. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

export interface KafkaHandle {
  readonly kafka: KafkaClient;
  readonly settings: KafkaSettings;
}

const LEVELS = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

const LEVEL_NAMES: Record<number, string> = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' };

function jsonLogCreator() {
  return ({ namespace, level, log }: LogEntry) => {
    const { message, ...extra } = log;
    process.stderr.write(
      `${JSON.stringify({ level: LEVEL_NAMES[level] ?? String(level), component: `kafkajs:${namespace}`, message, ...extra })}\n`,
    );
  };
}

/** Creates the shared kafkajs client for one process. */
export function createKafka(settings: KafkaSettings): KafkaHandle {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    logLevel: LEVELS[settings.logLevel ?? 'error'],
    logCreator: jsonLogCreator,
    retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 2000 },
  });
  return { kafka, settings };
}
