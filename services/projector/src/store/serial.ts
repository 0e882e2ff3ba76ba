import { copyIn, type PoolClient } from '@incidents/db';

/** What the store functions need of a connection. */
export type Queryable = Pick<PoolClient, 'query'>;

/**
 * Runs statements on one connection one after the other without the caller waiting for
 * each, so the caller goes on computing while PostgreSQL works. A failed statement fails
 * the transaction, so the ones queued after it fail too.
 */
export class Serial implements Queryable {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly client: PoolClient) {}

  readonly query = ((text: string, values?: unknown[]) => this.inTurn(() => this.client.query(text, values))) as PoolClient['query'];

  /** `COPY … FROM STDIN` with `data` (text format), in turn with the statements. */
  copyIn(text: string, data: string): Promise<void> {
    return this.inTurn(() => copyIn(this.client, text, data));
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
