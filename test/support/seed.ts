import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DomainEvent } from '@incidents/events';

/** The seed fixture (the project's copy of shared/domain/seed-incidents.ndjson). */
export function seedEvents(): DomainEvent[] {
  const file = path.resolve(__dirname, '../../fixtures/seed-incidents.ndjson');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as DomainEvent);
}
