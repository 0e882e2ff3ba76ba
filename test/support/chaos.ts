import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './infra.js';

/** Stops or starts the project's local broker (infra/kafka/kafka.sh). */
export function kafkaScript(command: 'stop' | 'start'): void {
  execFileSync('bash', [path.join(repoRoot, 'infra/kafka/kafka.sh'), command], { stdio: 'inherit' });
}

/** Restarts the local PostgreSQL server (infra/postgres/postgres.sh restart). */
export function restartPostgres(): void {
  execFileSync('bash', [path.join(repoRoot, 'infra/postgres/postgres.sh'), 'restart'], { stdio: 'inherit', env: { ...process.env, DATABASE_URL: '' } });
}

/**
 * Chaos tests stop and start infrastructure, which only makes sense for the broker and
 * server this project started itself. Against external ones they do not run, and say why.
 */
export const localKafka = process.env.TEST_LOCAL_KAFKA === '1';
export const localPostgres = process.env.TEST_LOCAL_POSTGRES === '1';
