// spec check — a second, independent reading of §5.3 (lifecycle, merges, operations), §5.5 (series,
// supersession, reassignment, default and adopted figures) and §5.6 (covering, tallies),
// written straight from the text of events.md, compared with project() over random worlds of
// revisions posted in random order. Each rule below quotes the sentence it implements.
import fc from 'fast-check';
import type { Count, DomainEvent, Segment } from '@incidents/events';
import { project } from '../index.js';
import { Given, approx, atLeast, exact, seg, src, vague } from '../fixtures.test.js';
import { shuffled } from './helpers.test.js';

const INC = ['rm-0', 'rm-1', 'rm-2', 'rm-3', 'rm-4'];
const OPS = ['op-r0', 'op-r1'];
const CLAIMS = ['cl-0', 'cl-1', 'cl-2', 'cl-3', 'cl-4', 'cl-5', 'cl-6', 'cl-7'];
const SOURCES = ['s-a', 's-b', 's-c', 's-u']; // A, B, C, unregistered (F)
const GRADE: Record<string, number> = { 's-a': 0, 's-b': 1, 's-c': 2, 's-u': 5 };
const SEGMENTS: Segment[] = [
  seg('service_member', 'wounded', 'USA'),
  seg('service_member', 'injured_tbi', 'USA'),
  seg('service_member', 'wounded_or_injured', 'USA'),
  seg('militant', 'killed'),
];
const LOOP = '\u0000loop'; // not a slug
const CHILD = new Set(['wounded', 'injured_tbi', 'injured_unspecified']);

const when = (i: number) => `2025-04-0${1 + Math.floor(i / 3)}T0${i % 3}:00:00Z`; // 0..8, ties

type Op =
  | { k: 'report'; inc: number; t: number; op: number }
  | { k: 'amend'; inc: number; t: number; op: number }
  | { k: 'merge'; inc: number; into: number; t: number }
  | { k: 'life'; inc: number; t: number; retract: boolean }
  | {
      k: 'claim';
      claim: number;
      inc: number;
      opScope: boolean;
      t: number;
      source: number;
      segment: number;
      count: number;
      n: number;
      delta: boolean;
      supersedes: number;
    }
  | { k: 'retractClaim'; claim: number; t: number }
  | { k: 'reassign'; claim: number; from: number; to: number; t: number }
  | { k: 'adopt'; inc: number; opScope: boolean; segment: number; n: number; t: number };

const nat = (m: number) => fc.nat(m);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('report' as const), inc: nat(4), t: nat(8), op: nat(2) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('amend' as const), inc: nat(4), t: nat(8), op: nat(3) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('merge' as const),
      inc: nat(4),
      into: nat(3),
      t: nat(8),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('life' as const),
      inc: nat(4),
      t: nat(8),
      retract: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('claim' as const),
      claim: nat(7),
      inc: nat(4),
      opScope: fc.boolean(),
      t: nat(8),
      source: nat(3),
      segment: nat(3),
      count: nat(3),
      n: nat(9),
      delta: fc.boolean(),
      supersedes: nat(10), // ≥ 8: none
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('retractClaim' as const), claim: nat(7), t: nat(8) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('reassign' as const),
      claim: nat(7),
      from: nat(4),
      to: nat(4),
      t: nat(8),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('adopt' as const),
      inc: nat(4),
      opScope: fc.boolean(),
      segment: nat(3),
      n: nat(9),
      t: nat(8),
    }),
  },
);

function countOf(kind: number, n: number): Count {
  return kind === 0
    ? exact(n)
    : kind === 1
      ? approx(n, n + 1, n + 3)
      : kind === 2
        ? atLeast(n)
        : vague('some');
}

