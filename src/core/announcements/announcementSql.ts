import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../db.js';
import { OPEN_REQUEST_STATUSES, departementOfPoint, type AudienceDefinition } from './announcementAudience.js';

// The announcements' statements: drawing an audience, feeding the outbox, counting progress.
// All run on Prisma's $queryRaw inside the caller's transaction; rows are parsed with zod.

const count = z.coerce.number().int();

/** A place's département from its postcode, as departementOfPostcode works it out. */
const placeDepartement = Prisma.sql`(CASE
  WHEN p.postcode ~ '^9[78]' THEN left(p.postcode, 3)
  WHEN p.postcode LIKE '20%' THEN (CASE WHEN p.postcode < '20200' THEN '2A' ELSE '2B' END)
  ELSE left(p.postcode, 2) END)`;

/**
 * Everyone the definition matches, one row per person with the account an announcement would
 * use: the newest one on an allowed channel, preferring one WhatsApp may still write to.
 * Base rules: beneficiaries, active (not paused, not erased), privacy notice accepted, language chosen.
 */
function candidates(
  audience: AudienceDefinition,
  whatsappSince: Date,
  now: Date,
  staying: string[] | null,
): Prisma.Sql {
  const associationId = audience.scope === 'association' ? (audience.associationId ?? null) : null;
  const kinds = audience.requestKinds ?? null;
  const statuses = audience.requestStatuses ?? (kinds ? [...OPEN_REQUEST_STATUSES] : null);
  const activeSince = audience.activeWithinDays
    ? new Date(now.getTime() - audience.activeWithinDays * 86_400_000)
    : null;
  const departements = audience.departements ?? null;
  return Prisma.sql`
    SELECT DISTINCT ON (c.id) c.id AS "contactId", c.language, c."announcementsOff" AS "off",
      i.channel::text AS channel,
      (i.channel = 'WHATSAPP' AND i."lastSeenAt" < ${whatsappSince}) AS "outsideWindow"
    FROM "Contact" c
    JOIN "ChannelIdentity" i ON i."contactId" = c.id AND i.channel::text IN ('TELEGRAM', 'WHATSAPP', 'WEB')
      AND (${audience.channels ?? null}::text[] IS NULL OR i.channel::text = ANY (${audience.channels ?? null}::text[]))
    WHERE c.kind = 'BENEFICIARY' AND c.status = 'ACTIVE' AND c."consentAt" IS NOT NULL AND c.language IS NOT NULL
      AND (${associationId}::uuid IS NULL OR c."associationId" = ${associationId}::uuid
           OR EXISTS (SELECT 1 FROM "Request" r
                      WHERE r."contactId" = c.id AND r."associationId" = ${associationId}::uuid))
      AND (${statuses}::text[] IS NULL OR EXISTS (
           SELECT 1 FROM "Request" r WHERE r."contactId" = c.id AND r.status::text = ANY (${statuses}::text[])
             AND (${kinds}::text[] IS NULL OR r.kind::text = ANY (${kinds}::text[]))
             AND (${associationId}::uuid IS NULL OR r."associationId" = ${associationId}::uuid)))
      AND (${activeSince}::timestamp IS NULL OR c."lastSeenAt" >= ${activeSince}::timestamp)
      AND (${audience.languages ?? null}::text[] IS NULL OR c.language = ANY (${audience.languages ?? null}::text[]))
      -- the area: where the person said they stay, if they shared a location; otherwise the places of the
      -- associations that have their requests or them
      AND (${departements}::text[] IS NULL OR (CASE
           WHEN EXISTS (SELECT 1 FROM "Request" r WHERE r."contactId" = c.id
                          AND jsonb_typeof(r.details->'stay'->'latitude') = 'number')
           THEN EXISTS (SELECT 1 FROM "Request" r WHERE r."contactId" = c.id AND r.id = ANY (${staying ?? []}::uuid[]))
           ELSE EXISTS (SELECT 1 FROM "Place" p
                        WHERE p.active AND ${placeDepartement} = ANY (${departements}::text[])
                          AND (p."associationId" = c."associationId"
                               OR p."associationId" IN (SELECT r."associationId" FROM "Request" r
                                                        WHERE r."contactId" = c.id)))
           END))
    ORDER BY c.id, (i.channel = 'WHATSAPP' AND i."lastSeenAt" < ${whatsappSince}) ASC, i."lastSeenAt" DESC`;
}

