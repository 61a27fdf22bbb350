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

/** the columns of a place as staff see it (with its association's name) */
export const placeSelect = {
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

/** One drop-off point, or null (also for a place of another category). */
export async function findDropOffPoint(db: Db | Tx, id: string): Promise<DropOffPoint | null> {
  const row = await db.place.findFirst({ where: { id, category: 'DROP_OFF' }, select: placeSelect });
  return row ? toPoint(row) : null;
}
