import { randomUUID } from 'node:crypto';
import type { Tx } from '../db.js';
import { prismaRunner, sql, type Statement } from '../db/sqlRunner.js';
import { QUEUES } from './queueConnection.js';

export type TaskData = Record<string, string | number | boolean | null>;

/**
 * The statement that records a background task in the transactional outbox, with its id
 * chosen here so it can be sent with others in one trip (the inbound fast path). `data` must
 * hold ids only: BullMQ stores job data in clear in Redis.
 */
export function taskStatement(name: string, data: TaskData, runAt?: Date): { id: string; statement: Statement } {
  const id = randomUUID();
  return {
    id,
    statement: sql`INSERT INTO "OutboxJob" (id, queue, name, data, "runAt", "createdAt")
      VALUES (${id}::uuid, ${QUEUES.tasks}, ${name}, ${JSON.stringify(data)}::jsonb, COALESCE(${runAt ?? null}::timestamp, clock_timestamp()), clock_timestamp()) RETURNING 1`,
  };
}

/**
 * Records a background task in the transactional outbox, in the caller's transaction. It
 * reaches BullMQ right after the commit (or with the next sweep if Redis is down) and runs
 * in a worker. Returns the outbox id (also the BullMQ job id, so a task is never queued twice).
 */
export async function enqueueTask(tx: Tx, name: string, data: TaskData, runAt?: Date): Promise<string> {
  const task = taskStatement(name, data, runAt);
  await prismaRunner(tx).queryAll([task.statement]);
  return task.id;
}
