interface IncidentItem {
  incident_id: string;
  status: string;
  local_date?: string | null;
  kind?: string | null;
  method?: string | null;
  munitions?: { low: number | null; best: number | null; high: number | null } | null;
}
interface TallyRow {
  role: string;
  outcome: string;
  nationality?: string | null;
  low: number;
  best: number;
  high: number;
}

/** A short, human-readable summary of what the query API serves (printed by `npm start`). */
export async function summary(queryUrl: string): Promise<string[]> {
  const lines: string[] = [];
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${queryUrl}${path}`);
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    return res.json();
  };
  const list = (await get('/v1/incidents?limit=100')) as { items?: IncidentItem[]; data?: IncidentItem[] };
  const incidents = list.items ?? list.data ?? [];
  lines.push(`incidents (${incidents.length}):`);
  for (const i of incidents) {
    const munitions = i.munitions;
    lines.push(
      `  ${i.incident_id.padEnd(32)} ${i.status.padEnd(9)} ${i.local_date ?? '?'} ${i.kind ?? '?'}/${i.method ?? '?'}` +
        (munitions ? `  munitions ${munitions.low ?? '?'}/${munitions.best ?? '?'}/${munitions.high ?? '?'}` : ''),
    );
  }
  const tally = (await get('/v1/stats/casualties')) as { rows?: TallyRow[]; items?: TallyRow[] };
  const rows = tally.rows ?? tally.items ?? [];
  lines.push('casualties overall (low / best / high):');
  for (const r of rows) {
    lines.push(`  ${r.role} ${r.outcome} ${r.nationality || '(unknown)'}: ${r.low} / ${r.best} / ${r.high}`);
  }
  return lines;
}
