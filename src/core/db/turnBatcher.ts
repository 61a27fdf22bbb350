import type pg from 'pg';
import { isDatabaseUnavailable, TurnTimedOut } from '../errors.js';
import { pgTransaction, queryOver, type SqlRunner, type Statement } from './sqlRunner.js';

/**
 * How a turn run in a batch ends, as its work returns it. Which way a turn goes is a value,
 * not an exception: exceptions are failures (a flow bug, Postgres down).
 */
export type BatchTurn<T> =
  /** keep what it wrote: it commits with the batch and gets `value` back */
  | { status: 'commit'; value: T }
  /**
   * it must run elsewhere (in a Prisma transaction): it leaves without rolling the batch back;
   * its deferred writes are dropped and `undo` (statements that reverse every write it already
   * sent) goes with the batch's next trip
   */
  | { status: 'leave'; undo: Statement[] }
  /** the batch cannot be right (one person in two of its turns): roll it all back */
  | { status: 'rollBack'; reason: string };

/** A turn's work: its statements on the batch's runner, then how it ends. */
export type BatchWork<T> = (sql: SqlRunner) => Promise<BatchTurn<T>>;

/** What a turn given to the batcher comes back with, once its batch has ended. */
export type BatchOutcome<T> =
  | { status: 'committed'; value: T }
  /** it left the batch (see BatchTurn 'leave'); the others committed; nothing of it is stored */
  | { status: 'left' }
  /**
   * rolled back with its whole batch, maybe for another turn's sake (another member's error, a
   * deadlock, a 'rollBack'): nothing of the batch was committed, so it runs again alone
   */
  | { status: 'rolledBack'; reason: unknown };

