// Schemas shared by the admin API routes. zod v4 (the `zod/v4` entry of zod 3.25) because
// fastify-type-provider-zod turns these into both request validation and the OpenAPI document.
import { z } from 'zod/v4';

export const idParams = z.object({ id: z.uuid() });

/**
 * A whole number typed in a query string, from `min` to `max`. Only plain digits are read as a
 * number: a huge value, `-1`, `0x10`, `1e3` or a repeated parameter is a 400 saying what is
 * expected, never a number the database would choke on.
 */
export function queryInteger(min: number, max: number) {
  const error = `expected a whole number from ${min} to ${max}`;
  const digits = (value: unknown) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);
  return z.preprocess(digits, z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
}

// Postgres keeps timestamps from 4713 BC to 294276 AD, JavaScript dates reach ±275760: a date
// outside these years is a typing mistake, refused before it reaches (and errors in) the database.
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59Z');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time (`2026-11-01`, `2026-11-01T09:00:00Z`) from 1970 to 9999. */
export function isoDate() {
  const error = 'expected an ISO 8601 date (2026-11-01 or 2026-11-01T09:00:00Z) from 1970 to 9999';
  return z
    .string({ error })
    .regex(ISO_DATE, { error, abort: true })
    .transform((value) => new Date(value))
    .pipe(z.date({ error }).min(EARLIEST, { error }).max(LATEST, { error }));
}

/**
 * An enum typed by people in any case (`read`, `READ`, `Coordinator`): read as its canonical
 * form; the OpenAPI document lists the canonical values.
 */
export function anyCase<T extends z.ZodType>(schema: T, canonical: 'lower' | 'upper') {
  const fold = (value: unknown) => {
    if (typeof value !== 'string') return value;
    return canonical === 'lower' ? value.trim().toLowerCase() : value.trim().toUpperCase();
  };
  return z.preprocess(fold, schema);
}

/** `?limit=50&cursor=<id of the last item of the previous page>`, newest first. */
export const pageQuery = z.object({
  limit: queryInteger(1, 200).default(50).describe('items per page (1–200)'),
  cursor: z.uuid().optional().describe('`nextCursor` of the previous page'),
});

/** A page of items and the cursor of the next page (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.uuid().nullable() });
}

/** Prisma arguments for one page ordered by creation (newest first); fetch one more to know if a next page exists. */
export function pageArgs(query: { limit: number; cursor?: string | undefined }) {
  return {
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
  };
}

/** Cuts the extra item fetched by {@link pageArgs} and gives the next cursor. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export const errorSchema = z
  .looseObject({
    error: z
      .string()
      .describe(
        'stable code, e.g. RELAIS_BAD_REQUEST, RELAIS_UNAUTHENTICATED, RELAIS_FORBIDDEN, ' +
          'RELAIS_NOT_FOUND, RELAIS_CONFLICT',
      ),
    message: z.string(),
  })
  .meta({ id: 'Error' });

/** The error answers every admin route can give, for the OpenAPI document. */
export const commonErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema } as const;
export const withNotFound = { ...commonErrors, 404: errorSchema } as const;

/** Optional boolean in a query string: `true`/`false` (zod's coerce would take "false" as true). */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Field names that a PATCH body changed, for the audit trail (values are not copied there). */
export function changedFields(body: Record<string, unknown>): string[] {
  return Object.keys(body).filter((key) => body[key] !== undefined);
}
