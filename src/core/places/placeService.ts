import { z } from 'zod/v4';
import type { Place } from '../../generated/prisma/client.js';
import { PlaceCategory } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { NotFound } from '../errors.js';
import { weeklyHoursSchema } from './placeHours.js';

/** A place as saved (what callers outside core read back). */
export type SavedPlace = Place;

/** What a place is made of, as the admin API and the Slack modal write it. */
export const placeFieldsSchema = z.object({
  name: z.string().trim().min(1).max(120),
  category: z
    .enum(PlaceCategory)
    .describe(
      'ASSOCIATION, DISTRIBUTION (meals, clothes), CHARGING (phone charging), RELAY_POINT (small donations), ' +
        'DROP_OFF (equipment donations)',
    ),
  address: z.string().trim().min(1).max(200).nullable().optional(),
  postcode: z
    .string()
    .regex(/^[0-9A-Za-z][0-9A-Za-z -]{1,9}$/)
    .nullable()
    .optional(),
  city: z.string().trim().min(1).max(80).nullable().optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  hours: weeklyHoursSchema.optional().describe('weekly opening slots; a day may have several'),
  acceptedItems: z
    .array(z.string().regex(/^[a-z0-9_-]{1,40}$/))
    .max(30)
    .optional()
    .describe(
      'what a drop-off or relay point takes, lower-case tokens such as `smartphone`, `laptop`, `tablet`, `charger`',
    ),
  associationId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});

type Coordinates = { latitude?: number | null | undefined; longitude?: number | null | undefined };
/** Latitude and longitude go together. */
const coordinatesTogether = (p: Coordinates) =>
  (p.latitude === undefined) === (p.longitude === undefined) && (p.latitude === null) === (p.longitude === null);
const coordinatesMessage = { message: 'latitude and longitude are given together', path: ['longitude'] };

/** A new place (admin API `POST /places` body, Slack "Add a drop-off point"). */
export const newPlaceSchema = placeFieldsSchema.refine(coordinatesTogether, coordinatesMessage);
/** Changes to a place (admin API `PATCH /places/{id}` body, Slack "Edit"). */
export const placeChangesSchema = placeFieldsSchema.partial().refine(coordinatesTogether, coordinatesMessage);

export type NewPlace = z.input<typeof newPlaceSchema>;
export type PlaceChanges = z.input<typeof placeChangesSchema>;

/** Who writes: an admin API token or a staff member (Slack). */
export interface PlaceActor {
  type: 'API' | 'STAFF';
  id: string;
}

/** Creates a place after validating it, audited as `place.created`, in the caller's transaction. */
export async function createPlace(tx: Tx, fields: NewPlace, actor: PlaceActor): Promise<Place> {
  const data = newPlaceSchema.parse(fields);
  const row = await tx.place.create({ data });
  await audit(tx, actor, 'place.created', row, {});
  return row;
}

/**
 * Changes a place after validating the changes, audited (`place.updated`, or the action given,
 * e.g. `place.deactivated`) with the names of the fields whose value changed. A deactivated
 * place is no longer offered to people or donors (`findPlaces` reads active places only).
 */
export async function updatePlace(
  tx: Tx,
  id: string,
  changes: PlaceChanges,
  actor: PlaceActor,
  action = 'place.updated',
): Promise<Place> {
  const data = placeChangesSchema.parse(changes);
  const before = await tx.place.findUnique({ where: { id } });
  if (!before) throw new NotFound('place');
  const row = await tx.place.update({ where: { id }, data });
  await audit(tx, actor, action, row, { fields: changedFields(before, row, Object.keys(data)) });
  return row;
}

/** Takes a place out of every search (reactivate with `updatePlace(…, { active: true })`). */
export function deactivatePlace(tx: Tx, id: string, actor: PlaceActor): Promise<Place> {
  return updatePlace(tx, id, { active: false }, actor, 'place.deactivated');
}

function changedFields(before: Place, after: Place, keys: string[]): string[] {
  const old = new Map(Object.entries(before));
  const now = new Map(Object.entries(after));
  return keys.filter((key) => JSON.stringify(old.get(key) ?? null) !== JSON.stringify(now.get(key) ?? null));
}

async function audit(tx: Tx, actor: PlaceActor, action: string, row: Place, data: { fields?: string[] }) {
  // the place's name and address are public information, but the trail keeps ids and field names only
  await recordAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action,
    entityType: 'Place',
    entityId: row.id,
    associationId: row.associationId,
    data: { ...data, category: row.category, active: row.active },
  });
}
