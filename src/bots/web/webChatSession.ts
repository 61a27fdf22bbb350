import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { identityExists, replacePlatformId } from '../../core/contacts/identitySql.js';
import type { Queryable } from '../../core/outbound/outboxSql.js';
import type { Secrets } from '../../core/secrets.js';

/** The page sends its session id in this header when it reads (GET) or renews its session. */
export const SESSION_HEADER = 'x-relais-session';
/** A random value of at least 128 bits the browser keeps; whoever holds it reads the conversation. */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);

const hashOf = (secrets: Secrets, sessionId: string) => secrets.hash(`WEB:${sessionId}`);

/** Whether Relais already knows this session (its identity exists): a new one costs a contact. */
export async function isKnownSession(pool: Queryable, secrets: Secrets, sessionId: string): Promise<boolean> {
  return identityExists(pool, 'WEB', hashOf(secrets, sessionId));
}

/**
 * An opaque mark of the profile a session writes as, so the page notices when it changes
 * ("I am someone else" → a new profile, or the person's own code): it then renews its session.
 */
export function profileMark(secrets: Secrets, contactId: string): string {
  return secrets.hash(`webchat-profile:${contactId}`).slice(0, 22);
}

/**
 * Gives the conversation a new session id, chosen here (144 random bits), and forgets the old
 * one: the identity keeps its profile and messages, the old id no longer reads anything. The
 * page asks for it when the profile changed on a shared handset, so whoever still holds the
 * old id (the previous person, a copy of the page) cannot follow the new person's
 * conversation. Null when the old session is unknown (already renewed).
 */
export async function renewSession(pool: Queryable, secrets: Secrets, sessionId: string): Promise<string | null> {
  const next = randomBytes(18).toString('base64url');
  const renewed = await replacePlatformId(pool, {
    channel: 'WEB',
    fromHash: hashOf(secrets, sessionId),
    toHash: hashOf(secrets, next),
    addressCipher: secrets.encrypt(next),
  });
  return renewed ? next : null;
}
