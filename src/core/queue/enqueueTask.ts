import { randomUUID } from 'node:crypto';
import type { Tx } from '../db.js';
import type { Statement } from '../db/sql.js';
import { QUEUES } from './queueConnection.js';
import { insertTask, taskInsertStatement } from './taskSql.js';

export type TaskData = Record<string, string | number | boolean | null>;

/**
 * The statement that records a background task in the transactional outbox, with its id
 * chosen here so it can be sent with others in one trip (the inbound fast path). `data` must
 * hold ids only: BullMQ stores job data in clear in Redis.
 */
export function taskStatement(name: string, data: TaskData, runAt?: Date): { id: string; statement: Statement } {
  const id = randomUUID();
  return { id, statement: taskInsertStatement({ id, queue: QUEUES.tasks, name, data, runAt: runAt ?? null }) };
}

/**
 * Records a background task in the transactional outbox, in the caller's transaction. It
 * reaches BullMQ right after the commit (or with the next sweep if Redis is down) and runs
 * in a worker. Returns the outbox id (also the BullMQ job id, so a task is never queued twice).
 */
export async function enqueueTask(tx: Tx, name: string, data: TaskData, runAt?: Date): Promise<string> {
  const task = taskStatement(name, data, runAt);
  await insertTask(tx, task.statement);
  return task.id;
}
