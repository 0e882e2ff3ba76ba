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

  readonly query = ((text: string, values?: unknown[]) => {
    const run = this.tail.then(
      () => this.client.query(text, values),
      () => this.client.query(text, values),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }) as PoolClient['query'];

  /** `COPY … FROM STDIN` with `data` (text format), in turn with the statements. */
  copyIn(text: string, data: string): Promise<void> {
    const run = this.tail.then(
      () => copyIn(this.client, text, data),
      () => copyIn(this.client, text, data),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }
}
