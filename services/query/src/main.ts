import { startTelemetry } from '@incidents/telemetry';

// Telemetry starts before express, pg and node:http are loaded, so they are instrumented.
const telemetry = startTelemetry('query');
const { run } = await import('./run.js');
run(telemetry).catch((error: unknown) => {
  process.stderr.write(`query failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
