import type { FastifyRequest } from 'fastify';
import { Forbidden, NotFound, UnknownReference } from '../../errors.js';

// What an association-bound API token may see and change. A bound token's lists hold only its
// association's items; another association's item answers 404 exactly like one that does not
// exist, and naming another association in a body reads as an unknown reference, so a partner
// cannot even learn what the rest of the network holds.

/** The association the request's token is bound to, or null for a network-wide token. */
export function boundAssociationId(request: FastifyRequest): string | null {
  return request.apiPrincipal?.associationId ?? null;
}

/** A Prisma `where` fragment on `associationId`. */
export interface AssociationFilter {
  associationId?: string | { in: string[] };
}

/** A list's `associationId` filter: the one asked for, narrowed to the token's association. */
export function associationFilter(request: FastifyRequest, requested: string | undefined): AssociationFilter {
  const bound = boundAssociationId(request);
  if (!bound) return requested ? { associationId: requested } : {};
  // another association's items are not an error, just none (`in: []` matches nothing)
  return requested && requested !== bound ? { associationId: { in: [] } } : { associationId: bound };
}

/** Throws {@link NotFound} when a bound token reaches an item of another association (or of none). */
export function assertVisible(request: FastifyRequest, ownerAssociationId: string | null, what: string): void {
  const bound = boundAssociationId(request);
  if (bound && ownerAssociationId !== bound) throw new NotFound(what);
}

/**
 * Checks an association named in a body (`undefined`: not named). A bound token may name only
 * its own; it may not clear it either, which would hand the item to the whole network.
 */
export function assertReferable(request: FastifyRequest, associationId: string | null | undefined): void {
  const bound = boundAssociationId(request);
  if (!bound || associationId === undefined || associationId === bound) return;
  if (associationId === null) throw new Forbidden('a token bound to an association cannot take an item out of it');
  throw new UnknownReference('association');
}
