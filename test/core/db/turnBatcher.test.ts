import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SqlRunner } from '../../../src/core/db/sqlRunner.js';
import { TurnBatcher, type BatchOutcome, type BatchTurn } from '../../../src/core/db/turnBatcher.js';
import { isDatabaseUnavailable, TurnTimedOut } from '../../../src/core/errors.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase.js';

let database: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase('turn_batcher');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(
    'CREATE TABLE note (id serial PRIMARY KEY, who text NOT NULL, body text NOT NULL CHECK (body <> $$boom$$))',
  );
  await pool.query('CREATE TABLE counter (who text PRIMARY KEY, n int NOT NULL)');
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** A turn as the inbound path runs one: read, decide in JS, write; returns its transaction id. */
async function turn(
  runner: SqlRunner,
  who: string,
  body: string,
): Promise<BatchTurn<{ txid: string; before: number }>> {
  const [rows = []] = await runner.queryAll([
    sql`SELECT txid_current()::text AS txid, (SELECT n FROM counter WHERE who = ${who}) AS n`,
  ]);
  const row = rows[0] as { txid: string; n: number | null };
  await runner.defer(sql`INSERT INTO note (who, body) VALUES (${who}, ${body})`);
  await runner.queryAll(
    [
      sql`INSERT INTO counter (who, n) VALUES (${who}, 1)
          ON CONFLICT (who) DO UPDATE SET n = counter.n + 1 RETURNING n`,
    ],
    { commit: true },
  );
  return { status: 'commit', value: { txid: row.txid, before: row.n ?? 0 } };
}

/** The value a committed turn came back with; any other outcome fails the test. */
function committed<T>(outcome: BatchOutcome<T>): T {
  if (outcome.status !== 'committed') throw new Error(`the turn ended ${outcome.status}`);
  return outcome.value;
}

async function notes(who: string[]): Promise<Array<{ who: string; body: string }>> {
  const { rows } = await pool.query<{ who: string; body: string }>(
    'SELECT who, body FROM note WHERE who = ANY ($1) ORDER BY id',
    [who],
  );
  return rows;
}

/** Counts the trips made on the pool's connections. */
function countTrips(): { trips: () => number; stop: () => void } {
  let trips = 0;
  const patched: Array<() => void> = [];
  const onConnect = (client: pg.PoolClient) => {
    const original = client.query.bind(client);
    client.query = ((...args: Parameters<typeof original>) => {
      trips += 1;
      return original(...args);
    }) as typeof client.query;
    patched.push(() => (client.query = original));
  };
  pool.on('acquire', onConnect);
  return {
    trips: () => trips,
    stop: () => {
      pool.off('acquire', onConnect);
      for (const undo of patched) undo();
    },
  };
}

