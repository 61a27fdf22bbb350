import { z } from 'zod/v4';
import { LANGUAGES } from '../i18n/i18n.js';
import { POSTCODE_DATASET } from '../places/postcodeGeocoder.js';
import { readFileSync } from 'node:fs';

export const AUDIENCE_CHANNELS = ['TELEGRAM', 'WHATSAPP', 'WEB'] as const;
export type AudienceChannel = (typeof AUDIENCE_CHANNELS)[number];
const REQUEST_KINDS = ['PHONE', 'RECHARGE', 'HELP', 'CONTACT'] as const;
const REQUEST_STATUSES = ['OPEN', 'CLAIMED', 'ALLOCATED', 'SERVED', 'CLOSED', 'CANCELLED'] as const;
export const OPEN_REQUEST_STATUSES = ['OPEN', 'CLAIMED', 'ALLOCATED'] as const;

/**
 * Who an announcement reaches; every filter narrows (they combine with AND). `scope`:
 * `association` = the people of one association (their contact or one of their requests
 * belongs to it), `network` = everyone (admins only). Never in any audience: people who did
 * not accept the privacy notice, erased or paused people, donors; opted-out people and
 * WhatsApp people outside the window are counted, not reached.
 */
export const audienceSchema = z.object({
  scope: z.enum(['association', 'network']).default('association'),
  /** for `association`: which one (a coordinator's own is filled in; admins and network tokens may name one) */
  associationId: z.uuid().optional(),
  /** people with a request of one of these kinds… */
  requestKinds: z.array(z.enum(REQUEST_KINDS)).min(1).max(4).optional(),
  /** …in one of these statuses (default with kinds: open, claimed, allocated) */
  requestStatuses: z.array(z.enum(REQUEST_STATUSES)).min(1).max(6).optional(),
  /** people who wrote within this many days */
  activeWithinDays: z.number().int().min(1).max(365).optional(),
  languages: z.array(z.enum(LANGUAGES)).min(1).max(8).optional(),
  channels: z.array(z.enum(AUDIENCE_CHANNELS)).min(1).max(3).optional(),
  /**
   * French départements ("62", "59", "2A", "971"): where the person shared a location (the nearest postcode
   * centre's), or else where the places of their associations are
   */
  departements: z
    .array(
      z
        .string()
        .regex(/^(\d{2}|2[AB]|9[78]\d)$/i)
        .transform((d) => d.toUpperCase()),
    )
    .min(1)
    .max(20)
    .optional(),
});
export type AudienceDefinition = z.infer<typeof audienceSchema>;

/** The département of a postcode: its first two digits, three overseas; Corsica's 200xx–201xx are 2A, the rest 2B. */
export function departementOfPostcode(postcode: string): string {
  if (postcode.startsWith('97') || postcode.startsWith('98')) return postcode.slice(0, 3);
  if (postcode.startsWith('20')) return Number(postcode) < 20200 ? '2A' : '2B';
  return postcode.slice(0, 2);
}

/** grid cells of the postcode centres, in degrees: a cell and its neighbours hold the nearest centre almost always */
const CELL_DEG = 0.2;
const cellKey = (lat: number, lon: number) => `${Math.floor(lat / CELL_DEG)}:${Math.floor(lon / CELL_DEG)}`;

interface Centre {
  lat: number;
  lon: number;
  departement: string;
}

let grid: { cells: Map<string, Centre[]>; all: Centre[] } | undefined;

function centres(): NonNullable<typeof grid> {
  if (!grid) {
    const raw = z
      .record(z.string(), z.tuple([z.number(), z.number()]))
      .parse(JSON.parse(readFileSync(POSTCODE_DATASET, 'utf8')));
    const cells = new Map<string, Centre[]>();
    const all: Centre[] = [];
    for (const [postcode, [lat, lon]] of Object.entries(raw)) {
      const centre = { lat, lon, departement: departementOfPostcode(postcode) };
      all.push(centre);
      const key = cellKey(lat, lon);
      const cell = cells.get(key);
      if (cell) cell.push(centre);
      else cells.set(key, [centre]);
    }
    grid = { cells, all };
  }
  return grid;
}

/** squared distance on a local flat projection (enough to compare nearby points) */
const distance2 = (lat: number, lon: number, c: Centre) => {
  const dLon = (lon - c.lon) * Math.cos((lat * Math.PI) / 180);
  return (lat - c.lat) ** 2 + dLon ** 2;
};

/**
 * The département of a shared location: that of the nearest postcode centre (offline dataset,
 * ~6 000 centres, a few km apart), so a location in Lille is in the Nord (59) though it lies
 * within the Pas-de-Calais' bounding box. Undefined far from France (no centre within ~50 km).
 */
export function departementOfPoint(latitude: number, longitude: number): string | undefined {
  const { cells, all } = centres();
  let best: Centre | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const row = Math.floor(latitude / CELL_DEG);
  const col = Math.floor(longitude / CELL_DEG);
  for (let r = row - 1; r <= row + 1; r++)
    for (let c = col - 1; c <= col + 1; c++)
      for (const centre of cells.get(`${r}:${c}`) ?? []) {
        const d = distance2(latitude, longitude, centre);
        if (d < bestD) [best, bestD] = [centre, d];
      }
  // nothing within a cell: a sparse area (mountains, overseas); look at every centre
  if (!best)
    for (const centre of all) {
      const d = distance2(latitude, longitude, centre);
      if (d < bestD) [best, bestD] = [centre, d];
    }
  // ~0.45° (50 km): farther than that from any postcode centre is not in France
  return best && bestD <= 0.2 ? best.departement : undefined;
}
