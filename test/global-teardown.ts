import type { StartedTestContainer } from 'testcontainers';

/** Stops containers the global setup started; a local broker is left running for the next run. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { __containers__?: { containers: StartedTestContainer[] } }).__containers__;
  if (started) await Promise.all(started.containers.map((c) => c.stop()));
}
