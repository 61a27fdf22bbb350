import type { PlaceCategory } from '../../generated/prisma/enums.js';
import type { Db, Tx } from '../db.js';
import { placeSelect, type DropOffPoint } from './dropOffPoints.js';
import { readPlaceHours } from './placeHours.js';

/** A place of the network as staff see it: any category, whose it is. */
export interface NetworkPlace extends DropOffPoint {
  category: PlaceCategory;
  /** mine: the staff member's association; network: no association; other: another association's */
  owner: 'mine' | 'network' | 'other';
}

const OWNER_ORDER = { mine: 0, network: 1, other: 2 } as const;

/**
 * Every place staff may point people to: the association's own (active or not), the
 * network-wide ones and the other associations' active ones, in that order, active first,
 * then by name. `associationId: null` (admins) lists every place, the inactive ones included.
 * At most `take`.
 */
export async function listNetworkPlaces(
  db: Db | Tx,
  scope: { associationId: string | null; take: number },
): Promise<NetworkPlace[]> {
  const mine = scope.associationId;
  const rows = await db.place.findMany({
    where: mine ? { OR: [{ associationId: mine }, { active: true }] } : {},
    select: { ...placeSelect, category: true },
    orderBy: [{ active: 'desc' }, { name: 'asc' }, { id: 'asc' }],
    take: 500,
  });
  const places = rows.map(({ association, hours, ...row }): NetworkPlace => {
    const owner = row.associationId === null ? 'network' : row.associationId === mine ? 'mine' : 'other';
    return { ...row, hours: readPlaceHours(hours), associationName: association?.name ?? null, owner };
  });
  const sorted = mine ? places.sort((a, b) => OWNER_ORDER[a.owner] - OWNER_ORDER[b.owner]) : places;
  return sorted.slice(0, scope.take);
}