describe('group commit of inbound turns', () => {
  it(
    'turns of different people arriving together share one transaction ' + 'and its trips, and each gets its own rows',
    async () => {
      const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 2, prepare: true });
      const people = Array.from({ length: 8 }, (_, i) => `shared-${i}`);
      const counting = countTrips();
      const outcomes = await Promise.all(
        people.map((who) => batcher.run(who, (runner) => turn(runner, who, `hello from ${who}`))),
      );
      const results = outcomes.map(committed);
      counting.stop();
      expect(new Set(results.map((r) => r.txid)).size).toBe(1);
      // eight turns of two trips each: two trips in all (the deferred insert goes with the last)
      expect(counting.trips()).toBe(2);
      expect(await notes(people)).toEqual(
        expect.arrayContaining(people.map((who) => ({ who, body: `hello from ${who}` }))),
      );
      expect(await notes(people)).toHaveLength(8);
    },
  );

  it(
    'turns of the same person never run at once, not even in two batches: each sees what the one before committed, ' +
      'in arrival order',
    async () => {
      const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 2, prepare: true });
      const results = (
        await Promise.all([1, 2, 3].map((i) => batcher.run('same', (runner) => turn(runner, 'same', `message ${i}`))))
      ).map(committed);
      expect(new Set(results.map((r) => r.txid)).size).toBe(3);
      expect(results.map((r) => r.before)).toEqual([0, 1, 2]);
    },
  );

  it(
    'a turn that fails rolls back its whole batch: every ' + 'member is told to run again alone, nothing is committed',
    async () => {
      const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 1, prepare: true });
      const people = ['fail-a', 'fail-b', 'fail-c'];
      const outcomes = await Promise.all(
        people.map((who) =>
          batcher.run(who, async (runner) => {
            await runner.queryAll([sql`INSERT INTO note (who, body) VALUES (${who}, ${'stored first'})`]);
            // a flow bug between the turn's first trip and its last
            if (who === 'fail-b') throw new Error('flow bug');
            return turn(runner, who, 'written');
          }),
        ),
      );
      for (const outcome of outcomes) expect(outcome.status).toBe('rolledBack');
      expect(await notes(people)).toEqual([]);
    },
  );

  it('a statement that fails in a shared trip rolls back the batch; a turn alone gets its own error', async () => {
    const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 1, prepare: true });
    const people = ['trip-a', 'trip-b'];
    const outcomes = await Promise.all(
      people.map((who) => batcher.run(who, (runner) => turn(runner, who, who === 'trip-a' ? 'boom' : 'fine'))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rolledBack', 'rolledBack']);
    expect(await notes(people)).toEqual([]);
    const alone = await batcher
      .run('trip-a', (runner) => turn(runner, 'trip-a', 'boom'))
      .catch((error: unknown) => error);
    expect(alone).not.toMatchObject({ status: 'rolledBack' });
    expect((alone as { code?: string }).code).toBe('23514');
  });

  it('writes deferred by a turn that has nothing after them are sent with the commit', async () => {
    const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 2, prepare: true });
    await Promise.all(
      ['deferred-a', 'deferred-b'].map((who) =>
        batcher.run(who, async (runner) => {
          await runner.query`SELECT 1`;
          await runner.defer(sql`INSERT INTO note (who, body) VALUES (${who}, ${'last'})`);
          return { status: 'commit', value: who };
        }),
      ),
    );
    expect(await notes(['deferred-a', 'deferred-b'])).toHaveLength(2);
  });

  it(
    'a turn that leaves its batch has its deferred ' + 'writes dropped and its undo applied, and the others commit',
    async () => {
      const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 1, prepare: true });
      const people = ['leave-a', 'leave-b', 'leave-c'];
      const outcomes = await Promise.all(
        people.map((who) =>
          batcher.run(who, async (runner) => {
            if (who !== 'leave-b') return turn(runner, who, 'stays');
            await runner.queryAll([sql`INSERT INTO note (who, body) VALUES (${who}, ${'sent'})`]);
            await runner.defer(sql`INSERT INTO note (who, body) VALUES (${who}, ${'deferred'})`);
            return { status: 'leave', undo: [sql`DELETE FROM note WHERE who = ${who}`] };
          }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['committed', 'left', 'committed']);
      expect(await notes(people)).toEqual([
        { who: 'leave-a', body: 'stays' },
        { who: 'leave-c', body: 'stays' },
      ]);
    },
  );

  it('one person claimed by two turns of a batch is refused the second time', async () => {
    const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 1, prepare: true });
    const claims = await Promise.all(
      ['claim-a', 'claim-b'].map((who) =>
        batcher.run(who, async (runner) => {
          await runner.query`SELECT 1`;
          return { status: 'commit', value: runner.claim('the-same-contact') };
        }),
      ),
    );
    expect(claims.map(committed).sort()).toEqual([false, true]);
  });

  it(
    'a turn run alone commits in a transaction of its own, even while the queue is full, and its own error comes ' +
      'back',
    async () => {
      const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 1, prepare: true });
      const queued = batcher.run('alone-queued', (runner) => turn(runner, 'alone-queued', 'queued'));
      const [alone, again] = (
        await Promise.all([
          batcher.alone((runner) => turn(runner, 'alone', 'first')),
          batcher.alone((runner) => turn(runner, 'alone', 'second')),
        ])
      ).map(committed);
      expect(alone?.txid).not.toBe(again?.txid);
      expect(committed(await queued).txid).not.toBe(alone?.txid);
      const failed = await batcher
        .alone(async () => Promise.reject(new RangeError('its own')))
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(RangeError);
      expect(await notes(['alone'])).toHaveLength(2);
    },
  );

  it('batches hold at most maxSize turns', async () => {
    const batcher = new TurnBatcher(pool, { maxSize: 3, concurrency: 1, prepare: true });
    const people = Array.from({ length: 7 }, (_, i) => `capped-${i}`);
    const results = (await Promise.all(people.map((who) => batcher.run(who, (runner) => turn(runner, who, 'x'))))).map(
      committed,
    );
    const sizes = [
      ...results.reduce((m, r) => m.set(r.txid, (m.get(r.txid) ?? 0) + 1), new Map<string, number>()).values(),
    ];
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it(
    'when Postgres cannot be reached, every turn gets ' + 'the connection error itself, not a rolled-back outcome',
    async () => {
      const nowhere = new pg.Pool({
        connectionString: 'postgresql://postgres@127.0.0.1:5499/nowhere',
        connectionTimeoutMillis: 500,
      });
      try {
        const batcher = new TurnBatcher(nowhere, { maxSize: 16, concurrency: 1, prepare: true });
        const outcomes = await Promise.allSettled(
          ['down-a', 'down-b'].map((who) => batcher.run(who, (runner) => turn(runner, who, 'x'))),
        );
        for (const outcome of outcomes) {
          expect(outcome.status).toBe('rejected');
          expect(outcome.status === 'rejected' && isDatabaseUnavailable(outcome.reason)).toBe(true);
        }
      } finally {
        await nowhere.end();
      }
    },
  );

  it('a queued turn gives up unrun at its queue bound; the stuck batch ahead, at its lock bound', async () => {
    const limits = { queueWaitMs: 300, lockTimeoutMs: 800 };
    const batcher = new TurnBatcher(pool, { maxSize: 16, concurrency: 1, prepare: true, ...limits });
    await pool.query("INSERT INTO counter (who, n) VALUES ('stuck', 0) ON CONFLICT DO NOTHING");
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query("SELECT n FROM counter WHERE who = 'stuck' FOR UPDATE");
    try {
      const started = Date.now();
      const stuck = batcher.run('stuck', (runner) => turn(runner, 'stuck', 'waits')).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 50));
      let ran = false;
      const queued = batcher.run('queued', (runner) => {
        ran = true;
        return turn(runner, 'queued', 'never runs');
      });
      await expect(queued).rejects.toBeInstanceOf(TurnTimedOut);
      await expect(queued).rejects.toMatchObject({ waited: 'queue' });
      expect(Date.now() - started).toBeLessThan(800);
      expect(ran).toBe(false);
      expect(await stuck).toMatchObject({ code: '55P03' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await notes(['stuck', 'queued'])).toEqual([]);
  });
});
