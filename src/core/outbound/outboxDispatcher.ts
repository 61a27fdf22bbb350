import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { QUEUES, redisOptions } from '../queue/queueConnection.js';
import { recoverLostTasks } from './lostTaskRecovery.js';
import {
  markJobsDispatched,
  oldestPendingJobIds,
  pendingJobs,
  setQueued,
  undispatchedMessages,
  type Queryable,
} from './outboxSql.js';

export interface DispatchableMessage {
  id: string;
  channel: string;
  identityId: string | null;
  /** set for an announcement's message: it goes to the channel's lower-priority lane, alone in its job */
  announcementId?: string | null;
}

// a message handed over but still pending after this is handed over again: harmless (the job
// id dedupes while the job exists, and the worker sends only PENDING messages, under a lock)
const STALE_QUEUED_MS = 60_000;
const JOB_DEFAULTS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/**
 * Moves work committed in Postgres (outbound messages, outbox jobs) into BullMQ. Called right
 * after each commit, and by a periodic sweep that catches whatever could not be handed over
 * (Redis down, process crash). Job ids are the row ids, so handing over twice is harmless.
 */
export class OutboxDispatcher {
  private readonly queues = new Map<string, Queue>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  /** after a Redis failure, skip hand-overs for a while: the inbound path must not wait on Redis */
  private redisDownUntil = 0;
  /** run when a sweep finds that Redis lost its data: the job schedulers (retention, catch-up) are gone too */
  onRedisEmptied: (() => Promise<void>) | undefined;

