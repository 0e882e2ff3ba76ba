import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The repository root (bench/dist/… → ../..). */
export const root = path.resolve(import.meta.dirname, '../..');

/** DATABASE_URL, else the local server's `incidents` database (the one `npm start` uses). */
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/incidents';

/**
 * Makes sure PostgreSQL answers and the benchmark's database exists (`infra/postgres/postgres.sh
 * ensure`): on a fresh machine only the test database exists after `npm test`.
 */
export function ensureDatabase(): void {
  execFileSync('bash', [path.join(root, 'infra/postgres/postgres.sh'), 'ensure'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
