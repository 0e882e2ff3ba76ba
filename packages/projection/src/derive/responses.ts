import type { State } from '../fold.js';
import { compareCodePoints, floorMinutes, sortByKey } from '../order.js';
import { responseIds } from '../refs.js';
import type { IncidentStatus, ResponseEdgeRow } from '../rows.js';
import type { Lifecycle } from './lifecycle.js';

/** response_graph (§5.9): edges per (link, trigger, response), merges resolved. */

class Components {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root))
      root = p;
    // path compression
    for (let cur = x; cur !== root;) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller id becomes the root, so a root is its component's smallest node.
    if (compareCodePoints(ra, rb) < 0) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

export function deriveResponses(s: State, lc: Lifecycle): ResponseEdgeRow[] {
  const edges = new Map<string, ResponseEdgeRow>();
  const components = new Components();
  const statusOf = (id: string): IncidentStatus => lc.incidents.get(id)?.status ?? 'unreported';

  for (const [linkId, { ev, data }] of s.links) {
    if (s.linkRemovals.has(linkId)) continue;
    const r = responseIds(data);
    const responses: { kind: 'incident' | 'operation'; raw: string; id: string }[] =
      r.operation !== null
        ? [{ kind: 'operation', raw: r.operation, id: r.operation }]
        : r.incidents.map((raw) => ({ kind: 'incident', raw, id: lc.resolve(raw) }));
    for (const rawTrigger of data.trigger_incident_ids) {
      const trigger = lc.resolve(rawTrigger);
      for (const resp of responses) {
        const k = [linkId, trigger, resp.kind, resp.id].join('\u0000');
        const direct = trigger === rawTrigger && resp.id === resp.raw;
        const existing = edges.get(k);
        if (existing !== undefined) {
          // Several raw pairs collapse into one edge after merges: via_merge only if none is direct.
          existing.via_merge &&= !direct;
          continue;
        }
        const startOf = (id: string) => {
          const view = lc.incidents.get(id);
          return view?.preciseStart === null ? null : (view?.eff?.time.start ?? null);
        };
        const triggerStart = startOf(trigger);
        const responseStart =
          resp.kind === 'operation'
            ? (lc.operations.get(resp.id)?.startText ?? null)
            : startOf(resp.id);
        const op = resp.kind === 'operation' ? lc.operations.get(resp.id) : undefined;
        edges.set(k, {
          link_id: linkId,
          trigger_incident_id: trigger,
          response_kind: resp.kind,
          response_id: resp.id,
          basis: data.basis,
          likelihood: data.likelihood,
          as_stated: data.as_stated ?? null,
          also_cites: data.also_cites ?? null,
          source_id: data.source.source_id,
          linked_at: ev.event.time,
          lag_minutes:
            triggerStart === null || responseStart === null
              ? null
              : floorMinutes(triggerStart, responseStart),
          trigger_status: statusOf(trigger),
          response_status:
            resp.kind === 'operation'
              ? op?.counted === true
                ? 'active'
                : 'no_members'
              : statusOf(resp.id),
          via_merge: !direct,
          component_id: '',
        });
        components.union(`incident/${trigger}`, `${resp.kind}/${resp.id}`);
      }
    }
  }
  for (const op of lc.operations.values()) {
    for (const m of op.members) components.union(`operation/${op.id}`, `incident/${m}`);
  }
  const rows = [...edges.values()];
  for (const row of rows) row.component_id = components.find(`incident/${row.trigger_incident_id}`);
  return sortByKey(rows, (r) => [r.link_id, r.trigger_incident_id, r.response_kind, r.response_id]);
}
