import type { Tx } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { sql, type Statement } from '../db/sql.js';

/** The statement recording one task in the transactional outbox (`data` as JSON; `runAt` null: now). */
export function taskInsertStatement(task: {
  id: string;
  queue: string;
  name: string;
  data: unknown;
  runAt: Date | null;
}): Statement {
  return sql`INSERT INTO "OutboxJob" (id, queue, name, data, "runAt", "createdAt")
      VALUES (${task.id}::uuid, ${task.queue}, ${task.name}, ${JSON.stringify(task.data)}::jsonb,
              COALESCE(${task.runAt}::timestamp, clock_timestamp()), clock_timestamp()) RETURNING 1`;
}

/** Runs a task's statement in a Prisma transaction. */
export async function insertTask(tx: Tx, statement: Statement): Promise<void> {
  await prismaRunner(tx).queryAll([statement]);
}
