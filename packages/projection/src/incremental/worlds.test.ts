// Random small worlds for the incremental-equality property: every event type, ids drawn
// from small pools so that entities collide (merges, loops, supersession across scopes,
// duplicate creations, links between clusters), reference data that arrives late or never,
// and (source, id) pairs posted with several contents (also of different types). A helper
// for the unit tests, not a suite.
import fc from 'fast-check';
import type { DomainEvent } from '@incidents/events';
import { Given, atSite, day, exact, inAdmin1, minute, seg, src, vague } from '../fixtures.test.js';

const INCIDENTS = ['i-0', 'i-1', 'i-2', 'i-3', 'i-4', 'i-5', 'i-6', 'i-7'];
const OPS = ['op-a', 'op-b'];
const SOURCES = ['s-0', 's-1', 's-2', 's-3'];
const ACTORS = ['act-0', 'act-1', 'act-2'];
const SITES = ['site-0', 'site-1', 'site-2'];
const OUTCOMES = ['wounded', 'injured_tbi', 'wounded_or_injured', 'killed'] as const;
const LIKELIHOODS = ['unlikely', 'likely', 'very_likely'] as const;
const GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

export type Op =
  | {
      k: 'report';
      inc: number;
      t: number;
      op: number;
      site: number;
      precise: boolean;
      dup: boolean;
    }
  | { k: 'amend'; inc: number; t: number; op: number; site: number }
  | { k: 'merge'; inc: number; into: number; t: number }
  | { k: 'lifecycle'; inc: number; t: number; retract: boolean }
  | {
      k: 'claim';
      scope: number;
      opScope: boolean;
      t: number;
      source: number;
      outcome: number;
      mode: number;
      n: number;
      supersedes: number;
      reuse: number;
    }
  | { k: 'retractClaim'; claim: number; t: number }
  | { k: 'reassign'; claim: number; to: number; t: number }
  | { k: 'adopt'; scope: number; opScope: boolean; t: number; outcome: number; n: number }
  | { k: 'count'; inc: number; t: number; source: number; n: number; interception: boolean }
  | { k: 'damage'; inc: number; t: number; source: number }
  | {
      k: 'attribute';
      inc: number;
      t: number;
      source: number;
      actor: number;
      lik: number;
      id: number;
    }
  | { k: 'withdraw'; id: number; inc: number; t: number }
  | { k: 'responsibility'; inc: number; t: number; actor: number; denied: boolean; source: number }
  | { k: 'link'; id: number; from: number; to: number; toOp: boolean; t: number; source: number }
  | { k: 'unlink'; id: number; t: number }
  | { k: 'registerSource'; source: number; t: number; grade: number }
  | { k: 'rate'; source: number; t: number; grade: number }
  | { k: 'registerActor'; actor: number; t: number }
  | { k: 'relate'; from: number; to: number; t: number; source: number }
  | { k: 'registerSite'; site: number; t: number; admin: number }
  | { k: 'posture'; site: number; t: number; source: number }
  | { k: 'stat'; id: number; t: number; n: number }
  | { k: 'doc'; id: number; t: number }
  | { k: 'variant'; of: number; how: number };

