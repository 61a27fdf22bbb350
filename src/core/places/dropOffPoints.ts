import type { Db, Tx } from '../db.js';
import { readPlaceHours, type PlaceHours } from './placeHours.js';

export interface DropOffPoint {
  id: string;
  name: string;
  address: string | null;
  postcode: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  hours: PlaceHours;
  acceptedItems: string[];
  active: boolean;
  associationId: string | null;
  associationName: string | null;
}

const select = {
  id: true,
  name: true,
  address: true,
  postcode: true,
  city: true,
  latitude: true,
  longitude: true,
  hours: true,
  acceptedItems: true,
  active: true,
  associationId: true,
  association: { select: { name: true } },
} as const;

type Row = { hours: unknown; association: { name: string } | null } & Omit<DropOffPoint, 'hours' | 'associationName'>;

function toPoint({ association, hours, ...row }: Row): DropOffPoint {
  return { ...row, hours: readPlaceHours(hours), associationName: association?.name ?? null };
}

/**
 * Drop-off points an association works with: its own and the network-wide ones (no
 * association), or every one (`associationId: null`, for admins). Active first, then by name;
 * at most `take`.
 */
export async function listDropOffPoints(db: Db | Tx, scope: { associationId: string | null; take: number }): Promise<DropOffPoint[]> {
  const rows = await db.place.findMany({
    where: { category: 'DROP_OFF', ...(scope.associationId ? { OR: [{ associationId: scope.associationId }, { associationId: null }] } : {}) },
    orderBy: [{ active: 'desc' }, { name: 'asc' }, { id: 'asc' }],
    take: scope.take,
    select,
  });
  return rows.map(toPoint);
}

/** One drop-off point, or null (also for a place of another category). */
export async function findDropOffPoint(db: Db | Tx, id: string): Promise<DropOffPoint | null> {
  const row = await db.place.findFirst({ where: { id, category: 'DROP_OFF' }, select });
  return row ? toPoint(row) : null;
}
