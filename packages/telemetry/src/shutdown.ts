import type { Logger } from './logger.js';
import type { TelemetryHandle } from './otel.js';

export interface StopOptions {
  /** How long `drain` may take before the process exits anyway (code 1), ms. */
  graceMs?: number;
}

/**
 * A service's way out: on SIGTERM or SIGINT (or when the returned function is called), log,
 * run `drain` once (close the server, flush, end pools), flush telemetry, exit 0. A drain
 * that fails or outlasts `graceMs` (default 30 s) exits 1: a process asked to stop never
 * lingers (a parent waiting for it, or holding its place in a consumer group, would hang).
 */
export function stopOnSignals(
  logger: Logger,
  telemetry: TelemetryHandle,
  drain: () => Promise<void>,
  options: StopOptions = {},
): (reason: string) => Promise<void> {
  const graceMs = options.graceMs ?? 30_000;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason });
    const deadline = setTimeout(() => {
      logger.error('stopping took too long; exiting anyway', { graceMs });
      process.exit(1);
    }, graceMs);
    deadline.unref();
    try {
      await drain();
      await telemetry.shutdown();
    } catch (error) {
      logger.error('stopping failed; exiting anyway', { error });
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return stop;
}