function build(ops: readonly Op[]): DomainEvent[] {
  const g = new Given('rm');
  for (const [id, grade] of [
    ['s-a', 'A'],
    ['s-b', 'B'],
    ['s-c', 'C'],
  ] as const)
    g.add('SourceRegistered', '2025-01-01T00:00:00Z', {
      source_id: id,
      name: id,
      kind: 'wire',
      scale: 'International',
      reliability: grade,
    });
  for (const o of ops) {
    const inc = INC['inc' in o ? o.inc : 0] as string;
    switch (o.k) {
      case 'report':
        g.add('IncidentReported', when(o.t), {
          incident_id: inc,
          kind: 'attack',
          ...(o.op < 2 ? { operation_id: OPS[o.op] } : {}),
          time: { local_date: '2025-04-01', tz: 'UTC', precision: 'day' },
          place: { name: 'x', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'adm1' },
          method: 'rocket',
          source: src('s-a'),
        });
        break;
      case 'amend':
        g.add('IncidentAmended', when(o.t), {
          incident_id: inc,
          changes: { operation_id: o.op < 2 ? (OPS[o.op] as string) : null },
          reason: 'r',
          source: src('s-b'),
        });
        break;
      case 'merge': {
        const into = INC.filter((x) => x !== inc)[o.into] as string;
        g.add('IncidentMerged', when(o.t), {
          incident_id: inc,
          into_incident_id: into,
          reason: 'duplicate_report',
        });
        break;
      }
      case 'life':
        if (o.retract)
          g.add('IncidentRetracted', when(o.t), { incident_id: inc, reason: 'did_not_occur' });
        else g.add('IncidentReinstated', when(o.t), { incident_id: inc, reason: 'back' });
        break;
      case 'claim': {
        const id = CLAIMS[o.claim] as string;
        const sup =
          o.supersedes < 8 && !o.delta && CLAIMS[o.supersedes] !== id
            ? CLAIMS[o.supersedes]
            : undefined;
        g.add('CasualtyReported', when(o.t), {
          claim_id: id,
          scope: o.opScope ? { operation_id: OPS[o.inc % 2] as string } : { incident_id: inc },
          segment: SEGMENTS[o.segment] as Segment,
          count: countOf(o.count, o.n),
          mode: o.delta ? 'delta' : 'total',
          ...(sup === undefined ? {} : { supersedes_claim_id: sup }),
          source: src(SOURCES[o.source] as string),
        });
        break;
      }
      case 'retractClaim':
        g.add('CasualtyClaimRetracted', when(o.t), {
          claim_id: CLAIMS[o.claim] as string,
          scope: { incident_id: 'rm-0' },
          reason: 'r',
        });
        break;
      case 'reassign':
        g.add('CasualtyClaimReassigned', when(o.t), {
          claim_id: CLAIMS[o.claim] as string,
          from_incident_id: INC[o.from] as string,
          to_incident_id: INC[o.to] as string,
        });
        break;
      case 'adopt':
        g.add('CasualtyEstimateAdopted', when(o.t), {
          scope: o.opScope ? { operation_id: OPS[o.inc % 2] as string } : { incident_id: inc },
          segment: SEGMENTS[o.segment] as Segment,
          count: o.n % 2 === 0 ? exact(o.n) : approx(o.n - 1, o.n, o.n + 2),
          policy: 'editorial',
        });
        break;
    }
  }
  return g.events;
}

type T3 = { low: number | null; best: number | null; high: number | null };
interface RefFigure {
  value: T3 | null;
  adopted: boolean;
  vague: boolean;
  deltaWithoutBase: boolean;
}

