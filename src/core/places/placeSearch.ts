import type { Tx } from '../db.js';
import type { CommandEventData } from '../commands/commandEvents.js';
import type { PlaceCategoryName } from '../commands/commandTypes.js';
import { haversineKm, roundKm, type GeoPoint } from './geoDistance.js';
import { readPlaceHours } from './placeHours.js';
import { geocodePostcode } from './postcodeGeocoder.js';

type FoundPlace = CommandEventData<'places'>['places'][number];

export interface PlaceQuery {
  category: PlaceCategoryName | null;
  near?: GeoPoint;
  /** French postcode: only places of its département, the same postcode first */
  postcode?: string;
  /** only places whose accepted items include this one (drop-off points) */
  accepts?: string;
  limit?: number;
}

const MAX_RESULTS = 10;
/** Places per category stay in the hundreds; sorting them in memory is cheaper than PostGIS. */
const SCAN_LIMIT = 2000;

/**
 * Active places of a category (accepting an item, if asked): the nearest first when a
 * location is given (places without coordinates last); for a postcode, only places of that
 * département, nearest to the postcode's centre first (offline dataset; same postcode first
 * when the postcode is unknown to it); else by name.
 */
export async function findPlaces(tx: Tx, query: PlaceQuery): Promise<FoundPlace[]> {
  const rows = await tx.place.findMany({
    where: {
      active: true,
      ...(query.category ? { category: query.category } : {}),
      ...(query.accepts ? { acceptedItems: { has: query.accepts } } : {}),
    },
    orderBy: { name: 'asc' },
    take: SCAN_LIMIT,
    select: {
      id: true,
      name: true,
      category: true,
      address: true,
      postcode: true,
      city: true,
      latitude: true,
      longitude: true,
      hours: true,
    },
  });
  const limit = Math.min(Math.max(query.limit ?? 5, 1), MAX_RESULTS);
  const origin = query.near ?? (query.postcode ? geocodePostcode(query.postcode) : undefined);
  const places = rows.map((p) => {
    const located = p.latitude !== null && p.longitude !== null;
    const distance =
      origin && located ? haversineKm(origin, { latitude: p.latitude ?? 0, longitude: p.longitude ?? 0 }) : null;
    return {
      place: {
        id: p.id,
        name: p.name,
        category: p.category,
        address: p.address,
        postcode: p.postcode,
        city: p.city,
        distanceKm: distance === null ? null : roundKm(distance),
        hours: readPlaceHours(p.hours),
      },
      distance,
    };
  });
  if (query.near) {
    places.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity));
    return places.slice(0, limit).map((p) => p.place);
  }
  if (query.postcode) {
    const department = query.postcode.slice(0, 2);
    const rank = (postcode: string | null) => (postcode === query.postcode ? 0 : 1);
    const local = places.filter((p) => p.place.postcode?.startsWith(department));
    if (origin) local.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity));
    else local.sort((a, b) => rank(a.place.postcode) - rank(b.place.postcode));
    return local.slice(0, limit).map((p) => p.place);
  }
  return places.slice(0, limit).map((p) => p.place);
}
