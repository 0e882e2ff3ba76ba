import { Router } from 'express';

/** Returns details of the dependencies; `ok` false makes /health/ready answer 503. */
export type ReadinessCheck = () => Promise<{ ok: boolean; checks: Record<string, string> }>;

/** `/health/live` (the process answers) and `/health/ready` (its dependencies answer). */
export function healthRoutes(ready: ReadinessCheck): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const result = await ready().catch((e: unknown) => ({ ok: false, checks: { error: (e as Error).message } }));
    res.status(result.ok ? 200 : 503).json({ status: result.ok ? 'ok' : 'unavailable', checks: result.checks });
  });
  return router;
}
