import type { ServerResponse } from 'node:http';
import { sendProblem } from './middleware.js';
import { ProblemError } from './problem.js';

function capture() {
  const headers: Record<string, unknown> = {};
  const sent: { status?: number; body?: string } = {};
  const res = {
    set statusCode(s: number) {
      sent.status = s;
    },
    setHeader: (k: string, v: unknown) => (headers[k.toLowerCase()] = v),
    end: (body: string) => (sent.body = body),
  } as unknown as ServerResponse;
  return { res, headers, sent };
}

describe('sendProblem', () => {
  it('renders a ProblemError as RFC 9457 with its headers', () => {
    const { res, headers, sent } = capture();
    sendProblem(res, new ProblemError(429, 'rate-limited', 'Too many events', 'retry in 2 s', undefined, { 'Retry-After': '2' }), '/v1/events', () => undefined);
    expect(sent.status).toBe(429);
    expect(headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(headers['retry-after']).toBe('2');
    expect(JSON.parse(sent.body!)).toEqual({ type: 'urn:incidents:problem:rate-limited', title: 'Too many events', status: 429, detail: 'retry in 2 s', instance: '/v1/events' });
    expect(headers['content-length']).toBe(Buffer.byteLength(sent.body!));
  });

  it('turns an unknown error into a plain 500 that says nothing of the inside, and logs it', () => {
    const { res, sent } = capture();
    const logged: unknown[] = [];
    const secret = new Error('password=hunter2 at /srv/app.js:12');
    sendProblem(res, secret, '/x', (e) => logged.push(e));
    expect(sent.status).toBe(500);
    expect(sent.body).not.toContain('hunter2');
    expect(sent.body).not.toContain('app.js');
    expect(JSON.parse(sent.body!)).toMatchObject({ type: 'urn:incidents:problem:internal', status: 500 });
    expect(logged).toEqual([secret]);
  });

  it('maps body-parser errors (too large, malformed, charset, encoding, aborted) to their problems', () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ type: 'entity.too.large', limit: 10 }, 413, 'body-too-large'],
      [{ type: 'entity.parse.failed' }, 400, 'malformed-json'],
      [{ type: 'charset.unsupported', charset: 'latin1' }, 415, 'unsupported-charset'],
      [{ type: 'encoding.unsupported' }, 415, 'unsupported-encoding'],
      [{ type: 'request.aborted' }, 400, 'request-aborted'],
    ];
    for (const [error, status, code] of cases) {
      const { res, sent } = capture();
      sendProblem(res, error, '/', () => undefined);
      expect([sent.status, (JSON.parse(sent.body!) as { type: string }).type]).toEqual([status, `urn:incidents:problem:${code}`]);
    }
  });
});