/** The rules of events.md, as plainly as possible. */
function reference(events: readonly DomainEvent[]) {
  // §5.2 "the *logical order*: `time` compared as an instant, then `id`, then `source`"
  const evs = [...events].sort((a, b) =>
    a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.id !== b.id ? (a.id < b.id ? -1 : 1) : 0,
  );
  const report = new Map<string, { op: string | null }>();
  const amendments = new Map<string, (string | null)[]>();
  const lifecycle = new Map<string, { kind: string; into?: string }>();
  const claims = new Map<
    string,
    {
      scope: { kind: string; id: string };
      key: string;
      source: string;
      time: string;
      mode: string;
      count: T3;
      supersedes?: string;
    }
  >();
  const retracted = new Set<string>();
  const reassigned = new Map<string, string>();
  const adoptions = new Map<string, T3>();
  const scopeRefOf = (scope: { incident_id: string } | { operation_id: string }) =>
    'incident_id' in scope
      ? { kind: 'incident', id: scope.incident_id }
      : { kind: 'operation', id: scope.operation_id };
  const keyOf = (sg: Segment) => `${sg.role}/${sg.outcome}/${sg.nationality_iso3 ?? ''}`;
  const named: string[] = [];
  for (const e of evs) {
    switch (e.type) {
      case 'IncidentReported':
        named.push(e.data.incident_id);
        // §5.2 "the first in logical order wins"
        if (!report.has(e.data.incident_id))
          report.set(e.data.incident_id, { op: e.data.operation_id ?? null });
        break;
      case 'IncidentAmended':
        named.push(e.data.incident_id);
        amendments.set(e.data.incident_id, [
          ...(amendments.get(e.data.incident_id) ?? []),
          e.data.changes.operation_id ?? null,
        ]);
        break;
      case 'IncidentMerged':
        named.push(e.data.incident_id, e.data.into_incident_id);
        lifecycle.set(e.data.incident_id, { kind: 'merged', into: e.data.into_incident_id });
        break;
      case 'IncidentRetracted':
        named.push(e.data.incident_id);
        lifecycle.set(e.data.incident_id, { kind: 'retracted' });
        break;
      case 'IncidentReinstated':
        named.push(e.data.incident_id);
        lifecycle.set(e.data.incident_id, { kind: 'active' });
        break;
      case 'CasualtyReported': {
        const scope = scopeRefOf(e.data.scope);
        if (scope.kind === 'incident') named.push(scope.id);
        if (!claims.has(e.data.claim_id))
          claims.set(e.data.claim_id, {
            scope,
            key: keyOf(e.data.segment),
            source: e.data.source.source_id,
            time: e.time,
            mode: e.data.mode,
            count: { low: e.data.count.low, best: e.data.count.best, high: e.data.count.high },
            ...(e.data.supersedes_claim_id === undefined
              ? {}
              : { supersedes: e.data.supersedes_claim_id }),
          });
        break;
      }
      case 'CasualtyClaimRetracted': {
        const scope = scopeRefOf(e.data.scope);
        if (scope.kind === 'incident') named.push(scope.id);
        retracted.add(e.data.claim_id);
        break;
      }
      case 'CasualtyClaimReassigned':
        named.push(e.data.from_incident_id, e.data.to_incident_id);
        // "the `to_incident_id` of the latest `CasualtyClaimReassigned` for the claim in logical order"
        reassigned.set(e.data.claim_id, e.data.to_incident_id);
        break;
      case 'CasualtyEstimateAdopted': {
        const scope = scopeRefOf(e.data.scope);
        if (scope.kind === 'incident') named.push(scope.id);
        // "the latest `CasualtyEstimateAdopted` for it by `time` (ties by `id`)"
        adoptions.set(`${scope.kind}/${scope.id}|${keyOf(e.data.segment)}`, {
          low: e.data.count.low,
          best: e.data.count.best,
          high: e.data.count.high,
        });
        break;
      }
      default:
        break;
    }
  }

  // §5.3 lifecycle and merges
  // §5.2 "a claim about an unknown incident creates an `incident_current` row": every
  // incident id any event names has a row
  const ids = new Set<string>(named);
  const edge = (id: string) => {
    const l = lifecycle.get(id);
    return report.has(id) && l?.kind === 'merged' ? (l.into as string) : null;
  };
  const terminal = (id: string): string => {
    const seen = new Set<string>();
    let cur = id;
    for (;;) {
      if (seen.has(cur)) return LOOP;
      seen.add(cur);
      const next = edge(cur);
      if (next === null) return cur;
      cur = next;
    }
  };
  const status = new Map<string, string>();
  for (const id of ids) {
    if (!report.has(id)) status.set(id, 'unreported');
    else if (terminal(id) === LOOP)
      status.set(id, 'retracted'); // "counts as retracted"
    else status.set(id, lifecycle.get(id)?.kind ?? 'active');
  }
  const resolve = (id: string) => (status.get(id) === 'merged' ? terminal(id) : id);
  const effOp = (id: string) => {
    let op = report.get(id)?.op ?? null;
    for (const a of amendments.get(id) ?? []) if (a !== undefined) op = a;
    return op;
  };
  const active = (id: string) => status.get(id) === 'active';
  const members = (op: string) => [...ids].filter((id) => active(id) && effOp(id) === op);

  // §5.5 supersession, scope, series
  const superseded = (x: string) =>
    [...claims.entries()].some(([y, c]) => c.supersedes === x && !retracted.has(y));
  const series = new Map<
    string,
    { source: string; value: T3; lastTime: string; lastId: string; startsDelta: boolean }[]
  >();
  const bySeries = new Map<
    string,
    { source: string; value: T3; lastTime: string; lastId: string; startsDelta: boolean }
  >();
  const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  for (const [id, c] of claims) {
    if (retracted.has(id) || superseded(id)) continue;
    let scope = c.scope;
    const to = reassigned.get(id);
    if (to !== undefined) scope = { kind: 'incident', id: to };
    if (scope.kind === 'incident') scope = { kind: 'incident', id: resolve(scope.id) };
    const fk = `${scope.kind}/${scope.id}|${c.key}`;
    const sk = `${fk}|${c.source}`;
    let s = bySeries.get(sk);
    if (s === undefined) {
      s = {
        source: c.source,
        value: { low: 0, best: 0, high: 0 },
        lastTime: '',
        lastId: '',
        startsDelta: c.mode === 'delta',
      };
      bySeries.set(sk, s);
      series.set(fk, [...(series.get(fk) ?? []), s]);
    }
    s.value =
      c.mode === 'total'
        ? c.count
        : {
            low: add(s.value.low, c.count.low),
            best: add(s.value.best, c.count.best),
            high: add(s.value.high, c.count.high),
          };
    s.lastTime = c.time;
    s.lastId = id;
  }
  const figures = new Map<string, RefFigure>();
  for (const [fk, list] of series) {
    // "`low = min(low ?? best)` and `high = max(high ?? best)` over the series, ignoring nulls"
    const lows = list
      .map((s) => s.value.low ?? s.value.best)
      .filter((v): v is number => v !== null);
    const highs = list
      .map((s) => s.value.high ?? s.value.best)
      .filter((v): v is number => v !== null);
    const withBest = list.filter((s) => s.value.best !== null);
    withBest.sort(
      (a, b) =>
        (GRADE[a.source] ?? 5) - (GRADE[b.source] ?? 5) ||
        (a.lastTime === b.lastTime ? 0 : a.lastTime > b.lastTime ? -1 : 1) ||
        (a.lastId === b.lastId ? 0 : a.lastId > b.lastId ? -1 : 1),
    );
    const low = lows.length > 0 ? Math.min(...lows) : null;
    const high = highs.length > 0 ? Math.max(...highs) : null;
    const best = withBest[0]?.value.best ?? null;
    const value = low === null && best === null && high === null ? null : { low, best, high };
    figures.set(fk, {
      value,
      adopted: false,
      vague:
        value !== null &&
        list.some((s) => s.value.low === null && s.value.best === null && s.value.high === null),
      deltaWithoutBase: list.some((s) => s.startsDelta),
    });
  }
  for (const [fk, v] of adoptions) {
    const [scope = ''] = fk.split('|');
    // "The merged incident's own time, place and adopted estimates are ignored."
    if (scope.startsWith('incident/') && status.get(scope.slice(9)) === 'merged') continue;
    figures.set(fk, { value: v, adopted: true, vague: false, deltaWithoutBase: false });
  }

  // §5.6 covering and tallies
  const parse = (fk: string) => {
    const [scope = '', key = ''] = fk.split('|');
    const [kind = '', id = ''] = scope.split('/');
    const [role = '', outcome = '', nat = ''] = key.split('/');
    return { scope, kind, id, key, role, outcome, nat };
  };
  const covers = (a: string, b: string) => {
    const x = parse(a);
    const y = parse(b);
    if (a === b) return false;
    const scopeOk =
      x.scope === y.scope ||
      (y.kind === 'incident' && x.kind === 'operation' && effOp(y.id) === x.id);
    const keyOk =
      x.key === y.key ||
      (x.outcome === 'wounded_or_injured' &&
        CHILD.has(y.outcome) &&
        x.role === y.role &&
        x.nat === y.nat);
    return scopeOk && keyOk;
  };
  const tallyOf = (set: string[]) => {
    const out = new Map<string, { low: number; best: number; high: number; incomplete: boolean }>();
    for (const fk of set) {
      if (set.some((o) => covers(o, fk))) continue;
      const f = figures.get(fk) as RefFigure;
      const k = parse(fk).key;
      const acc = out.get(k) ?? { low: 0, best: 0, high: 0, incomplete: false };
      acc.low += f.value?.low ?? 0;
      acc.best += f.value?.best ?? 0;
      acc.high += f.value?.high ?? 0;
      acc.incomplete ||=
        f.value === null ||
        f.value.low === null ||
        f.value.best === null ||
        f.value.high === null ||
        f.vague;
      out.set(k, acc);
    }
    return out;
  };
  const scopeOf = (fk: string) => parse(fk).scope;
  const all = [...figures.keys()];
  const rows: string[] = [];
  const emit = (kind: string, id: string, tally: ReturnType<typeof tallyOf>) => {
    for (const [k, v] of tally)
      rows.push(`${kind}|${id}|${k}|${v.low}/${v.best}/${v.high}|${v.incomplete}`);
  };
  const countedOps = OPS.filter((op) => members(op).length > 0);
  for (const id of ids)
    if (active(id))
      emit('incident', id, tallyOf(all.filter((f) => scopeOf(f) === `incident/${id}`)));
  for (const op of countedOps)
    emit(
      'operation',
      op,
      tallyOf(
        all.filter(
          (f) =>
            scopeOf(f) === `operation/${op}` ||
            members(op).some((m) => scopeOf(f) === `incident/${m}`),
        ),
      ),
    );
  emit(
    'overall',
    '',
    tallyOf(
      all.filter(
        (f) =>
          countedOps.some((op) => scopeOf(f) === `operation/${op}`) ||
          [...ids].some((id) => active(id) && scopeOf(f) === `incident/${id}`),
      ),
    ),
  );
  const figureRows = all
    .filter((fk) => fk.startsWith('incident/'))
    .map((fk) => {
      const f = figures.get(fk) as RefFigure;
      return `${fk}|${f.value === null ? '—' : `${f.value.low}/${f.value.best}/${f.value.high}`}|${f.adopted ? 'adopted' : 'default'}|${f.vague}|${f.deltaWithoutBase}`;
    });
  // §6 source_discrepancies: "each source's current series value, flagged when two or more
  // sources give different non-null `best` values"
  const discrepancies = [...series].map(([fk, list]) => {
    const bests = new Set(list.map((x) => x.value.best).filter((b) => b !== null));
    const { scope, key } = parse(fk);
    return `${scope}|casualties:${key}|${bests.size >= 2}`;
  });
  const statuses = [...ids].map(
    (id) => `${id}|${status.get(id)}|${status.get(id) === 'merged' ? resolve(id) : ''}`,
  );
  return {
    rows: rows.sort(),
    figureRows: figureRows.sort(),
    statuses: statuses.sort(),
    discrepancies: discrepancies.sort(),
  };
}