const stayRowSchema = z.object({ id: z.string(), latitude: z.number(), longitude: z.number() });

/**
 * The requests whose shared location is in one of the audience's départements (the nearest
 * postcode centre's, worked out here: Postgres has no map of France), or null without a
 * département filter. Within an association's scope, only the requests of its people.
 */
async function requestsStayingIn(tx: AudienceReader, audience: AudienceDefinition): Promise<string[] | null> {
  if (!audience.departements) return null;
  const wanted = new Set(audience.departements);
  const associationId = audience.scope === 'association' ? (audience.associationId ?? null) : null;
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT r.id, (r.details->'stay'->>'latitude')::float8 AS latitude,
           (r.details->'stay'->>'longitude')::float8 AS longitude
    FROM "Request" r JOIN "Contact" c ON c.id = r."contactId"
    WHERE jsonb_typeof(r.details->'stay'->'latitude') = 'number'
      AND jsonb_typeof(r.details->'stay'->'longitude') = 'number'
      AND (${associationId}::uuid IS NULL OR r."associationId" = ${associationId}::uuid
           OR c."associationId" = ${associationId}::uuid)`;
  return z
    .array(stayRowSchema)
    .parse(rows)
    .filter((r) => wanted.has(departementOfPoint(r.latitude, r.longitude) ?? ''))
    .map((r) => r.id);
}

const audienceGroupSchema = z.object({
  language: z.string(),
  channel: z.string(),
  off: z.boolean(),
  outsideWindow: z.boolean(),
  people: count,
});
export type AudienceGroup = z.infer<typeof audienceGroupSchema>;

/** what reading an audience needs of a transaction (or of the client) */
export type AudienceReader = Pick<Tx, '$queryRaw'>;

/** The audience as counts by language, channel, opted out and outside WhatsApp's window. */
export async function audienceGroups(
  tx: AudienceReader,
  audience: AudienceDefinition,
  whatsappSince: Date,
  now: Date,
): Promise<AudienceGroup[]> {
  const staying = await requestsStayingIn(tx, audience);
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT language, channel, "off", "outsideWindow", count(*)::int AS people
    FROM (${candidates(audience, whatsappSince, now, staying)}) AS a GROUP BY 1, 2, 3, 4`;
  return z.array(audienceGroupSchema).parse(rows);
}

/**
 * Writes the recipients of an announcement: those who will get it (WAITING) and the opted-out
 * ones (OPTED_OUT, for the counts). People outside WhatsApp's window or without a text in their
 * language are not written (counted on the announcement). Returns how many will get it.
 */
export async function drawRecipients(
  tx: Tx,
  input: { announcementId: string; audience: AudienceDefinition; languages: string[]; whatsappSince: Date; now: Date },
): Promise<number> {
  const staying = await requestsStayingIn(tx, input.audience);
  const rows = await tx.$queryRaw<unknown[]>`
    WITH drawn AS (
      INSERT INTO "AnnouncementRecipient" (id, "announcementId", "contactId", channel, language, status)
      SELECT gen_random_uuid(), ${input.announcementId}::uuid, a."contactId", a.channel::"Channel", a.language,
             (CASE WHEN a."off" THEN 'OPTED_OUT' ELSE 'WAITING' END)::"AnnouncementRecipientStatus"
      FROM (${candidates(input.audience, input.whatsappSince, input.now, staying)}) AS a
      WHERE NOT a."outsideWindow" AND a.language = ANY (${input.languages}::text[])
      ON CONFLICT ("announcementId", "contactId") DO NOTHING
      RETURNING status
    )
    SELECT count(*) FILTER (WHERE status = 'WAITING')::int AS waiting FROM drawn`;
  return z.array(z.object({ waiting: count })).parse(rows)[0]?.waiting ?? 0;
}

