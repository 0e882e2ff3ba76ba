import { Router } from 'express';
import { DASHBOARD_HTML } from './page.js';

/** `GET /`: the self-contained dashboard page; it reads only the public API. */
export function dashboardRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.type('html').send(DASHBOARD_HTML);
  });
  return router;
}
