import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundContent } from '../../../src/core/messages/messageTypes.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

// The fast path's cost is its round trips to Postgres (docs/ARCHITECTURE.md, "The inbound
// path"): this counts them at the driver, for turns on their own (no queue workers running).

let t: TestRelais;
beforeAll(async () => {
  t = await startTestRelais('turn_trips', { INBOUND_BATCH_MAX: '1' }, { workers: false });
});
afterAll(async () => {
  await t?.close();
});

let update = 0;
const message = (from: string, content: InboundContent) => ({
  channel: 'TELEGRAM' as const,
  platformId: from,
  dedupeKey: `trips-${++update}`,
  receivedAt: new Date(),
  content,
});

/** The trips to Postgres (calls of a pg client's query) made while `work` runs. */
async function tripsOf(work: () => Promise<unknown>): Promise<number> {
  const original = pg.Client.prototype.query;
  let trips = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<typeof original>) {
    trips += 1;
    return original.apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  return trips;
}

describe('round trips of an inbound turn on the fast path', () => {
  it(
    'a first contact takes three trips, a language choice ' + '(two deferred updates) and a step answered two each',
    async () => {
      const receive = (content: InboundContent) => t.relais.receive(message('7007', content));
      // the association list is cached per process: its first read is not the turn's
      await t.relais.receive(message('7000', { kind: 'start' }));
      expect(await tripsOf(() => receive({ kind: 'start' }))).toBe(3);
      expect(await tripsOf(() => receive({ kind: 'choice', choiceId: 'lang:en' }))).toBe(2);
      expect(await tripsOf(() => receive({ kind: 'text', text: 'help' }))).toBe(2);
      // and each was a turn run through, answered and stored
      const replies = await t.relais.db.message.count({
        where: { direction: 'OUTBOUND', identity: { channel: 'TELEGRAM' } },
      });
      expect(replies).toBeGreaterThanOrEqual(3 + 3 + 2);
    },
  );

  it('a turn that needs a Prisma transaction makes its two fast-path trips, then runs there', async () => {
    const receive = (content: InboundContent) => t.relais.receive(message('7008', content));
    await receive({ kind: 'start' });
    await receive({ kind: 'choice', choiceId: 'lang:en' });
    await receive({ kind: 'choice', choiceId: 'orientation' });
    await receive({ kind: 'choice', choiceId: 'DISTRIBUTION' });
    // the place search runs through Prisma: the fast path finds out, and the turn runs again there
    const inPrisma = await tripsOf(() => receive({ kind: 'choice', choiceId: 'list' }));
    const alone = await tripsOf(() => receive({ kind: 'text', text: 'help' }));
    expect(alone).toBe(2);
    // two on the fast path (store and lock; undo and commit), seven in the Prisma transaction
    // (BEGIN, wait limits, store and lock, conversation, the search, the write and COMMIT)
    expect(inPrisma).toBe(9);
  });

  it('"my requests" runs on the fast path: one trip more than a step, for its read', async () => {
    const receive = (content: InboundContent) => t.relais.receive(message('7009', content));
    await receive({ kind: 'start' });
    await receive({ kind: 'choice', choiceId: 'lang:en' });
    // before, a Prisma command: 11 trips (and every phone request's first step with it)
    expect(await tripsOf(() => receive({ kind: 'choice', choiceId: 'myRequests' }))).toBe(3);
  });
});