/** How many of the announcement's messages on a channel are written and not yet sent or failed. */
export async function pendingOnChannel(tx: Tx, announcementId: string, channel: string): Promise<number> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT count(*)::int AS n FROM "Message"
    WHERE "announcementId" = ${announcementId}::uuid AND status = 'PENDING' AND channel::text = ${channel}`;
  return z.array(z.object({ n: count })).parse(rows)[0]?.n ?? 0;
}

/** Channels that still have recipients waiting to be written to the outbox. */
export async function waitingChannels(tx: Tx, announcementId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT DISTINCT channel::text AS channel FROM "AnnouncementRecipient"
    WHERE "announcementId" = ${announcementId}::uuid AND status = 'WAITING'`;
  return z
    .array(z.object({ channel: z.string() }))
    .parse(rows)
    .map((r) => r.channel);
}

const writtenSchema = z.object({ id: z.string(), channel: z.string(), identityId: z.string() });

/**
 * Writes the next `limit` waiting recipients of a channel to the outbox, each in their own
 * language (`texts`: language → OutboundContent), to the newest account they have there, and
 * marks them QUEUED with their message. Whoever has since switched announcements off, paused,
 * been erased or lost the account is marked OPTED_OUT or SKIPPED instead. One statement: a
 * recipient is written at most once (row locks, SKIP LOCKED for a concurrent run).
 */
export async function writeNextMessages(
  tx: Tx,
  input: { announcementId: string; channel: string; limit: number; texts: Record<string, unknown> },
): Promise<Array<z.infer<typeof writtenSchema>>> {
  const rows = await tx.$queryRaw<unknown[]>`
    WITH picked AS (
      SELECT r.id, r."contactId", r.language, r.channel FROM "AnnouncementRecipient" r
      WHERE r."announcementId" = ${input.announcementId}::uuid AND r.status = 'WAITING'
        AND r.channel::text = ${input.channel}
      ORDER BY r.id LIMIT ${input.limit} FOR UPDATE SKIP LOCKED
    ), target AS (
      SELECT p.id AS rid, p."contactId", p.language, p.channel, c.status AS "contactStatus",
             c."announcementsOff" AS "off", i.id AS "identityId"
      FROM picked p JOIN "Contact" c ON c.id = p."contactId"
      LEFT JOIN LATERAL (SELECT id FROM "ChannelIdentity" WHERE "contactId" = p."contactId" AND channel = p.channel
                         ORDER BY "lastSeenAt" DESC LIMIT 1) i ON true
    ), written AS (
      INSERT INTO "Message"
        (id, channel, direction, status, "identityId", "contactId", content, "announcementId", "queuedAt")
      SELECT gen_random_uuid(), t.channel, 'OUTBOUND', 'PENDING', t."identityId", t."contactId",
             ${JSON.stringify(input.texts)}::jsonb -> t.language,
             ${input.announcementId}::uuid, now()
      FROM target t
      WHERE t."contactStatus" = 'ACTIVE' AND NOT t."off" AND t."identityId" IS NOT NULL
        AND ${JSON.stringify(input.texts)}::jsonb ? t.language
      RETURNING id, "contactId", channel::text AS channel, "identityId"
    ), marked AS (
      UPDATE "AnnouncementRecipient" r
      SET status = (CASE WHEN w.id IS NOT NULL THEN 'QUEUED' WHEN t."off" THEN 'OPTED_OUT' ELSE 'SKIPPED' END)
            ::"AnnouncementRecipientStatus",
          "messageId" = w.id
      FROM target t LEFT JOIN written w ON w."contactId" = t."contactId"
      WHERE r.id = t.rid
      RETURNING 1
    )
    SELECT id, channel, "identityId" FROM written, (SELECT count(*) FROM marked) AS m`;
  return z.array(writtenSchema).parse(rows);
}

