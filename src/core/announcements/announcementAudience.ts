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
  /** French départements ("62", "59", "2A", "971") of their request's stay or of their association's places */
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

export interface AreaBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

let boxes: Map<string, AreaBox> | undefined;

/** The postcode prefix of a département (Corsica's 2A and 2B share 20xxx). */
export const postcodePrefix = (departement: string) => (/^2[AB]$/.test(departement) ? '20' : departement);

/** A box around a département's postcode centres (offline dataset): where a shared location counts as in it. */
export function departementBox(departement: string): AreaBox | undefined {
  if (!boxes) {
    boxes = new Map();
    const raw = z
      .record(z.string(), z.tuple([z.number(), z.number()]))
      .parse(JSON.parse(readFileSync(POSTCODE_DATASET, 'utf8')));
    for (const [postcode, [lat, lon]] of Object.entries(raw)) {
      const key = postcode.startsWith('97') ? postcode.slice(0, 3) : postcode.slice(0, 2);
      const box = boxes.get(key);
      if (!box) boxes.set(key, { minLat: lat, maxLat: lat, minLon: lon, maxLon: lon });
      else
        Object.assign(box, {
          minLat: Math.min(box.minLat, lat),
          maxLat: Math.max(box.maxLat, lat),
          minLon: Math.min(box.minLon, lon),
          maxLon: Math.max(box.maxLon, lon),
        });
    }
  }
  // the centres of the border postcodes are a few km inside it
  const box = boxes.get(postcodePrefix(departement));
  return (
    box && {
      minLat: box.minLat - 0.05,
      maxLat: box.maxLat + 0.05,
      minLon: box.minLon - 0.07,
      maxLon: box.maxLon + 0.07,
    }
  );
}
