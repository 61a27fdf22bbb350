import { Prisma } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../db.js';
import { DeviceAlreadyAllocated, RequestAlreadyServed } from '../errors.js';
import type { DispatchableMessage, OutboxDispatcher } from '../outbound/outboxDispatcher.js';

/** What a staff action leaves for after the commit: outbox tasks and messages to people. */
export interface StaffEffects {
  jobIds?: string[];
  messages?: DispatchableMessage[];
}

/**
 * Runs a staff action in one transaction, then hands its tasks and messages to the queues
 * (the periodic sweep catches them if Redis is down). Serialization failures are retried;
 * a unique violation on an allocation or recharge (a concurrent volunteer won the race) is
 * turned into the domain error the volunteer is shown.
 */
export async function runStaffAction<T extends StaffEffects>(
  deps: { db: Db; dispatcher: OutboxDispatcher },
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  for (let attempt = 1; result === undefined; attempt++) {
    try {
      result = await deps.db.$transaction(work, { maxWait: 10_000, timeout: 15_000 });
    } catch (error) {
      if (isKnown(error, 'P2034') && attempt < 3) continue;
      if (isKnown(error, 'P2002')) throw uniqueConflict(error);
      throw error;
    }
  }
  if (result.messages && result.messages.length > 0) await deps.dispatcher.dispatchMessages(result.messages);
  if (result.jobIds && result.jobIds.length > 0) await deps.dispatcher.dispatchJobs(result.jobIds).catch(() => 0);
  return result;
}

function isKnown(error: unknown, code: string): error is Prisma.PrismaClientKnownRequestError {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

function uniqueConflict(error: Prisma.PrismaClientKnownRequestError): Error {
  // the driver adapter reports the constraint in meta; its exact shape varies, its text does not
  const where = JSON.stringify(error.meta ?? {}) + error.message;
  if (where.includes('activeDeviceId')) return new DeviceAlreadyAllocated();
  if (where.includes('activeRequestId') || where.includes('requestId')) return new RequestAlreadyServed();
  return error;
}
