/**
 * Telemetry bootstrap (OpenTelemetry traces, configured only by the standard `OTEL_*`
 * variables) and the JSON line logger every service uses.
 */
export { startTelemetry, type TelemetryHandle } from './otel.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { tracer, withSpan } from './spans.js';
export { stopOnSignals, type StopOptions } from './shutdown.js';
