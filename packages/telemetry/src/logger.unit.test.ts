import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes JSON lines at or above its level, with child fields and errors', () => {
    const lines: string[] = [];
    const log = createLogger('svc', 'info', {}, (l) => lines.push(l));
    log.debug('hidden');
    log.child({ partition: 3 }).warn('slow', { error: Object.assign(new Error('boom'), { code: 'E1' }) });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      level: 'warn',
      service: 'svc',
      message: 'slow',
      partition: 3,
      error: { name: 'Error', message: 'boom', code: 'E1' },
    });
  });
});
