import type pg from 'pg';
import { isDatabaseUnavailable, TurnTimedOut } from '../errors.js';
import { pgTransaction, queryOver, type SqlRunner, type Statement } from '../db/sqlRunner.js';

/**
 * Rejects every member of a batch that failed for a reason that may not be its own (another
 * member's error, a deadlock): nothing of the batch was committed, so each runs again alone.
 */
export class BatchAborted extends Error {
  constructor(readonly reason: unknown) {
    super('the batch this turn ran in was rolled back');
  }
}

/**
 * Thrown by a turn that must run elsewhere (in a Prisma transaction): it leaves the batch
 * without rolling it back. Its deferred writes are dropped and `undo` (statements that reverse
 * every write it already sent) goes with the batch's next trip; the turn's `run` then rejects
 * with this error once the batch has committed, and the caller runs it again its own way.
 */
export class LeaveBatch extends Error {
  constructor(readonly undo: Statement[]) {
    super('the turn left its batch');
  }
}

export interface TurnBatcherOptions {
  /** most turns in one transaction (1: every turn alone) */
  maxSize: number;
  /** most batches in flight at once, each on its own pool connection */
  concurrency: number;
  /** prepare hot statements once per connection (see pgTransaction) */
  prepare: boolean;
  /** most time a turn waits in the queue for its batch to start (a batch holds a pool connection); 5 s */
  queueWaitMs?: number;
  /** most time a batch's statements wait for a row lock (Postgres lock_timeout); 2 s */
  lockTimeoutMs?: number;
}

/** a turn given no deadline gives up after this */
const DEFAULT_TURN_MS = 10_000;

/** A turn's request to run statements, waiting for the batch's next trip. */
interface Pending {
  statements: Statement[];
  commit: boolean;
  resolve: (rows: unknown[][]) => void;
  reject: (error: unknown) => void;
}

interface Member {
  /** two turns with the same key never share a batch; batches take their locks in key order */
  key: string;
  work: (sql: SqlRunner) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  deferred: Statement[];
  pending: Pending | undefined;
  done: boolean;
  result: unknown;
  /** the turn left the batch (LeaveBatch): rejected with this once the batch has committed */
  left: LeaveBatch | undefined;
  /** when the turn gives up (epoch ms): its statements may not wait beyond it */
  deadline: number;
  /** rejects the turn if it is still queued at its deadline */
  expiry: NodeJS.Timeout | undefined;
}

/**
 * Group commit for inbound turns. Turns that arrive while earlier batches are in flight are
 * run together in one transaction on one connection: each trip to Postgres carries the next
 * statements of every turn of the batch, and one COMMIT ends them all, instead of two to three
 * trips and a commit per turn. On two shared cores the trips, not the SQL, were the cost: a
 * third of the web process's time went to socket writes that woke a Postgres backend.
 *
 * Each turn runs the same code as alone, against a `SqlRunner` whose `queryAll` waits until
 * every turn of the batch has asked for its next statements (or finished), then sends them all
 * in one trip, in key order, so concurrent batches lock people in the same order. Two messages
 * of one person never run at once, not even in two batches: the second needs the state the
 * first leaves, and waits for it in arrival order instead of on the person's lock. A turn that
 * throws, or a trip that fails, rolls the whole batch back: its members get `BatchAborted` and
 * run again alone (Postgres down: the original error, as alone); a turn that needs another kind
 * of transaction leaves the batch instead (LeaveBatch). A turn's promise resolves only once the
 * batch has committed.
 */