const n = (max: number) => fc.nat(max);
const t = n(6);

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('report' as const),
      inc: n(7),
      t,
      op: n(2),
      site: n(3),
      precise: fc.boolean(),
      dup: fc.boolean(),
    }),
  },
  fc.record({ k: fc.constant('amend' as const), inc: n(7), t, op: n(2), site: n(3) }),
  fc.record({ k: fc.constant('merge' as const), inc: n(7), into: n(7), t }),
  fc.record({ k: fc.constant('lifecycle' as const), inc: n(7), t, retract: fc.boolean() }),
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('claim' as const),
      scope: n(7),
      opScope: fc.boolean(),
      t,
      source: n(3),
      outcome: n(3),
      mode: n(2),
      n: n(9),
      supersedes: n(14),
      reuse: n(6),
    }),
  },
  fc.record({ k: fc.constant('retractClaim' as const), claim: n(14), t }),
  fc.record({ k: fc.constant('reassign' as const), claim: n(14), to: n(7), t }),
  fc.record({
    k: fc.constant('adopt' as const),
    scope: n(7),
    opScope: fc.boolean(),
    t,
    outcome: n(3),
    n: n(9),
  }),
  fc.record({
    k: fc.constant('count' as const),
    inc: n(7),
    t,
    source: n(3),
    n: n(9),
    interception: fc.boolean(),
  }),
  fc.record({ k: fc.constant('damage' as const), inc: n(7), t, source: n(3) }),
  fc.record({
    k: fc.constant('attribute' as const),
    inc: n(7),
    t,
    source: n(3),
    actor: n(2),
    lik: n(2),
    id: n(4),
  }),
  fc.record({ k: fc.constant('withdraw' as const), id: n(4), inc: n(7), t }),
  fc.record({
    k: fc.constant('responsibility' as const),
    inc: n(7),
    t,
    actor: n(2),
    denied: fc.boolean(),
    source: n(3),
  }),
  fc.record({
    k: fc.constant('link' as const),
    id: n(3),
    from: n(7),
    to: n(7),
    toOp: fc.boolean(),
    t,
    source: n(3),
  }),
  fc.record({ k: fc.constant('unlink' as const), id: n(3), t }),
  fc.record({ k: fc.constant('registerSource' as const), source: n(3), t, grade: n(5) }),
  fc.record({ k: fc.constant('rate' as const), source: n(3), t, grade: n(5) }),
  fc.record({ k: fc.constant('registerActor' as const), actor: n(2), t }),
  fc.record({ k: fc.constant('relate' as const), from: n(2), to: n(2), t, source: n(3) }),
  fc.record({ k: fc.constant('registerSite' as const), site: n(2), t, admin: n(2) }),
  fc.record({ k: fc.constant('posture' as const), site: n(2), t, source: n(3) }),
  fc.record({ k: fc.constant('stat' as const), id: n(2), t, n: n(9) }),
  fc.record({ k: fc.constant('doc' as const), id: n(2), t }),
  fc.record({ k: fc.constant('variant' as const), of: n(1000), how: n(3) }),
);

const at = (tt: number, hh = 0) => `2024-02-0${1 + tt}T${String(hh).padStart(2, '0')}:00:00Z`;

