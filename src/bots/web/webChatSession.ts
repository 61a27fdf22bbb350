import { z } from 'zod';
import type { Queryable } from '../../core/outbound/outboxSql.js';
import type { Secrets } from '../../core/secrets.js';

/** The page sends its session id in this header when it reads (GET) or renews its session. */
export const SESSION_HEADER = 'x-relais-session';
/** A random value of at least 128 bits the browser keeps; whoever holds it reads the conversation. */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);

const hashOf = (secrets: Secrets, sessionId: string) => secrets.hash(`WEB:${sessionId}`);

/** Whether Relais already knows this session (its identity exists): a new one costs a contact. */
export async function isKnownSession(pool: Queryable, secrets: Secrets, sessionId: string): Promise<boolean> {
  const { rows } = await pool.query(`SELECT 1 FROM "ChannelIdentity" WHERE channel = 'WEB' AND "platformIdHash" = $1 LIMIT 1`, [hashOf(secrets, sessionId)]);
  return rows.length > 0;
}