export class TurnBatcher {
  private waiting: Member[] = [];
  /** keys of the turns in flight: a person's next turn waits for the batch of their last */
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: TurnBatcherOptions,
  ) {}

  /**
   * Runs `work` in the next batch; resolves with its result once the batch has committed. A
   * turn still queued after `queueWaitMs` (or at `deadline`) is rejected with TurnTimedOut
   * without having run; the batch's statements wait at most until the earliest deadline.
   */
  run<T>(key: string, work: (sql: SqlRunner) => Promise<T>, deadline = Date.now() + DEFAULT_TURN_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const member = newMember(key, work, resolve, reject, deadline);
      const waitMs = Math.min(this.options.queueWaitMs ?? 5000, deadline - Date.now());
      member.expiry = setTimeout(() => {
        if (!this.waiting.includes(member)) return;
        this.waiting = this.waiting.filter((m) => m !== member);
        member.reject(new TurnTimedOut('queue'));
      }, Math.max(0, waitMs));
      this.waiting.push(member);
      this.schedule();
    });
  }

  /**
   * Runs `work` now, in a transaction of its own, outside the queue and its limits (group commit
   * off, or a turn run again after its batch was rolled back); its errors come back as they are.
   */
  alone<T>(work: (sql: SqlRunner) => Promise<T>, deadline = Date.now() + DEFAULT_TURN_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.runBatch([newMember('', work, resolve, reject, deadline)]);
    });
  }

  /** Starts batches once the current I/O phase has queued every turn that arrived in it. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0) {
      const batch: Member[] = [];
      const keys = new Set<string>();
      const later: Member[] = [];
      for (const member of this.waiting) {
        if (batch.length < this.options.maxSize && !keys.has(member.key) && !this.busy.has(member.key)) batch.push(member);
        else later.push(member);
        // a later turn of the same person stays behind this one, in arrival order
        keys.add(member.key);
      }
      if (batch.length === 0) return;
      this.waiting = later;
      for (const member of batch) clearTimeout(member.expiry);
      this.inFlight += 1;
      for (const member of batch) this.busy.add(member.key);
      void this.runBatch(batch.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))).finally(() => {
        this.inFlight -= 1;
        for (const member of batch) this.busy.delete(member.key);
        if (this.waiting.length > 0) this.schedule();
      });
    }
  }

  private async runBatch(batch: Member[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const member of batch) member.reject(error);
      return;
    }
    // a turn whose budget went on waiting for the connection gives up before it runs
    const now = Date.now();
    for (const member of batch) if (member.deadline <= now) member.reject(new TurnTimedOut('budget'));
    const members = batch.filter((m) => m.deadline > now);
    if (members.length === 0) {
      client.release();
      return;
    }
    // the statements may wait until the earliest deadline of the batch, for a lock less
    const statementMs = Math.min(...members.map((m) => m.deadline)) - now;
    const timeouts = { statementMs, lockMs: Math.min(this.options.lockTimeoutMs ?? 2000, statementMs) };
    const transaction = pgTransaction(client, { prepare: this.options.prepare, timeouts });
    let broken = false;
    try {
      await drive(transaction, members);
      await transaction.commit();
    } catch (error) {
      await transaction.rollback().catch(() => {
        broken = true;
      });
      broken = broken || isDatabaseUnavailable(error);
      const own = members.length === 1 || isDatabaseUnavailable(error);
      for (const member of members) member.reject(own ? error : new BatchAborted(error));
      return;
    } finally {
      client.release(broken || transaction.discard);
    }
    for (const member of members) {
      if (member.left) member.reject(member.left);
      else member.resolve(member.result);
    }
  }
}

function newMember<T>(
  key: string,
  work: (sql: SqlRunner) => Promise<T>,
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
  deadline: number,
): Member {
  // the member holds results of any turn; this one's resolve gets back what its own work returned
  const resolveAs = (value: unknown) => resolve(value as T);
  const state = { deferred: [], pending: undefined, done: false, result: undefined, left: undefined };
  return { key, work, resolve: resolveAs, reject, deadline, expiry: undefined, ...state };
}

/** Runs the members' turns to their end, one shared trip at a time; rejects at the first failure. */
function drive(transaction: ReturnType<typeof pgTransaction>, members: Member[]): Promise<void> {
  const claimed = new Set<string>();
  return new Promise<void>((resolve, reject) => {
    let tripInFlight = false;
    let failed = false;
    let committed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      // the other turns stop at their next statement; their rejections are not reported
      for (const member of members) member.pending?.reject(new BatchAborted(error));
      reject(error);
    };

    const step = () => {
      if (failed || tripInFlight) return;
      const active = members.filter((m) => !m.done || m.pending);
      if (active.length === 0) {
        resolve();
        return;
      }
      // wait until every turn still running has asked for its next statements
      if (!active.every((m) => m.pending)) return;
      const asking = active.flatMap((member) => (member.pending ? [{ member, pending: member.pending }] : []));
      const statements: Statement[] = [];
      const counts: number[] = [];
      for (const { member, pending } of asking) {
        const own = [...member.deferred, ...pending.statements];
        member.deferred = [];
        statements.push(...own);
        counts.push(own.length);
      }
      // every turn is at its last statements: the COMMIT goes with them
      const commit = asking.every(({ pending }) => pending.commit);
      tripInFlight = true;
      transaction.queryAll(statements, { commit }).then(
        (results) => {
          tripInFlight = false;
          committed = commit;
          let offset = 0;
          asking.forEach(({ member, pending }, i) => {
            const count = counts[i] ?? 0;
            member.pending = undefined;
            // the turn's own statements come after its deferred writes
            pending.resolve(results.slice(offset + count - pending.statements.length, offset + count));
            offset += count;
          });
          if (committed && members.every((m) => m.done)) resolve();
          else step();
        },
        (error: unknown) => {
          tripInFlight = false;
          fail(error);
        },
      );
    };

    for (const member of members) {
      const runner: SqlRunner = {
        queryAll(statements, options = {}) {
          if (failed) return Promise.reject(new BatchAborted(undefined));
          if (member.pending) return Promise.reject(new Error('a turn sends its statements one call at a time'));
          return new Promise<unknown[][]>((resolvePending, rejectPending) => {
            member.pending = { statements, commit: options.commit === true, resolve: resolvePending, reject: rejectPending };
            step();
          });
        },
        query: queryOver((statements, options) => runner.queryAll(statements, options)),
        async defer(statement) {
          member.deferred.push(statement);
        },
        claim(contactId) {
          if (claimed.has(contactId)) return false;
          claimed.add(contactId);
          return true;
        },
      };
      member.work(runner).then(
        (result) => {
          member.done = true;
          member.result = result;
          if (committed && member.deferred.length > 0) {
            fail(new Error('a turn deferred writes after its commit'));
            return;
          }
          // deferred writes with nothing after them go with the commit
          if (member.deferred.length > 0) member.pending = { statements: [], commit: true, resolve: () => undefined, reject: () => undefined };
          step();
        },
        (error: unknown) => {
          member.done = true;
          if (!(error instanceof LeaveBatch) || committed) {
            fail(error);
            return;
          }
          member.left = error;
          member.deferred = [];
          if (error.undo.length > 0) member.pending = { statements: error.undo, commit: true, resolve: () => undefined, reject: () => undefined };
          step();
        },
      );
    }
  });
}
