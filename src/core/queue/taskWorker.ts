import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { PlatformRejected } from '../errors.js';
import { errorSummary } from '../outbound/outboxDispatcher.js';
import { QUEUES, redisOptions } from './queueConnection.js';

/** A background task (Slack notification, follow-up, purge). Must be idempotent: BullMQ delivers at least once. */
export type TaskHandler = (data: unknown, job: Job) => Promise<unknown>;
export type TaskHandlers = Record<string, TaskHandler>;

/** Runs the `tasks` queue: each job name maps to one handler; unknown names fail for good. */
export function createTaskWorker(handlers: TaskHandlers, deps: { redisUrl: string; prefix: string; log: Logger; concurrency?: number }): Worker {
  const worker = new Worker(
    QUEUES.tasks,
    async (job) => {
      const handler = handlers[job.name];
      if (!handler) throw new UnrecoverableError(`no task handler for ${job.name}`);
      try {
        return await handler(job.data, job);
      } catch (error) {
        if (error instanceof PlatformRejected) throw new UnrecoverableError(error.reason);
        throw error;
      }
    },
    { connection: redisOptions(deps.redisUrl, 'worker'), prefix: deps.prefix, concurrency: deps.concurrency ?? 5, autorun: false },
  );
  worker.on('failed', (job, error) => deps.log.warn({ task: job?.name, attempts: job?.attemptsMade, err: errorSummary(error) }, 'task failed'));
  worker.on('error', (error) => deps.log.warn({ err: errorSummary(error) }, 'task worker error'));
  return worker;
}
