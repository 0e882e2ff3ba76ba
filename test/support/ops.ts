import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TEST_KEY } from './http.js';
import { repoRoot } from './infra.js';

export interface OpsResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts the compiled ops CLI (`npm test` builds first); `result` settles when it exits. */
export function startOps(args: string[], env: Record<string, string>): { child: ChildProcess; result: Promise<OpsResult> } {
  const cli = path.join(repoRoot, 'services/ops/dist/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'npx tsc -b' (npm test does) first`);
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<OpsResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 1), stdout, stderr }));
  });
  return { child, result };
}

/** Runs the compiled ops CLI with extra environment and waits for it to exit. */
export function runOps(args: string[], env: Record<string, string>): Promise<OpsResult> {
  return startOps(args, env).result;
}

/** The environment the ops CLI needs for a stack: broker, schema, topic and its ingest service. */
export function opsEnv(stack: { schema: string; topic: string; ingestUrl: string; databaseUrl: string }): Record<string, string> {
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    DATABASE_URL: stack.databaseUrl,
    DATABASE_SCHEMA: stack.schema,
    EVENTS_TOPIC: stack.topic,
    INGEST_URL: stack.ingestUrl,
    INGEST_API_KEY: TEST_KEY,
  };
}
