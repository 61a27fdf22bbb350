import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiToken, hasScope, type ApiPrincipal, type ApiScope } from '../../apiTokens/apiTokenService.js';
import type { Db } from '../../db.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** set by the admin authentication hook; null outside authenticated scopes */
    apiPrincipal: ApiPrincipal | null;
  }
  interface FastifyContextConfig {
    /** scope an admin route needs; default `read` for GET/HEAD and `write` for the rest */
    scope?: ApiScope;
    /** the route acts on the whole network (tokens, new associations): refused to association-bound tokens */
    networkOnly?: boolean;
  }
}

export interface AdminAuthOptions {
  db: Db;
  adminToken?: string | undefined;
  /** also accept HTTP Basic (any user name, the token as password): for browsers (Bull Board) */
  allowBasic?: boolean;
  realm: string;
  /** every route of the scope needs this scope (otherwise: per route, see {@link requiredScope}) */
  scope?: ApiScope;
  /** every route of the scope is refused to association-bound tokens (otherwise: per route `config.networkOnly`) */
  networkOnly?: boolean;
}

/** The token of `Authorization: Bearer <token>`, or with `allowBasic` the password of `Basic base64(user:token)`. */
export function presentedToken(header: string | undefined, allowBasic: boolean): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (allowBasic && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/** The scope a route needs: its own `config.scope`, else read for reads and write for changes. */
export function requiredScope(request: FastifyRequest): ApiScope {
  const configured = request.routeOptions.config.scope;
  if (configured) return configured;
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

/**
 * An `onRequest` hook: 401 without a valid token (with the challenge browsers and clients
 * expect), 403 when the token lacks the route's scope or is bound to one association on a
 * network-wide route. Runs before the body is read.
 */
export function adminAuthHook(options: AdminAuthOptions) {
  const challenge = options.allowBasic
    ? `Basic realm="${options.realm}", charset="UTF-8"`
    : `Bearer realm="${options.realm}"`;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = presentedToken(request.headers.authorization, options.allowBasic ?? false);
    const principal = token ? await authenticateApiToken(options.db, token, options.adminToken) : null;
    if (!principal) {
      return reply.status(401).header('www-authenticate', challenge).send({
        error: 'RELAIS_UNAUTHENTICATED',
        message: 'a valid API token is required (Authorization: Bearer <token>)',
      });
    }
    const scope = options.scope ?? requiredScope(request);
    if (!hasScope(principal, scope)) {
      return reply.status(403).send({ error: 'RELAIS_FORBIDDEN', message: `this token lacks the "${scope}" scope` });
    }
    if (principal.associationId && (options.networkOnly || request.routeOptions.config.networkOnly)) {
      const message = 'this token is bound to one association; this route needs a network-wide token';
      return reply.status(403).send({ error: 'RELAIS_FORBIDDEN', message });
    }
    request.apiPrincipal = principal;
    return undefined;
  };
}

/** The audit actor of an authenticated admin API request (the token id, never the token). */
export function apiActor(request: FastifyRequest): { type: 'API'; id: string } {
  const id = request.apiPrincipal?.tokenId;
  // the auth hook runs before every admin handler: a missing principal is a wiring bug
  if (!id) throw new Error('admin route reached without authentication');
  return { type: 'API', id };
}
