import type { Channel } from '../../generated/prisma/enums.js';
import { sql } from '../db/sql.js';
import { runStatement, type Queryable } from '../db/sqlRunner.js';

// Statements about channel identities that run one at a time on the pool (the web chat's
// sessions), apart from contactSql.ts so that the domain services do not load node-postgres.

/** Whether an identity exists for this platform id (its keyed hash), on the pool. */
export async function identityExists(pool: Queryable, channel: Channel, platformIdHash: string): Promise<boolean> {
  const { rows } = await runStatement(
    pool,
    sql`SELECT 1 FROM "ChannelIdentity"
      WHERE channel = ${channel}::"Channel" AND "platformIdHash" = ${platformIdHash} LIMIT 1`,
  );
  return rows.length > 0;
}

/**
 * Gives an identity a new platform id (hash and encrypted address), on the pool; false when no
 * identity had the old one.
 */
export async function replacePlatformId(
  pool: Queryable,
  input: { channel: Channel; fromHash: string; toHash: string; addressCipher: string },
): Promise<boolean> {
  const { rowCount } = await runStatement(
    pool,
    sql`UPDATE "ChannelIdentity" SET "platformIdHash" = ${input.toHash}, "addressCipher" = ${input.addressCipher}
     WHERE channel = ${input.channel}::"Channel" AND "platformIdHash" = ${input.fromHash}`,
  );
  return rowCount === 1;
}
