import { createHash } from 'node:crypto';

export const TEST_KEY = 'test-key-0123456789';
export const OTHER_KEY = 'other-key-0123456789';

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** API keys for tests: one for every /feeds/ source, one limited to /feeds/other with a tiny rate. */
export const testApiKeys = [
  { name: 'tests', sha256: sha256(TEST_KEY), sources: ['/feeds/'] },
  { name: 'other', sha256: sha256(OTHER_KEY), sources: ['/feeds/other'], rate: 1, burst: 2 },
];

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export async function request(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function postEvents(baseUrl: string, payload: unknown, options: { key?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  return request(`${baseUrl}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/cloudevents-batch+json',
      ...(options.key === '' ? {} : { authorization: `Bearer ${options.key ?? TEST_KEY}` }),
      ...options.headers,
    },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}
