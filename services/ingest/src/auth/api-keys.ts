import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ProblemError } from '@incidents/http';

export const ApiKeyEntry = z.strictObject({
  name: z.string().min(1).max(100),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected the hex sha-256 digest of the key'),
  sources: z.array(z.string().min(1).max(256)).min(1),
  rate: z.number().positive().optional(),
  burst: z.number().int().positive().optional(),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;
export const ApiKeyList = z.array(ApiKeyEntry).min(1);

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Parses the key list (JSON text) or throws an error naming the problem. */
export function parseApiKeys(json: string, origin: string): ApiKeyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${origin}: not valid JSON`);
  }
  const parsed = ApiKeyList.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${origin}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Finds the key entry for a bearer token; digests are compared in constant time. */
export class ApiKeyStore {
  private readonly digests: { entry: ApiKeyEntry; digest: Buffer }[];

  constructor(entries: ApiKeyEntry[]) {
    this.digests = entries.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, 'hex') }));
  }

  private readonly byConnection = new WeakMap<object, { authorization: string; entry: ApiKeyEntry }>();

  /**
   * `authenticate`, remembered per connection: a keep-alive client presenting the same header
   * again is not hashed again. (The comparison is with what this connection presented before,
   * not with a secret, so it need not be constant-time.) Failures are not remembered.
   */
  authenticateOn(connection: object, authorization: string | undefined): ApiKeyEntry {
    const known = this.byConnection.get(connection);
    if (known !== undefined && authorization === known.authorization) return known.entry;
    const entry = this.authenticate(authorization);
    this.byConnection.set(connection, { authorization: authorization!, entry });
    return entry;
  }

  authenticate(authorization: string | undefined): ApiKeyEntry {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) {
      throw new ProblemError(401, 'unauthenticated', 'Authentication required', 'Send an API key as "Authorization: Bearer <key>".', undefined, {
        'WWW-Authenticate': 'Bearer realm="ingest"',
      });
    }
    const presented = createHash('sha256').update(match[1]!, 'utf8').digest();
    let found: ApiKeyEntry | undefined;
    for (const { entry, digest } of this.digests) {
      // No early exit: every digest is compared, so timing does not tell which key matched.
      if (timingSafeEqual(presented, digest) && !found) found = entry;
    }
    if (!found) {
      throw new ProblemError(401, 'unauthenticated', 'Invalid API key', 'The API key is not valid.', undefined, {
        'WWW-Authenticate': 'Bearer realm="ingest", error="invalid_token"',
      });
    }
    return found;
  }
}

/** True when `source` equals a granted value or starts with a granted prefix ending in "/". */
export function mayWrite(entry: ApiKeyEntry, source: string): boolean {
  return entry.sources.some((granted) => source === granted || (granted.endsWith('/') && source.startsWith(granted)) || granted === '*');
}
