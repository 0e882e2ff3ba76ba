import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface MigrationOptions {
  databaseUrl: string;
  schema: string;
  /** Directory of the SQL migrations (packages/db/migrations). */
  migrationsDir: string;
}

function findCli(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`node-pg-migrate is not installed above ${from}`);
    dir = parent;
  }
}

/**
 * Applies pending migrations to `schema` (created if missing). node-pg-migrate 9 is
 * ESM-only, so it runs as its CLI in a child process; this also works from jest.
 */
export async function runMigrations(options: MigrationOptions): Promise<void> {
  const cli = findCli(options.migrationsDir);
  const args = [
    cli,
    'up',
    '--migrations-dir', options.migrationsDir,
    '--schema', options.schema,
    '--create-schema',
    '--migrations-table', 'pgmigrations',
    '--advisory-lock-mode', 'wait',
    '--verbose', 'false',
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, DATABASE_URL: options.databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`migrations failed (exit ${code}) for schema ${options.schema}:\n${output.slice(-4000)}`));
    });
  });
}
