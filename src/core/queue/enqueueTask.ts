import type { Tx } from '../db.js';
import { QUEUES } from './queueConnection.js';

/**
 * Records a background task in the transactional outbox, in the caller's transaction. It
 * reaches BullMQ right after the commit (or with the next sweep if Redis is down) and runs
 * in a worker. `data` must hold ids only: BullMQ stores job data in clear in Redis.
 * Returns the outbox id (also the BullMQ job id, so a task is never queued twice).
 */
export async function enqueueTask(tx: Tx, name: string, data: Record<string, string | number | boolean | null>, runAt?: Date): Promise<string> {
  const row = await tx.outboxJob.create({ data: { queue: QUEUES.tasks, name, data, ...(runAt ? { runAt } : {}) }, select: { id: true } });
  return row.id;
}
