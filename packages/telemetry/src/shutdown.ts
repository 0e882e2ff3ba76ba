import type { Logger } from './logger.js';
import type { TelemetryHandle } from './otel.js';

/**
 * A service's way out: on SIGTERM or SIGINT (or when the returned function is called), log,
 * run `drain` once (close the server, flush, end pools), flush telemetry, exit 0.
 */
export function stopOnSignals(logger: Logger, telemetry: TelemetryHandle, drain: () => Promise<void>): (reason: string) => Promise<void> {
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { reason });
    await drain();
    await telemetry.shutdown();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return stop;
}
