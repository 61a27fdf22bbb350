import { z } from 'zod';
import type { Channel } from '../../generated/prisma/enums.js';
import type { Tx } from '../db.js';
import { prismaExecute, prismaRunner, type SqlRunner } from '../db/prismaRunner.js';
import { firstRow, prepared, sql, type Statement } from '../db/sql.js';

/**
 * The statement that gives a new person a pseudonymous contact and the identity they write
 * from, and does nothing for a known one. The identity goes first (its ON CONFLICT decides,
 * waiting for a concurrent first message of the same person to commit), and the contact is
 * inserted only when the identity was: the foreign key is checked at the end of the statement.
 * Rows: `identityId` and `contactId`, both null when the identity already existed.
 */
export function ensureIdentityStatement(input: {
  channel: Channel;
  platformIdHash: string;
  addressCipher: string;
}): Statement {
  return prepared('relais_contact_ensure_identity')`
    WITH identity AS (
      INSERT INTO "ChannelIdentity" (id, channel, "platformIdHash", "addressCipher", "contactId", "profileIds")
      SELECT gen_random_uuid(), ${input.channel}::"Channel", ${input.platformIdHash}, ${input.addressCipher},
             fresh.id, ARRAY[fresh.id]
      FROM (SELECT gen_random_uuid() AS id) AS fresh
      ON CONFLICT (channel, "platformIdHash") DO NOTHING
      RETURNING id, "contactId"
    ), contact AS (
      INSERT INTO "Contact" (id) SELECT "contactId" FROM identity RETURNING id
    )
    SELECT (SELECT id FROM identity) AS "identityId", (SELECT id FROM contact) AS "contactId"`;
}

const ensuredRow = z.object({ identityId: z.string().nullable(), contactId: z.string().nullable() });

/** Creates a new person's contact and identity unless they exist; true when this call created them. */
export async function createIdentity(
  tx: Tx,
  input: { channel: Channel; platformIdHash: string; addressCipher: string },
): Promise<boolean> {
  const [rows = []] = await prismaRunner(tx).queryAll([ensureIdentityStatement(input)]);
  return Boolean(firstRow(ensuredRow, rows)?.identityId);
}

/*
 * The one-UPDATE commands about the person themself, deferred to the turn's last trip (nothing
 * reads them back) and prepared once per connection.
 */

export async function deferLanguage(executor: SqlRunner, contactId: string, language: string): Promise<void> {
  await executor.defer(
    prepared('relais_contact_language')`UPDATE "Contact" SET language = ${language} WHERE id = ${contactId}::uuid`,
  );
}

export async function deferConsent(executor: SqlRunner, contactId: string, at: Date): Promise<void> {
  await executor.defer(
    prepared('relais_contact_consent')`UPDATE "Contact" SET "consentAt" = ${at} WHERE id = ${contactId}::uuid`,
  );
}

export async function deferPause(executor: SqlRunner, contactId: string): Promise<void> {
  await executor.defer(
    prepared(
      'relais_contact_pause',
    )`UPDATE "Contact" SET status = 'PAUSED'::"ContactStatus" WHERE id = ${contactId}::uuid`,
  );
}

export async function deferResume(executor: SqlRunner, contactId: string): Promise<void> {
  await executor.defer(
    prepared(
      'relais_contact_resume',
    )`UPDATE "Contact" SET status = 'ACTIVE'::"ContactStatus" WHERE id = ${contactId}::uuid`,
  );
}

/**
 * Announcements on or off for the person; off, the announcements not yet written to their
 * outbox will not be (the written ones are checked again at their turn to be sent).
 */
export async function deferAnnouncements(executor: SqlRunner, contactId: string, enabled: boolean): Promise<void> {
  await executor.defer(
    prepared(
      'relais_contact_announcements',
    )`UPDATE "Contact" SET "announcementsOff" = ${!enabled} WHERE id = ${contactId}::uuid`,
  );
  if (!enabled) {
    await executor.defer(prepared('relais_contact_announcements_waiting')`UPDATE "AnnouncementRecipient"
      SET status = 'OPTED_OUT' WHERE "contactId" = ${contactId}::uuid AND status = 'WAITING'`);
  }
}

const countRow = z.object({ n: z.number().int() });

/** Wrong reconnection codes recorded on a channel since `since` (audit events `code.failed`). */
export async function countCodeFailures(tx: Tx, channel: Channel, since: Date): Promise<number> {
  const [rows = []] = await prismaRunner(tx).queryAll([
    sql`
    SELECT count(*)::int AS n FROM "AuditEvent"
    WHERE action = 'code.failed' AND at > ${since}::timestamp AND data->>'channel' = ${channel}`,
  ]);
  return firstRow(countRow, rows)?.n ?? 0;
}

/** Takes the channel's guess lock (a transaction-scoped advisory lock) until the transaction ends. */
export async function lockCodeGuesses(tx: Tx, channel: Channel): Promise<void> {
  await prismaExecute(tx, sql`SELECT pg_advisory_xact_lock(hashtextextended(${`relais:code-guesses:${channel}`}, 0))`);
}
