import type { ApiKeyEntry } from './auth/api-keys.js';

declare global {
  namespace Express {
    interface Request {
      apiKey?: ApiKeyEntry;
    }
  }
}
