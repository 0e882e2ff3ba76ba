import type { Pool, PoolClient } from './pool.js';

/** Runs `fn` in one transaction on one connection; rolls back on any error. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = isTransientDbError(error);
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

const TRANSIENT_SQLSTATES = new Set([
  '08000', '08001', '08003', '08004', '08006', '08007', '08P01', // connection exceptions
  '40001', '40P01', // serialization failure, deadlock
  '53300', // too many connections
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now
]);

/** True for failures that a retry may cure (connection lost, server restarting, deadlock). */
export function isTransientDbError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_SQLSTATES.has(code)) return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(message)
  );
}
