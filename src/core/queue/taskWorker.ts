import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { PlatformRejected } from '../errors.js';
import { errorSummary } from '../outbound/outboxDispatcher.js';
import { settleJob, type Queryable } from '../outbound/outboxSql.js';
import { QUEUES, redisOptions } from './queueConnection.js';

/**
 * A background task (Slack notification, follow-up, purge). Must be idempotent: BullMQ delivers
 * at least once, and a task whose job Redis lost is queued again unless it was marked DONE.
 */
export type TaskHandler = (data: unknown, job: Job) => Promise<unknown>;
export type TaskHandlers = Record<string, TaskHandler>;

/** Outbox rows have uuid ids; job schedulers and catch-up jobs (`catchup-<id>`) have no row. */
const OUTBOX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Runs the `tasks` queue: each job name maps to one handler; unknown names fail for good. Once
 * a handler has returned (its effect recorded) the task's outbox row is marked DONE, before
 * BullMQ completes the job; a task that fails for good is marked FAILED. Neither is ever
 * queued again, even after Redis lost its data (src/core/outbound/lostTaskRecovery.ts).
 */
export function createTaskWorker(
  handlers: TaskHandlers,
  deps: { db: Queryable; redisUrl: string; prefix: string; log: Logger; concurrency?: number; stalledMs?: number },
): Worker {
  const settle = async (job: Job, status: 'DONE' | 'FAILED') => {
    if (job.id && OUTBOX_ID.test(job.id)) await settleJob(deps.db, job.id, status);
  };
  const worker = new Worker(
    QUEUES.tasks,
    async (job) => {
      try {
        const handler = handlers[job.name];
        if (!handler) throw new UnrecoverableError(`no task handler for ${job.name}`);
        const result = await handler(job.data, job);
        // if this fails the job is retried: the handler runs again, which it must bear anyway
        await settle(job, 'DONE');
        return result;
      } catch (error) {
        const failure = error instanceof PlatformRejected ? new UnrecoverableError(error.reason) : error;
        const lastAttempt = failure instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (lastAttempt) await settle(job, 'FAILED').catch(() => undefined);
        throw failure;
      }
    },
    {
      connection: redisOptions(deps.redisUrl, 'worker'),
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 5,
      autorun: false,
      // a killed worker's task comes back after about 1.5 × the lock (QUEUE_STALLED_INTERVAL_MS)
      ...(deps.stalledMs ? { lockDuration: deps.stalledMs, stalledInterval: Math.round(deps.stalledMs / 2) } : {}),
    },
  );
  worker.on('failed', (job, error) =>
    deps.log.warn({ task: job?.name, attempts: job?.attemptsMade, err: errorSummary(error) }, 'task failed'),
  );
  worker.on('error', (error) => deps.log.warn({ err: errorSummary(error) }, 'task worker error'));
  return worker;
}
