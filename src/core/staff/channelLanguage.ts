import type { Db } from '../db.js';

/**
 * Language of a channel's cards and notes: the most common language of the association's
 * active staff, else the fallback (triage and alerts channels are shared by everyone).
 */
export async function channelLanguage(db: Db, associationId: string | null, fallback: string): Promise<string> {
  if (!associationId) return fallback;
  const groups = await db.staffMember.groupBy({
    by: ['language'],
    where: { associationId, active: true },
    _count: { _all: true },
  });
  const best = groups.sort((a, b) => b._count._all - a._count._all || (a.language === fallback ? -1 : 1))[0];
  return best?.language ?? fallback;
}
