/** A short, human-readable summary of what the query API serves (printed by `npm start`). */
export async function summary(queryUrl: string): Promise<string[]> {
  const lines: string[] = [];
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${queryUrl}${path}`);
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    return res.json();
  };
  const list = (await get('/v1/incidents?limit=100')) as { items?: Record<string, unknown>[]; data?: Record<string, unknown>[] };
  const incidents = list.items ?? list.data ?? [];
  lines.push(`incidents (${incidents.length}):`);
  for (const i of incidents) {
    const munitions = i.munitions as { low: number | null; best: number | null; high: number | null } | null | undefined;
    lines.push(
      `  ${String(i.incident_id).padEnd(32)} ${String(i.status).padEnd(9)} ${String(i.local_date ?? '?')} ${String(i.kind ?? '?')}/${String(i.method ?? '?')}` +
        (munitions ? `  munitions ${munitions.low ?? '?'}/${munitions.best ?? '?'}/${munitions.high ?? '?'}` : ''),
    );
  }
  const tally = (await get('/v1/stats/casualties')) as { rows?: Record<string, unknown>[]; items?: Record<string, unknown>[] };
  const rows = tally.rows ?? tally.items ?? [];
  lines.push('casualties overall (low / best / high):');
  for (const r of rows) {
    lines.push(`  ${String(r.role)} ${String(r.outcome)} ${String(r.nationality || '(unknown)')}: ${String(r.low)} / ${String(r.best)} / ${String(r.high)}`);
  }
  return lines;
}
