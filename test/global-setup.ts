/**
 * Starts what the int and e2e suites need, once per jest run:
 * - KAFKA_BROKERS / DATABASE_URL when set are used as they are;
 * - else, when a Docker engine answers, testcontainers starts Kafka and PostgreSQL;
 * - else the project's own scripts start the local broker (Maven jars) and make sure the
 *   local PostgreSQL answers.
 * Values are passed to the test workers through process.env.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';

const root = path.resolve(__dirname, '..');

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_INFRA_READY === '1') return;
  const useDocker = (!process.env.KAFKA_BROKERS || !process.env.DATABASE_URL) && dockerAnswers();
  if (useDocker) {
    const started = await startContainers({ kafka: !process.env.KAFKA_BROKERS, postgres: !process.env.DATABASE_URL });
    Object.assign(process.env, started.env);
    (globalThis as { __containers__?: unknown }).__containers__ = started;
  }
  if (!process.env.KAFKA_BROKERS) {
    execFileSync('bash', [path.join(root, 'infra/kafka/kafka.sh'), 'start'], { stdio: 'inherit' });
    process.env.KAFKA_BROKERS = '127.0.0.1:9092';
    // The chaos tier may stop and start this broker: it is the project's own.
    process.env.TEST_LOCAL_KAFKA = '1';
  }
  if (!process.env.DATABASE_URL) {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/incidents_test';
    execFileSync('bash', [path.join(root, 'infra/postgres/postgres.sh'), 'ensure'], { stdio: 'inherit', env: process.env });
    process.env.TEST_LOCAL_POSTGRES = '1';
  }
  process.env.TEST_INFRA_READY = '1';
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
}


export interface StartedContainers {
  env: Record<string, string>;
  containers: StartedTestContainer[];
}

/** Kafka (KRaft, same version as infra/kafka/pom.xml) and PostgreSQL in containers. */
export async function startContainers(want: { kafka: boolean; postgres: boolean }): Promise<StartedContainers> {
  const env: Record<string, string> = {};
  const containers: StartedTestContainer[] = [];
  if (want.postgres) {
    const pg = await new GenericContainer('postgres:16')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'incidents_test' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    containers.push(pg);
    env.DATABASE_URL = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/incidents_test`;
  }
  if (want.kafka) {
    // Fixed host port: the broker must advertise the address clients use.
    const port = 19092;
    const kafka = await new GenericContainer('apache/kafka:4.1.1')
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withExposedPorts({ container: 9092, host: port })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    containers.push(kafka);
    env.KAFKA_BROKERS = `127.0.0.1:${port}`;
  }
  return { env, containers };
}
