import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js');

/** Runs a process that stops through stopOnSignals with the given drain, sends it SIGTERM, and reports how it ended. */
function stopWith(drain: string): Promise<{ code: number | null; ms: number; stderr: string }> {
  const script = `
    import { createLogger, stopOnSignals } from ${JSON.stringify(entry)};
    const logger = createLogger('shutdown-test', 'info');
    stopOnSignals(logger, { enabled: false, shutdown: () => Promise.resolve() }, ${drain}, { graceMs: 500 });
    setInterval(() => {}, 1000);
    process.stderr.write('ready\\n');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (sent === 0 && stderr.includes('ready')) {
        sent = performance.now();
        child.kill('SIGTERM');
      }
    });
    child.stdout.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, ms: performance.now() - sent, stderr }));
  });
}

describe('stopOnSignals', () => {
  it('exits 0 once the drain is done', async () => {
    const r = await stopWith('() => new Promise((r) => setTimeout(r, 50))');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('exiting anyway');
  });

  it('exits 1 when the drain hangs past the grace period, instead of lingering', async () => {
    const r = await stopWith('() => new Promise(() => {})');
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5000);
    expect(r.stderr).toContain('stopping took too long; exiting anyway');
  });

  it('exits 1 when the drain fails', async () => {
    const r = await stopWith("() => Promise.reject(new Error('pool already closed'))");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stopping failed; exiting anyway');
  });
});
