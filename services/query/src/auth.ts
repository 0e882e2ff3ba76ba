import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ProblemError } from '@incidents/http';

export type Access = 'read' | 'admin';

export interface KeySettings {
  /** hex sha-256 digests */
  readKeys: string[];
  adminKeys: string[];
}

function matches(presented: Buffer, digests: readonly Buffer[]): boolean {
  let found = false;
  // Every digest is compared, so timing does not tell which key matched.
  for (const d of digests) if (timingSafeEqual(presented, d)) found = true;
  return found;
}

/**
 * Optional API keys (`Authorization: Bearer <key>`). Reads need a read or admin key once
 * read keys are configured; operational endpoints need an admin key once any key is.
 */
export function requireKey(settings: KeySettings, access: Access): RequestHandler {
  const read = settings.readKeys.map((d) => Buffer.from(d, 'hex'));
  const admin = settings.adminKeys.map((d) => Buffer.from(d, 'hex'));
  const needed = access === 'read' ? read.length > 0 : read.length + admin.length > 0;
  return (req, res, next) => {
    if (!needed) {
      next();
      return;
    }
    res.setHeader('Vary', 'Authorization');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      throw new ProblemError(401, 'unauthenticated', 'Authentication required', 'Send an API key as "Authorization: Bearer <key>".', undefined, {
        'WWW-Authenticate': 'Bearer realm="query"',
      });
    }
    const presented = createHash('sha256').update(match[1]!, 'utf8').digest();
    const isAdmin = matches(presented, admin);
    const isReader = matches(presented, read);
    if (!isAdmin && !isReader) {
      throw new ProblemError(401, 'unauthenticated', 'Invalid API key', 'The API key is not valid.', undefined, {
        'WWW-Authenticate': 'Bearer realm="query", error="invalid_token"',
      });
    }
    if (access === 'admin' && !isAdmin) {
      throw new ProblemError(403, 'forbidden', 'Admin key required', 'This operational endpoint needs an admin key.');
    }
    next();
  };
}

/** True when responses depend on the caller's key (caches must not share them). */
export function keysConfigured(settings: KeySettings): boolean {
  return settings.readKeys.length > 0;
}
