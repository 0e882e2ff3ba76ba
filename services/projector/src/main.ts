import { startTelemetry } from '@incidents/telemetry';

// Telemetry starts before pg and kafkajs are loaded, so they are instrumented.
const telemetry = startTelemetry('projector');
const { run } = await import('./run.js');
run(telemetry).catch((error: unknown) => {
  process.stderr.write(`projector failed: ${(error as Error).message}\n`);
  process.exit(1);
});