/** Stops the other turns of a batch that failed, at their next statement (never reported). */
class BatchStopped extends Error {
  constructor() {
    super('the batch this turn ran in stopped');
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

/** How a member's work ended: committing resolves its caller with the work's value. */
type MemberEnd =
  | { status: 'commit'; committed: () => void }
  | { status: 'leave'; undo: Statement[] }
  | { status: 'rollBack'; reason: string };

interface Member {
  /** two turns with the same key never share a batch; batches take their locks in key order */
  key: string;
  work: (sql: SqlRunner) => Promise<MemberEnd>;
  /** ends the caller's wait with an outcome other than 'committed' */
  settle: (outcome: { status: 'left' } | { status: 'rolledBack'; reason: unknown }) => void;
  reject: (error: unknown) => void;
  deferred: Statement[];
  pending: Pending | undefined;
  end: MemberEnd | undefined;
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
 * throws, or a trip that fails, rolls the whole batch back: its members come back
 * `rolledBack` and run again alone (Postgres down: the original error, as alone); a turn that
 * needs another kind of transaction ends with 'leave' instead. A turn's promise resolves only
 * once the batch has ended.
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
   * Runs `work` in the next batch; resolves with its outcome once the batch has ended. A turn
   * still queued after `queueWaitMs` (or at `deadline`) is rejected with TurnTimedOut without
   * having run; the batch's statements wait at most until the earliest deadline.
   */
  run<T>(key: string, work: BatchWork<T>, deadline = Date.now() + DEFAULT_TURN_MS): Promise<BatchOutcome<T>> {
    return new Promise<BatchOutcome<T>>((resolve, reject) => {
      const member = newMember(key, work, resolve, reject, deadline);
      const waitMs = Math.min(this.options.queueWaitMs ?? 5000, deadline - Date.now());
      member.expiry = setTimeout(
        () => {
          if (!this.waiting.includes(member)) return;
          this.waiting = this.waiting.filter((m) => m !== member);
          member.reject(new TurnTimedOut('queue'));
        },
        Math.max(0, waitMs),
      );
      this.waiting.push(member);
      this.schedule();
    });
  }

  /**
   * Runs `work` now, in a transaction of its own, outside the queue and its limits (group commit
   * off, or a turn run again after its batch was rolled back); its errors come back as they are.
   */
  alone<T>(work: BatchWork<T>, deadline = Date.now() + DEFAULT_TURN_MS): Promise<BatchOutcome<T>> {
    return new Promise<BatchOutcome<T>>((resolve, reject) => {
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
        if (batch.length < this.options.maxSize && !keys.has(member.key) && !this.busy.has(member.key))
          batch.push(member);
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
    const rollBack = async () => {
      await transaction.rollback().catch(() => {
        broken = true;
      });
    };
    try {
      const driven = await drive(transaction, members);
      if (driven.status === 'rollBack') {
        await rollBack();
        for (const member of members) member.settle({ status: 'rolledBack', reason: driven.reason });
        return;
      }
      await transaction.commit();
    } catch (error) {
      await rollBack();
      broken = broken || isDatabaseUnavailable(error);
      const own = members.length === 1 || isDatabaseUnavailable(error);
      for (const member of members) {
        if (own) member.reject(error);
        else member.settle({ status: 'rolledBack', reason: error });
      }
      return;
    } finally {
      client.release(broken || transaction.discard);
    }
    for (const member of members) {
      if (member.end?.status === 'commit') member.end.committed();
      else member.settle({ status: 'left' });
    }
  }
}

function newMember<T>(
  key: string,
  work: BatchWork<T>,
  resolve: (outcome: BatchOutcome<T>) => void,
  reject: (error: unknown) => void,
  deadline: number,
): Member {
  // the member holds turns of any result type: the end of this one carries its own resolve
  const run = async (sql: SqlRunner): Promise<MemberEnd> => {
    const turn = await work(sql);
    if (turn.status !== 'commit') return turn;
    return { status: 'commit', committed: () => resolve({ status: 'committed', value: turn.value }) };
  };
  const state = { deferred: [], pending: undefined, end: undefined };
  return { key, work: run, settle: resolve, reject, deadline, expiry: undefined, ...state };
}

/**
 * Runs the members' turns to their end, one shared trip at a time: 'done' when every turn has
 * sent its last statements (the commit is the caller's), 'rollBack' when a turn asked for it;
 * rejects at the first failure.
 */
function drive(
  transaction: ReturnType<typeof pgTransaction>,
  members: Member[],
): Promise<{ status: 'done' } | { status: 'rollBack'; reason: string }> {
  const claimed = new Set<string>();
  return new Promise((resolve, reject) => {
    let tripInFlight = false;
    let stopped = false;
    let committed = false;

    const stop = () => {
      stopped = true;
      // the other turns stop at their next statement; their rejections are not reported
      for (const member of members) member.pending?.reject(new BatchStopped());
    };
    const fail = (error: unknown) => {
      if (stopped) return;
      stop();
      reject(error);
    };

    const step = () => {
      if (stopped || tripInFlight) return;
      const active = members.filter((m) => !m.end || m.pending);
      if (active.length === 0) {
        resolve({ status: 'done' });
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
          if (committed && members.every((m) => m.end)) resolve({ status: 'done' });
          else step();
        },
        (error: unknown) => {
          tripInFlight = false;
          fail(error);
        },
      );
    };

    const ended = (member: Member, end: MemberEnd) => {
      if (stopped) return;
      member.end = end;
      if (end.status === 'rollBack') {
        if (committed) fail(new Error('a turn asked to roll back after its commit'));
        else {
          stop();
          resolve({ status: 'rollBack', reason: end.reason });
        }
        return;
      }
      if (committed && (end.status === 'leave' || member.deferred.length > 0)) {
        fail(new Error('a turn wrote or left after its commit'));
        return;
      }
      if (end.status === 'leave') {
        member.deferred = [];
        const ignore = () => undefined;
        if (end.undo.length > 0)
          member.pending = { statements: end.undo, commit: true, resolve: ignore, reject: ignore };
      } else if (member.deferred.length > 0) {
        // deferred writes with nothing after them go with the commit
        member.pending = { statements: [], commit: true, resolve: () => undefined, reject: () => undefined };
      }
      step();
    };

    for (const member of members) {
      const runner: SqlRunner = {
        queryAll(statements, options = {}) {
          if (stopped) return Promise.reject(new BatchStopped());
          if (member.pending) return Promise.reject(new Error('a turn sends its statements one call at a time'));
          return new Promise<unknown[][]>((resolvePending, rejectPending) => {
            member.pending = {
              statements,
              commit: options.commit === true,
              resolve: resolvePending,
              reject: rejectPending,
            };
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
        (end) => ended(member, end),
        (error: unknown) => {
          // a turn stopped by another's failure: that failure is the one reported
          if (!(error instanceof BatchStopped)) fail(error);
        },
      );
    }
  });
}
