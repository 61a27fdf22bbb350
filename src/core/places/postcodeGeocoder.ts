import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { GeoPoint } from './geoDistance.js';

/** Built by `npm run postcodes:build` (scripts/build-postcode-dataset.ts) from INSEE/DGFiP and GeoNames data. */
export const POSTCODE_DATASET = fileURLToPath(new URL('./data/postcodes-fr.json', import.meta.url));

const datasetSchema = z.record(z.tuple([z.number(), z.number()]));
let table: Map<string, GeoPoint> | undefined;

/** Loaded on first use (~140 KB, ~6 000 postcodes), then kept: most processes never need it. */
function postcodeTable(): Map<string, GeoPoint> {
  if (!table) {
    const raw: unknown = JSON.parse(readFileSync(POSTCODE_DATASET, 'utf8'));
    table = new Map(
      Object.entries(datasetSchema.parse(raw)).map(([postcode, [latitude, longitude]]) => [
        postcode,
        { latitude, longitude },
      ]),
    );
  }
  return table;
}

/**
 * The approximate centre of a French postcode (its communes, weighted by population; for
 * small villages the centre of their département), offline. Undefined for a postcode that
 * does not exist. Accuracy: a few km, enough to rank drop-off points.
 */
export function geocodePostcode(postcode: string): GeoPoint | undefined {
  const normalized = postcode.replace(/\s/g, '');
  if (!/^\d{5}$/.test(normalized)) return undefined;
  return postcodeTable().get(normalized);
}
