import { createHash, randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/auditTrail.js';
import type { Db } from '../db.js';
import { NotFound } from '../errors.js';
import { safeEqual } from '../secrets.js';

/**
 * `read`: GET routes; `write`: changes; `donor-contacts`: donors' name, phone, e-mail and
 * address (a pledge's `donor`, its receipt PDF); `admin`: tokens and staff, and everything else.
 */
export const API_SCOPES = ['read', 'write', 'donor-contacts', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A scope as a person typed it (`READ`, ` Donor-Contacts`), or null when there is no such scope. */
export function parseApiScope(typed: string): ApiScope | null {
  const scope = typed.trim().toLowerCase();
  return isApiScope(scope) ? scope : null;
}

/** The actor id recorded in the audit trail for requests made with the ADMIN_TOKEN variable. */
export const ENV_ADMIN_TOKEN_ID = 'env:ADMIN_TOKEN';
const TOKEN_PREFIX = 'rls_';
/** lastUsedAt is a hint for spotting unused tokens: refresh it at most this often (no write per request) */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Who called the admin API. */
export interface ApiPrincipal {
  tokenId: string;
  name: string;
  scopes: ReadonlySet<ApiScope>;
  /** set: the token sees and changes only this association's data; null: the whole network */
  associationId: string | null;
}

/** `admin` implies every scope; otherwise the token must carry the scope itself. */
export function hasScope(principal: ApiPrincipal, scope: ApiScope): boolean {
  return principal.scopes.has('admin') || principal.scopes.has(scope);
}

/** SHA-256 (hex) of a token: what the database keeps. Tokens are 256 random bits, so no salt or slow hash is needed. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface CreatedApiToken {
  id: string;
  name: string;
  scopes: ApiScope[];
  associationId: string | null;
  createdAt: Date;
  /** shown once; only its hash is stored */
  token: string;
}

export interface NewApiToken {
  name: string;
  scopes: readonly ApiScope[];
  /** bind the token to one association (it then sees only that association's data) */
  associationId?: string | null | undefined;
  actor: { type: 'API' | 'SYSTEM'; id: string | null };
}

/** Creates a token (`rls_` + 43 base64url characters) and records who created it. */
export async function createApiToken(db: Db, input: NewApiToken): Promise<CreatedApiToken> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const scopes = [...new Set(input.scopes)].sort((a, b) => API_SCOPES.indexOf(a) - API_SCOPES.indexOf(b));
  const associationId = input.associationId ?? null;
  const row = await db.$transaction(async (tx) => {
    const data = { name: input.name, tokenHash: hashApiToken(token), scopes, associationId };
    const created = await tx.apiToken.create({ data });
    await recordAudit(tx, {
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: 'apiToken.created',
      entityType: 'ApiToken',
      entityId: created.id,
      associationId,
      data: { scopes },
    });
    return created;
  });
  return { id: row.id, name: row.name, scopes, associationId, createdAt: row.createdAt, token };
}

/** Revokes a token for good (idempotent: revoking twice keeps the first date). */
export async function revokeApiToken(db: Db, id: string, actor: { type: 'API' | 'SYSTEM'; id: string | null }) {
  return db.$transaction(async (tx) => {
    const current = await tx.apiToken.findUnique({ where: { id } });
    if (!current) throw new NotFound('token');
    if (current.revokedAt) return current;
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'apiToken.revoked',
      entityType: 'ApiToken',
      entityId: id,
    });
    return revoked;
  });
}

/**
 * Finds who a presented token belongs to, or null. The ADMIN_TOKEN variable is compared in
 * constant time; stored tokens are looked up by their SHA-256, so the lookup's timing says
 * nothing about the token itself.
 */
export async function authenticateApiToken(
  db: Db,
  presented: string,
  adminToken?: string,
): Promise<ApiPrincipal | null> {
  if (presented.length === 0 || presented.length > 512) return null;
  if (adminToken && safeEqual(presented, adminToken)) {
    return { tokenId: ENV_ADMIN_TOKEN_ID, name: 'ADMIN_TOKEN', scopes: new Set(['admin']), associationId: null };
  }
  if (!presented.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(presented) } });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  const scopes = new Set(row.scopes.filter(isApiScope));
  return { tokenId: row.id, name: row.name, scopes, associationId: row.associationId };
}

function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}
