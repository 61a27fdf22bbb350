import type { Db, Tx } from '../db.js';

/**
 * Records an idempotency key (a Slack event id, a submitted view id) in the caller's
 * transaction. Returns false when the key was already recorded: the caller skips its effect.
 * ON CONFLICT DO NOTHING keeps the transaction usable (a unique violation would abort it),
 * and a concurrent holder of the same key makes this wait for its commit or rollback.
 */
export async function claimOnce(tx: Tx, key: string): Promise<boolean> {
  const result = await tx.processedEvent.createMany({ data: [{ key }], skipDuplicates: true });
  return result.count === 1;
}

/** Whether a key was already recorded (for effects outside the database, checked before acting). */
export async function alreadyProcessed(tx: Tx, key: string): Promise<boolean> {
  return (await tx.processedEvent.findUnique({ where: { key }, select: { key: true } })) !== null;
}

/** claimOnce in a transaction of its own, for an effect outside the database (a Slack post) that must happen once. */
export async function claimOnceNow(db: Db, key: string): Promise<boolean> {
  return db.$transaction((tx) => claimOnce(tx, key));
}
