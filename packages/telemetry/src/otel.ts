import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { markRecording } from './spans.js';

export interface TelemetryHandle {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK when the environment asks for it (`OTEL_EXPORTER_OTLP_ENDPOINT`
 * or `OTEL_TRACES_EXPORTER` set, and `OTEL_SDK_DISABLED` not true). Everything else comes
 * from the standard `OTEL_*` variables. Call it before the service's other modules load.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): TelemetryHandle {
  const wanted =
    env.OTEL_SDK_DISABLED !== 'true' && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_TRACES_EXPORTER);
  if (!wanted) return { enabled: false, shutdown: () => Promise.resolve() };
  env.OTEL_SERVICE_NAME ??= serviceName;
  const sdk = new NodeSDK({
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation(), new PgInstrumentation()],
  });
  sdk.start();
  markRecording();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
