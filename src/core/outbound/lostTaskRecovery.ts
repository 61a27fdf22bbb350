import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { QUEUES } from '../queue/queueConnection.js';
import { dispatchedJobsToCheck, touchDispatchedJobs, type PendingJob, type Queryable } from './outboxSql.js';

/** A handed-over task, due, not seen in BullMQ for this long, is looked for there again. */
export const LOST_TASK_AFTER_MS = 15_000;
/** Set in Redis once its tasks were checked; gone means Redis lost its data (restarted without AOF, flushed). */
const CHECKED_MARK = 'outbox-checked';

export interface LostTaskRecoveryDeps {
  db: Queryable;
  queue: (name: string) => Queue;
  /** every Redis call goes through the dispatcher's breaker (fails fast while Redis is down) */
  guard: <T>(operation: Promise<T>) => Promise<T>;
  log: Logger;
}

/**
 * Finds tasks that were handed to BullMQ (DISPATCHED) but whose job Redis no longer has, and
 * hands them over again with the same job id (an add with an existing job id is ignored, so
 * racing processes queue a task once). A task is DONE once its handler's effect is recorded,
 * FAILED once it failed for good, so a missing job of a DISPATCHED task means Redis lost it.
 * Normally it checks the due tasks not seen for {@link LOST_TASK_AFTER_MS}, one batch per sweep;
 * when Redis has lost its mark it checks every handed-over task at once, delayed ones included.
 * Returns how many were queued again, and whether Redis had lost its data.
 */
export async function recoverLostTasks(
  deps: LostTaskRecoveryDeps,
  batch = 500,
): Promise<{ requeued: number; redisEmptied: boolean }> {
  const tasks = deps.queue(QUEUES.tasks);
  const client = await deps.guard(tasks.getBackend().client);
  const markKey = tasks.toKey(CHECKED_MARK);
  const redisEmptied = (await deps.guard(client.get(markKey))) === null;
  let requeued = 0;
  let afterId: string | undefined;
  for (;;) {
    const rows = await dispatchedJobsToCheck(deps.db, {
      limit: batch,
      staleMs: redisEmptied ? null : LOST_TASK_AFTER_MS,
      afterId,
    });
    if (rows.length === 0) break;
    requeued += await requeueMissing(deps, rows);
    afterId = rows.at(-1)?.id;
    if (!redisEmptied || rows.length < batch) break;
  }
  if (redisEmptied) await deps.guard(client.set(markKey, new Date().toISOString()));
  if (requeued > 0) deps.log.warn({ count: requeued, redisEmptied }, 'tasks lost by Redis were queued again');
  return { requeued, redisEmptied };
}

async function requeueMissing(deps: LostTaskRecoveryDeps, rows: PendingJob[]): Promise<number> {
  const missing = new Set<string>();
  const seen: string[] = [];
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100);
    const jobs = await deps.guard(Promise.all(chunk.map((row) => deps.queue(row.queue).getJob(row.id))));
    chunk.forEach((row, k) => {
      if (jobs[k]) seen.push(row.id);
      else missing.add(row.id);
    });
  }
  await touchDispatchedJobs(deps.db, seen);
  // only those still DISPATCHED: one that just became DONE has run
  const lost = new Set(await touchDispatchedJobs(deps.db, [...missing]));
  const toAdd = rows.filter((row) => lost.has(row.id));
  for (const job of toAdd)
    await deps.guard(deps.queue(job.queue).add(job.name, job.data, { jobId: job.id, delay: job.delayMs }));
  return toAdd.length;
}