/** Builds valid events from the ops (the file order of one feed, before any interleaving). */
export function buildWorld(ops: readonly Op[]): DomainEvent[] {
  const g = new Given('x');
  const inc = (i: number) => INCIDENTS[i] ?? 'i-0';
  const op = (i: number) => OPS[i] ?? 'op-a';
  const source = (i: number) => src(SOURCES[i] ?? 's-0');
  let claims = 0;
  for (const o of ops) {
    switch (o.k) {
      case 'report':
        g.add('IncidentReported', at(o.t, o.dup ? 3 : 0), {
          incident_id: inc(o.inc),
          kind: 'attack',
          ...(o.op < 2 ? { operation_id: op(o.op) } : {}),
          time: o.precise
            ? minute(`2024-01-0${1 + (o.inc % 4)}T0${o.t}:1${o.inc}:00Z`)
            : day(`2024-01-0${1 + (o.t % 3)}`),
          place:
            o.site < 3
              ? atSite(SITES[o.site] ?? 'site-0')
              : inAdmin1(o.t % 2 === 0 ? 'Homs' : 'Hama'),
          method: o.dup ? 'mortar' : 'rocket',
          ...(o.t % 3 === 0 ? {} : { munitions: exact(o.t) }),
          source: source(o.inc % 4),
        });
        break;
      case 'amend':
        g.add('IncidentAmended', at(o.t, 1), {
          incident_id: inc(o.inc),
          changes:
            o.op < 2
              ? { operation_id: op(o.op), method: 'mortar' }
              : o.site < 3
                ? { operation_id: null, place: atSite(SITES[o.site] ?? 'site-0', 'near_site') }
                : { time: day('2024-01-05') },
          reason: 'r',
          source: source(1),
        });
        break;
      case 'merge':
        if (o.inc !== o.into)
          g.add('IncidentMerged', at(o.t, 2), {
            incident_id: inc(o.inc),
            into_incident_id: inc(o.into),
            reason: 'duplicate_report',
          });
        break;
      case 'lifecycle':
        if (o.retract)
          g.add('IncidentRetracted', at(o.t, 2), {
            incident_id: inc(o.inc),
            reason: 'did_not_occur',
          });
        else g.add('IncidentReinstated', at(o.t, 2), { incident_id: inc(o.inc), reason: 'r' });
        break;
      case 'claim': {
        // now and then a claim id is reused: a duplicate creation (§5.2)
        const id = o.reuse === 0 && claims > 0 ? `c-${claims - 1}` : `c-${claims++}`;
        const total = o.mode !== 0;
        const sup = `c-${o.supersedes}`;
        g.add('CasualtyReported', at(o.t, 1), {
          claim_id: id,
          scope: o.opScope ? { operation_id: op(o.scope % 2) } : { incident_id: inc(o.scope) },
          segment: seg(
            'service_member',
            OUTCOMES[o.outcome] ?? 'wounded',
            o.n % 2 === 0 ? 'USA' : undefined,
            o.n > 6 ? { side: 'attacker' } : {},
          ),
          count: o.n === 0 ? vague('some') : exact(o.n),
          mode: total ? 'total' : 'delta',
          ...(total && sup !== id ? { supersedes_claim_id: sup } : {}),
          source: source(o.source),
        });
        break;
      }
      case 'retractClaim':
        g.add('CasualtyClaimRetracted', at(o.t, 3), {
          claim_id: `c-${o.claim}`,
          scope: { incident_id: 'i-1' },
          reason: 'r',
        });
        break;
      case 'reassign':
        g.add('CasualtyClaimReassigned', at(o.t, 3), {
          claim_id: `c-${o.claim}`,
          from_incident_id: 'i-1',
          to_incident_id: inc(o.to),
        });
        break;
      case 'adopt':
        g.add('CasualtyEstimateAdopted', at(o.t, 4), {
          scope: o.opScope ? { operation_id: op(o.scope % 2) } : { incident_id: inc(o.scope) },
          segment: seg('service_member', OUTCOMES[o.outcome] ?? 'wounded', 'USA'),
          count: exact(o.n),
          policy: 'editorial',
        });
        break;
      case 'count':
        if (o.interception)
          g.add('InterceptionReported', at(o.t, 1), {
            incident_id: inc(o.inc),
            intercepted: exact(o.n),
            source: source(o.source),
          });
        else
          g.add('MunitionCountReported', at(o.t, 1), {
            incident_id: inc(o.inc),
            munitions: o.n === 0 ? vague('rockets') : exact(o.n),
            source: source(o.source),
          });
        break;
      case 'damage':
        g.add('DamageReported', at(o.t, 1), {
          incident_id: inc(o.inc),
          object: 'facility',
          extent: 'minor',
          source: source(o.source),
        });
        break;
      case 'attribute':
        g.add('AttributionAsserted', at(o.t, 1), {
          assertion_id: `as-${o.id}`,
          incident_id: inc(o.inc),
          actor_id: ACTORS[o.actor] ?? 'act-0',
          role: o.id === 4 ? 'materiel_origin' : 'perpetrator',
          basis: 'media',
          likelihood: LIKELIHOODS[o.lik] ?? 'likely',
          source: source(o.source),
        });
        break;
      case 'withdraw':
        g.add('AttributionWithdrawn', at(o.t, 5), {
          assertion_id: `as-${o.id}`,
          incident_id: inc(o.inc),
          reason: 'r',
        });
        break;
      case 'responsibility':
        g.add(o.denied ? 'ResponsibilityDenied' : 'ResponsibilityClaimed', at(o.t, 1), {
          incident_id: inc(o.inc),
          actor_id: ACTORS[o.actor] ?? 'act-0',
          source: source(o.source),
        });
        break;
      case 'link':
        g.add('ResponseLinked', at(o.t, 2), {
          link_id: `l-${o.id}`,
          trigger_incident_ids: [inc(o.from)],
          ...(o.toOp
            ? { response_operation_id: op(o.to % 2) }
            : { response_incident_ids: [inc(o.to)] }),
          basis: 'media',
          likelihood: 'likely',
          source: source(o.source),
        });
        break;
      case 'unlink':
        g.add('ResponseLinkRemoved', at(o.t, 5), { link_id: `l-${o.id}`, reason: 'r' });
        break;
      case 'registerSource':
        g.add('SourceRegistered', at(o.t), {
          source_id: SOURCES[o.source] ?? 's-0',
          name: `Source ${o.source}`,
          kind: 'wire',
          scale: 'National',
          reliability: GRADES[o.grade] ?? 'C',
        });
        break;
      case 'rate':
        g.add('SourceReliabilityRated', at(o.t, 6), {
          source_id: SOURCES[o.source] ?? 's-0',
          reliability: GRADES[o.grade] ?? 'F',
        });
        break;
      case 'registerActor':
        g.add('ActorRegistered', at(o.t), {
          actor_id: ACTORS[o.actor] ?? 'act-0',
          name: 'An actor',
          actor_type: 3,
        });
        break;
      case 'relate':
        g.add('ActorRelationAsserted', at(o.t), {
          from_actor_id: ACTORS[o.from] ?? 'act-0',
          to_actor_id: ACTORS[o.to] ?? 'act-1',
          relation: 'wing_of',
          likelihood: 'likely',
          basis: 'analyst',
          source: source(o.source),
        });
        break;
      case 'registerSite':
        g.add('SiteRegistered', at(o.t), {
          site_id: SITES[o.site] ?? 'site-0',
          names: ['A base'],
          kind: 'base',
          place: {
            name: 'Base',
            country_iso3: 'IRQ',
            admin1: o.admin === 0 ? 'Anbar' : 'Erbil',
            precision: 'site',
          },
          ...(o.admin === 2 ? { operator_actor_ids: [ACTORS[o.site] ?? 'act-0'] } : {}),
        });
        break;
      case 'posture':
        g.add('DefensePostureReported', at(o.t), {
          site_id: SITES[o.site] ?? 'site-0',
          system: 'C-RAM',
          status: 'degraded',
          at: day('2024-01-02'),
          source: source(o.source),
        });
        break;
      case 'stat':
        g.add('ExternalStatisticReported', at(o.t), {
          stat_id: `st-${o.id}`,
          metric: 'attacks',
          value: exact(o.n),
          period: { from: '2023-01-01', to: '2023-12-31' },
          geography: ['IRQ'],
          issuer: 'An issuer',
          source: source(0),
        });
        break;
      case 'doc':
        g.add('SeedDocumentIngested', at(o.t), {
          doc_id: `doc-${o.id}`,
          published_at: '2024-01-03',
          extracted_claims: [{ text: 'a claim', event_ids: ['x-001'] }],
          source: source(1),
        });
        break;
      case 'variant': {
        // another content for an existing (source, id): a changed time, or another event
        // altogether (of another type, possibly reference data)
        const base = g.events[o.of % Math.max(1, g.events.length)];
        if (base === undefined) break;
        if (o.how === 0) {
          const copy = structuredClone(base);
          copy.time = at(6, 7);
          g.events.push(copy);
        } else {
          const other = g.events[(o.of * 7 + 3) % g.events.length] as DomainEvent;
          g.events.push({ ...structuredClone(other), id: base.id, source: base.source });
        }
        break;
      }
      default: {
        const never: never = o;
        throw new Error(`unknown op ${JSON.stringify(never)}`);
      }
    }
  }
  return g.events;
}