function actual(events: readonly DomainEvent[]) {
  const p = project(events);
  return {
    rows: p.casualty_tally
      .map(
        (r) =>
          `${r.scope_kind}|${r.scope_id}|${r.role}/${r.outcome}/${r.nationality}|${r.low}/${r.best}/${r.high}|${r.incomplete}`,
      )
      .sort(),
    figureRows: p.incident_current
      .flatMap((r) =>
        r.casualties.map(
          (f) =>
            `incident/${r.incident_id}|${f.role}/${f.outcome}/${f.nationality}|${f.low === null && f.best === null && f.high === null ? '—' : `${f.low}/${f.best}/${f.high}`}|${f.source}|${f.vague_source}|${f.delta_without_base}`,
        ),
      )
      .sort(),
    discrepancies: p.source_discrepancies
      .map((d) => `${d.scope_kind}/${d.scope_id}|${d.field}|${d.flagged}`)
      .sort(),
    statuses: p.incident_current
      .filter((r) => INC.includes(r.incident_id))
      .map((r) => `${r.incident_id}|${r.status}|${r.merged_into ?? ''}`)
      .sort(),
  };
}

describe('spec an independent reading of §5.3/§5.5/§5.6 agrees with project()', () => {
  it('on random worlds of revisions, merges, retractions, reassignments and adoptions, in any order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.nat(), (ops, seed) => {
        const events = build(ops);
        const ref = reference(events);
        expect(actual(shuffled(events, seed + 1))).toEqual(ref);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
