import { Router } from 'express';
import type { Pool } from '@incidents/db';
import { ProblemError } from '@incidents/http';

const SLUG = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** `GET /v1/incidents/{id}`: the incident's current state, or a pointer when it was merged. */
export function incidentRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/v1/incidents/:id', async (req, res) => {
    const id = req.params.id;
    if (!SLUG.test(id)) {
      throw new ProblemError(400, 'invalid-parameter', 'Invalid parameter', 'id must be a slug', [
        { parameter: 'id', code: 'invalid_format', detail: 'expected ^[a-z0-9][a-z0-9._-]{0,127}$' },
      ]);
    }
    const result = await pool.query<Record<string, unknown>>('SELECT * FROM incident_current WHERE incident_id = $1', [id]);
    const row = result.rows[0];
    if (!row) throw new ProblemError(404, 'not-found', 'Incident not found', `No incident ${id}.`);
    res.json({ incident: row });
  });
  return router;
}