  constructor(
    /** the node-postgres pool: the hand-over runs plain SQL (outboxSql.ts) */
    private readonly db: Queryable,
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisOptions(this.redisUrl, 'producer'),
        prefix: this.prefix,
        defaultJobOptions: JOB_DEFAULTS,
      });
      // connection errors surface on each add; without a listener they would be unhandled
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Hands outbound messages to their channel queue, one job per person and batch (the
   * replies of one turn, in order); never throws (the sweep retries).
   */
  async dispatchMessages(
    messages: DispatchableMessage[],
    options: { premarked?: boolean; again?: boolean } = {},
  ): Promise<number> {
    if (messages.length === 0) return 0;
    const batches = new Map<string, DispatchableMessage[]>();
    for (const m of messages) {
      const key = m.announcementId ? `announcement:${m.id}` : `${m.channel}:${m.identityId ?? m.id}`;
      const batch = batches.get(key) ?? [];
      if (batch.length >= 20) continue; // the rest goes with the next sweep, still in order
      batch.push(m);
      batches.set(key, batch);
    }
    const done: string[] = [];
    const failed: string[] = [];
    const byQueue = new Map<string, DispatchableMessage[][]>();
    for (const batch of batches.values()) {
      const first = batch[0];
      const queue = first?.announcementId ? QUEUES.announcements(first.channel) : QUEUES.outbound(first?.channel ?? '');
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), batch]);
    }
    for (const [queue, list] of byQueue) {
      try {
        await this.guard(
          this.queue(queue).addBulk(
            list.map((batch) => ({
              name: 'deliver',
              data: { messageIds: batch.map((m) => m.id) },
              opts: { jobId: jobIdOf(batch, options.again) },
            })),
          ),
        );
        done.push(...list.flat().map((m) => m.id));
      } catch (error) {
        failed.push(...list.flat().map((m) => m.id));
        this.log.warn(
          { err: errorSummary(error), queue, count: list.length },
          'could not hand messages to the queue; the sweep will retry',
        );
      }
    }
    // the inbound path writes its replies already marked as handed over (saves a round trip on
    // every message); when the hand-over fails the mark is cleared so the sweep takes them soon
    if (options.premarked) {
      if (failed.length > 0) await setQueued(this.db, failed, false).catch(() => undefined);
    } else if (done.length > 0) {
      await setQueued(this.db, done, true).catch(() => undefined);
    }
    return done.length;
  }

  /** Hands pending outbox jobs to their queue. */
  async dispatchJobs(jobIds: string[]): Promise<number> {
    if (jobIds.length === 0) return 0;
    const jobs = await pendingJobs(this.db, jobIds);
    const done: string[] = [];
    for (const job of jobs) {
      try {
        await this.guard(this.queue(job.queue).add(job.name, job.data, { jobId: job.id, delay: job.delayMs }));
        done.push(job.id);
      } catch (error) {
        this.log.warn(
          { err: errorSummary(error), queue: job.queue },
          'could not hand a job to the queue; the sweep will retry',
        );
        break;
      }
    }
    if (done.length > 0) await markJobsDispatched(this.db, done);
    return done.length;
  }

  /** Fails fast while Redis is known to be down, and never waits more than 2 s for it. */
  private async guard<T>(operation: Promise<T>): Promise<T> {
    if (Date.now() < this.redisDownUntil) {
      operation.catch(() => undefined);
      throw new RedisUnavailable();
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        operation,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new RedisUnavailable()), 2000);
        }),
      ]);
    } catch (error) {
      this.redisDownUntil = Date.now() + 3000;
      operation.catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One pass over what is still waiting in Postgres, and over the tasks Redis may have lost. */
  async sweep(batch = 500): Promise<{ messages: number; jobs: number; requeuedTasks: number }> {
    if (this.sweeping) return { messages: 0, jobs: 0, requeuedTasks: 0 };
    this.sweeping = true;
    try {
      const pending = await undispatchedMessages(this.db, batch, STALE_QUEUED_MS);
      const messages = await this.dispatchMessages(pending);
      const jobs = await oldestPendingJobIds(this.db, batch);
      const dispatched = await this.dispatchJobs(jobs);
      const recovery = await recoverLostTasks(
        { db: this.db, queue: (name) => this.queue(name), guard: (op) => this.guard(op), log: this.log },
        batch,
      ).catch((error: unknown) => {
        // while Redis is down there is nothing to look at: no warning every sweep
        if (!(error instanceof RedisUnavailable))
          this.log.warn({ err: errorSummary(error) }, 'could not look for tasks lost by Redis; the next sweep will');
        return { requeued: 0, redisEmptied: false };
      });
      if (recovery.redisEmptied)
        await this.onRedisEmptied?.().catch((error: unknown) =>
          this.log.warn({ err: errorSummary(error) }, 'could not restore the job schedulers'),
        );
      return { messages, jobs: dispatched, requeuedTasks: recovery.requeued };
    } finally {
      this.sweeping = false;
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.log.warn({ err: errorSummary(error) }, 'outbox sweep failed'));
    }, intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // close() waits for a connection that may never come (Redis down): bound it
    await Promise.all(
      [...this.queues.values()].map((q) =>
        Promise.race([q.close().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]).then(() => {
          // disconnect() too waits for a connection when Redis never answered: do not await it
          void q.disconnect().catch(() => undefined);
        }),
      ),
    );
    this.queues.clear();
  }
}

export class RedisUnavailable extends Error {
  override readonly name = 'RedisUnavailable';
  constructor() {
    super('redis did not answer');
  }
}

/** Error class and code only: error messages of drivers can quote data. */
export function errorSummary(error: unknown): { type: string; code?: string } {
  if (error instanceof Error) {
    const code = 'code' in error ? String(error.code) : undefined;
    return code ? { type: error.name, code } : { type: error.name };
  }
  return { type: typeof error };
}

/**
 * A batch's job id is its first message's id, so a message is never queued twice; `again` (a
 * held message released when the person wrote) gets a new one, the finished job that held it
 * keeping its id for an hour.
 */
function jobIdOf(batch: DispatchableMessage[], again: boolean | undefined): string {
  const id = batch[0]?.id ?? '';
  return again ? `${id}-again-${Date.now()}` : id;
}
