import { startTelemetry } from '@incidents/telemetry';

// Telemetry starts before express, kafkajs and node:http are loaded, so they are instrumented.
const telemetry = startTelemetry('ingest');
const { run } = await import('./run.js');
run(telemetry).catch((error: unknown) => {
  process.stderr.write(`ingest failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