/**
 * The announcement's pending messages never handed to the queue, or handed over more than `staleMs` ago (Redis lost
 * them).
 */
export async function undispatchedOfAnnouncement(
  tx: Tx,
  announcementId: string,
  staleMs: number,
): Promise<Array<z.infer<typeof writtenSchema>>> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT id, channel::text AS channel, "identityId" FROM "Message"
    WHERE "announcementId" = ${announcementId}::uuid AND status = 'PENDING' AND "identityId" IS NOT NULL
      AND ("queuedAt" IS NULL OR "queuedAt" < now() - make_interval(secs => ${staleMs}::double precision / 1000))
    ORDER BY seq LIMIT 500`;
  const parsed = z.array(writtenSchema).parse(rows);
  if (parsed.length > 0)
    await tx.$executeRaw`UPDATE "Message" SET "queuedAt" = now() WHERE id = ANY (${parsed.map((m) => m.id)}::uuid[])`;
  return parsed;
}

/** Cancels what is not sent yet: waiting recipients and pending messages (a send already under way still leaves). */
export async function cancelUnsent(tx: Tx, announcementId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "AnnouncementRecipient" SET status = 'CANCELLED'
    WHERE "announcementId" = ${announcementId}::uuid AND status = 'WAITING'`;
  await tx.$executeRaw`
    UPDATE "Message" SET status = 'FAILED', "lastError" = 'cancelled'
    WHERE "announcementId" = ${announcementId}::uuid AND status = 'PENDING'`;
}

const progressSchema = z.object({
  waiting: count,
  pending: count,
  sent: count,
  failed: count,
  cancelled: count,
  optedOut: count,
  skipped: count,
});
export type ProgressCounts = z.infer<typeof progressSchema>;

/** Exact counts of an announcement's recipients and messages. */
export async function progressCounts(tx: Pick<Tx, '$queryRaw'>, announcementId: string): Promise<ProgressCounts> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT count(*) FILTER (WHERE r.status = 'WAITING')::int AS waiting,
           count(*) FILTER (WHERE m.status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE m.status = 'SENT')::int AS sent,
           count(*) FILTER (WHERE m.status = 'FAILED' AND m."lastError" IS DISTINCT FROM 'cancelled')::int AS failed,
           (count(*) FILTER (WHERE r.status = 'CANCELLED')
             + count(*) FILTER (WHERE m.status = 'FAILED' AND m."lastError" = 'cancelled'))::int AS cancelled,
           count(*) FILTER (WHERE r.status = 'OPTED_OUT')::int AS "optedOut",
           count(*) FILTER (WHERE r.status = 'SKIPPED' OR (r.status = 'QUEUED' AND m.id IS NULL))::int AS skipped
    FROM "AnnouncementRecipient" r LEFT JOIN "Message" m ON m.id = r."messageId"
    WHERE r."announcementId" = ${announcementId}::uuid`;
  return progressSchema.parse(rows[0]);
}

const feedRowSchema = z.object({
  status: z.string(),
  feedRound: z.number(),
  template: z.string().nullable(),
  texts: z.unknown(),
  params: z.unknown(),
});

/** Locks the announcement for one feeding round and reads what the round needs (null: gone). */
export async function lockForRound(tx: Tx, announcementId: string): Promise<z.infer<typeof feedRowSchema> | null> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT status::text AS status, "feedRound", template, texts, params FROM "Announcement"
    WHERE id = ${announcementId}::uuid FOR UPDATE`;
  const row = rows[0];
  return row === undefined ? null : feedRowSchema.parse(row);
}
