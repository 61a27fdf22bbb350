import type { Db, Tx } from '../db.js';
import { NotFound } from '../errors.js';

/** An association's name (shown to its staff), or NotFound. */
export async function associationName(db: Db | Tx, associationId: string): Promise<string> {
  const association = await db.association.findUnique({ where: { id: associationId }, select: { name: true } });
  if (!association) throw new NotFound('association');
  return association.name;
}

/** The Slack channel an association's cards go to, or null when it has none. */
export async function associationChannel(db: Db | Tx, associationId: string): Promise<string | null> {
  const association = await db.association.findUnique({
    where: { id: associationId },
    select: { slackChannelId: true },
  });
  return association?.slackChannelId ?? null;
}

/** Associations a request or devices may move to: every one but `except`, by name (at most 100). */
export async function otherAssociations(
  db: Db | Tx,
  except: string | null,
): Promise<Array<{ id: string; name: string }>> {
  const where = except ? { id: { not: except } } : {};
  return db.association.findMany({ where, select: { id: true, name: true }, orderBy: { name: 'asc' }, take: 100 });
}

/**
 * The address volunteers give by default for an appointment: the association's first active place ("name, address").
 */
export async function defaultMeetingPlace(db: Db | Tx, associationId: string): Promise<string | null> {
  const place = await db.place.findFirst({
    where: { associationId, active: true },
    orderBy: { createdAt: 'asc' },
    select: { name: true, address: true },
  });
  return place ? [place.name, place.address].filter(Boolean).join(', ') : null;
}
