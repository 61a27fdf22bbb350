// Schemas shared by the admin API routes. zod v4 (the `zod/v4` entry of zod 3.25) because
// fastify-type-provider-zod turns these into both request validation and the OpenAPI document.
import { z } from 'zod/v4';

export const idParams = z.object({ id: z.uuid() });

/** `?limit=50&cursor=<id of the last item of the previous page>`, newest first. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('items per page (1–200)'),
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
    error: z.string().describe('stable code, e.g. RELAIS_BAD_REQUEST, RELAIS_UNAUTHENTICATED, RELAIS_FORBIDDEN, RELAIS_NOT_FOUND, RELAIS_CONFLICT'),
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
