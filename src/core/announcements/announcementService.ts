import { z } from 'zod';
import type { Config } from '../config.js';
import type { Db, Tx } from '../db.js';
import { Forbidden, NotFound } from '../errors.js';
import { LANGUAGES, type I18n } from '../i18n/i18n.js';
import { recordAudit } from '../audit/auditTrail.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import type { StaffRole } from '../../generated/prisma/enums.js';
import type { OutboundContent } from '../messages/messageTypes.js';
import { audienceSchema, type AudienceDefinition } from './announcementAudience.js';
import { expectedSeconds } from './announcementPace.js';
import {
  audienceGroups,
  cancelUnsent,
  progressCounts,
  type AudienceGroup,
  type AudienceReader,
} from './announcementSql.js';
import {
  announcementParamsSchema,
  AnnouncementRefused,
  parseAnnouncementInput,
  TEMPLATE_IDS,
} from './announcementTemplates.js';
import { renderAnnouncement, type AnnouncedPlace, type AnnouncementContent } from './announcementText.js';

export const ANNOUNCEMENT_TASKS = {
  start: 'announcement.start',
  feed: 'announcement.feed',
  progress: 'announcement.progress',
} as const;

/** Who announces: a coordinator or admin from Slack, or an admin API token (maybe bound to an association). */
export type AnnouncementActor =
  | { type: 'STAFF'; id: string; role: StaffRole; associationId: string }
  | { type: 'API'; id: string; associationId: string | null };

export type AnnouncementDeps = {
  config: Pick<
    Config,
    'TELEGRAM_RATE_GLOBAL_PER_SEC' | 'WHATSAPP_GLOBAL_PER_MINUTE' | 'ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS'
  >;
};

/**
 * The audience an actor may reach: coordinators their association's people only, admins and
 * network-wide tokens any association's or the whole network, a bound token its association's.
 */
export function allowedAudience(actor: AnnouncementActor, audience: AudienceDefinition): AudienceDefinition {
  if (actor.type === 'STAFF') {
    if (actor.role === 'VOLUNTEER') throw new AnnouncementRefused('not_allowed', 403);
    if (actor.role === 'COORDINATOR') {
      if (audience.scope === 'network' || (audience.associationId && audience.associationId !== actor.associationId))
        throw new AnnouncementRefused('not_allowed', 403);
      return { ...audience, associationId: actor.associationId };
    }
    return audience.scope === 'association'
      ? { ...audience, associationId: audience.associationId ?? actor.associationId }
      : { ...audience, associationId: undefined };
  }
  if (actor.associationId) {
    // a bound token names no other association (it reads as unknown, like everywhere in the API)
    if (audience.scope === 'network')
      throw new Forbidden('a token bound to an association announces to its people only');
    if (audience.associationId && audience.associationId !== actor.associationId) throw new NotFound('association');
    return { ...audience, associationId: actor.associationId };
  }
  if (audience.scope === 'association' && !audience.associationId) throw new AnnouncementRefused('not_allowed', 422);
  return audience.scope === 'network' ? { ...audience, associationId: undefined } : audience;
}

export interface AudiencePreview {
  /** people who will get it, by language and channel */
  reach: Array<{ language: string; channel: string; people: number }>;
  total: number;
  byLanguage: Record<string, number>;
  byChannel: Array<{ channel: string; people: number; seconds: number }>;
  optedOut: number;
  /** WhatsApp people who have not written within the window */
  outsideWindow: number;
  /** people whose language has no text: language → count */
  leftOutNoText: Record<string, number>;
}

/** Counts what an audience gives for the languages that have a text (all eight for a template). */
export function summarize(
  groups: AudienceGroup[],
  languages: readonly string[],
  deps: AnnouncementDeps,
): AudiencePreview {
  const reach = new Map<string, { language: string; channel: string; people: number }>();
  const leftOutNoText: Record<string, number> = {};
  let optedOut = 0;
  let outsideWindow = 0;
  for (const g of groups) {
    if (g.outsideWindow) outsideWindow += g.people;
    else if (g.off) optedOut += g.people;
    else if (!languages.includes(g.language)) leftOutNoText[g.language] = (leftOutNoText[g.language] ?? 0) + g.people;
    else {
      const key = `${g.language}:${g.channel}`;
      const entry = reach.get(key) ?? { language: g.language, channel: g.channel, people: 0 };
      entry.people += g.people;
      reach.set(key, entry);
    }
  }
  const rows = [...reach.values()].sort((a, b) => b.people - a.people);
  const byLanguage: Record<string, number> = {};
  const channels = new Map<string, number>();
  for (const r of rows) {
    byLanguage[r.language] = (byLanguage[r.language] ?? 0) + r.people;
    channels.set(r.channel, (channels.get(r.channel) ?? 0) + r.people);
  }
  const byChannel = [...channels].map(([channel, people]) => ({
    channel,
    people,
    seconds: expectedSeconds(deps.config, channel, people),
  }));
  return {
    reach: rows,
    total: rows.reduce((n, r) => n + r.people, 0),
    byLanguage,
    byChannel,
    optedOut,
    outsideWindow,
    leftOutNoText,
  };
}

/** Languages of the audience (what a free text needs): every language someone reachable reads, most readers first. */
export function audienceLanguages(groups: AudienceGroup[]): Array<{ language: string; people: number }> {
  const byLanguage = new Map<string, number>();
  for (const g of groups)
    if (!g.off && !g.outsideWindow) byLanguage.set(g.language, (byLanguage.get(g.language) ?? 0) + g.people);
  return [...byLanguage].map(([language, people]) => ({ language, people })).sort((a, b) => b.people - a.people);
}

export const whatsappSince = (deps: AnnouncementDeps, now: Date) =>
  new Date(now.getTime() - deps.config.ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS * 86_400_000);

/** The audience of a definition as groups of people (who is reachable, opted out, outside WhatsApp's window). */
export function drawGroups(
  tx: AudienceReader,
  deps: AnnouncementDeps,
  audience: AudienceDefinition,
  now = new Date(),
): Promise<AudienceGroup[]> {
  return audienceGroups(tx, audience, whatsappSince(deps, now), now);
}

export async function findPlace(tx: Pick<Tx, 'place'>, placeId: string | undefined): Promise<AnnouncedPlace | null> {
  if (!placeId) return null;
  const place = await tx.place.findUnique({
    where: { id: placeId },
    select: { name: true, address: true, postcode: true, city: true, active: true },
  });
  if (!place?.active) throw new AnnouncementRefused('place_unknown');
  return place;
}

/** Everything a coordinator sees before sending: the counts and the message as two languages will read it. */
export async function previewAnnouncement(
  tx: AudienceReader & Pick<Tx, 'place'>,
  i18n: I18n,
  deps: AnnouncementDeps,
  input: unknown,
  actor: AnnouncementActor,
) {
  const parsed = parseAnnouncementInput(input);
  const audience = allowedAudience(actor, parsed.audience);
  const content: AnnouncementContent = {
    template: parsed.template ?? null,
    texts: parsed.texts ?? null,
    params: parsed.params,
    place: await findPlace(tx, parsed.params.placeId),
  };
  const languages = parsed.template ? LANGUAGES : Object.keys(parsed.texts ?? {});
  const summary = summarize(await drawGroups(tx, deps, audience), languages, deps);
  const sampleLanguages = Object.keys(summary.byLanguage).slice(0, 2);
  const samples = sampleLanguages.flatMap((language) => {
    const rendered = renderAnnouncement(i18n, content, language);
    return rendered ? [{ language, text: rendered.text }] : [];
  });
  return { ...summary, samples, audience };
}

/**
 * Records an announcement (validated like every entry point: the same schema for Slack and the
 * API), audited as `announcement.created`, and schedules its start (`announcement.start`, a
 * delayed task when `sendAt` is ahead). Refused when nobody would receive it.
 */
export async function createAnnouncement(
  tx: Tx,
  deps: AnnouncementDeps,
  input: unknown,
  actor: AnnouncementActor,
  now = new Date(),
) {
  const parsed = parseAnnouncementInput(input);
  const audience = allowedAudience(actor, parsed.audience);
  await findPlace(tx, parsed.params.placeId);
  const languages = parsed.template ? LANGUAGES : Object.keys(parsed.texts ?? {});
  const summary = summarize(await drawGroups(tx, deps, audience, now), languages, deps);
  if (summary.total === 0)
    throw new AnnouncementRefused(
      Object.keys(summary.leftOutNoText).length > 0 ? 'no_text_for_audience' : 'no_recipients',
    );
  const sendAt = parsed.sendAt && parsed.sendAt > now ? parsed.sendAt : now;
  const row = await tx.announcement.create({
    data: {
      associationId: audience.associationId ?? null,
      template: parsed.template ?? null,
      ...(parsed.texts ? { texts: parsed.texts } : {}),
      params: parsed.params,
      audience,
      createdByType: actor.type,
      createdById: actor.id,
      sendAt,
    },
    select: { id: true, number: true },
  });
  // the trail keeps who, what kind and how many; never the text
  await recordAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action: 'announcement.created',
    entityType: 'Announcement',
    entityId: row.id,
    associationId: audience.associationId ?? null,
    data: {
      template: parsed.template ?? 'free_text',
      languages: Object.keys(summary.byLanguage),
      expected: summary.total,
      scheduled: sendAt > now,
    },
  });
  const jobId = await enqueueTask(
    tx,
    ANNOUNCEMENT_TASKS.start,
    { announcementId: row.id },
    sendAt > now ? sendAt : undefined,
  );
  return { id: row.id, number: row.number, sendAt, preview: summary, jobIds: [jobId] };
}

/** Where the Slack progress message is (set once it is posted). */
export async function attachSlackMessage(
  tx: Pick<Tx, 'announcement'>,
  id: string,
  channel: string,
  ts: string,
): Promise<void> {
  await tx.announcement.updateMany({ where: { id, slackTs: null }, data: { slackChannelId: channel, slackTs: ts } });
}

/**
 * Cancels an announcement: what is not yet sent is not sent (a send already under way still
 * leaves). Coordinators cancel their association's, admins any; audited as `announcement.cancelled`.
 */
export async function cancelAnnouncement(tx: Tx, id: string, actor: AnnouncementActor): Promise<{ jobIds: string[] }> {
  const row = await tx.announcement.findUnique({ where: { id }, select: { associationId: true, status: true } });
  if (!row) throw new NotFound('announcement');
  assertMayManage(actor, row.associationId);
  const changed = await tx.announcement.updateMany({
    where: { id, status: { in: ['SCHEDULED', 'SENDING'] } },
    data: { status: 'CANCELLED', cancelledAt: new Date() },
  });
  if (changed.count === 0) throw new AnnouncementRefused('not_cancellable', 409);
  await cancelUnsent(tx, id);
  await recordAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action: 'announcement.cancelled',
    entityType: 'Announcement',
    entityId: id,
    associationId: row.associationId,
    data: { was: row.status },
  });
  return { jobIds: [await enqueueTask(tx, ANNOUNCEMENT_TASKS.progress, { announcementId: id })] };
}

/** Coordinators (their association's announcements), admins and tokens (bound ones: their association's). */
export function assertMayManage(actor: AnnouncementActor, associationId: string | null): void {
  if (actor.type === 'STAFF') {
    if (actor.role === 'ADMIN') return;
    if (actor.role === 'COORDINATOR' && associationId === actor.associationId) return;
    throw new AnnouncementRefused('not_allowed', 403);
  }
  if (actor.associationId && actor.associationId !== associationId) throw new NotFound('announcement');
}

const storedTextsSchema = z.record(z.string()).nullable();

/** An announcement with its exact progress counts. */
export async function readAnnouncement(db: Db | Tx, id: string) {
  const row = await db.announcement.findUnique({ where: { id } });
  if (!row) return null;
  const counts = await progressCounts(db, id);
  const leftOutNoText = z.record(z.number()).parse(row.leftOutNoText);
  const leftOutByText = Object.values(leftOutNoText).reduce((n, v) => n + v, 0);
  return {
    id: row.id,
    number: row.number,
    associationId: row.associationId,
    status: row.status,
    template: row.template === null ? null : z.enum(TEMPLATE_IDS).parse(row.template),
    texts: storedTextsSchema.parse(row.texts ?? null),
    params: announcementParamsSchema.parse(row.params),
    audience: audienceSchema.parse(row.audience),
    createdByType: row.createdByType,
    createdById: row.createdById,
    sendAt: row.sendAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    cancelledAt: row.cancelledAt,
    slack: row.slackChannelId && row.slackTs ? { channel: row.slackChannelId, ts: row.slackTs } : null,
    counts: {
      recipients: row.recipientCount,
      queued: counts.waiting + counts.pending,
      sent: counts.sent,
      failed: counts.failed,
      cancelled: counts.cancelled,
      optedOut: counts.optedOut,
      leftOut: leftOutByText + row.leftOutWhatsApp + counts.skipped,
      leftOutNoText,
      leftOutWhatsApp: row.leftOutWhatsApp,
      unreachable: counts.skipped,
    },
  };
}
export type AnnouncementView = NonNullable<Awaited<ReturnType<typeof readAnnouncement>>>;

/** The announcement's text in every language it has one (what the feeder writes to the outbox). */
export function renderAll(i18n: I18n, content: AnnouncementContent): Record<string, OutboundContent> {
  const out: Record<string, OutboundContent> = {};
  for (const language of LANGUAGES) {
    const rendered = renderAnnouncement(i18n, content, language);
    if (rendered) out[language] = rendered;
  }
  return out;
}

/** Who wrote an announcement, as Slack needs it (their Slack id and staff language), or null. */
export async function announcementAuthor(
  db: Db | Tx,
  view: { createdByType: string; createdById: string | null },
): Promise<{ slackUserId: string | null; language: string } | null> {
  if (view.createdByType !== 'STAFF' || !view.createdById) return null;
  return db.staffMember.findUnique({ where: { id: view.createdById }, select: { slackUserId: true, language: true } });
}

/**
 * The places an announcement may name: the active ones of the association and the
 * network-wide ones, or every active one (`associationId: null`, admins); by name, at most
 * `take` (100, what a Slack menu shows), those whose name or town contains `search` if given.
 */
export function announceablePlaces(
  db: Db | Tx,
  associationId: string | null,
  options: { search?: string; take?: number } = {},
): Promise<Array<{ id: string; name: string; city: string | null }>> {
  const search = options.search?.trim();
  return db.place.findMany({
    where: {
      active: true,
      AND: [
        associationId ? { OR: [{ associationId }, { associationId: null }] } : {},
        search
          ? {
              OR: [
                { name: { contains: search, mode: 'insensitive' } },
                { city: { contains: search, mode: 'insensitive' } },
              ],
            }
          : {},
      ],
    },
    select: { id: true, name: true, city: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: options.take ?? PLACE_MENU_MAX,
  });
}

/** the most options a Slack select shows */
export const PLACE_MENU_MAX = 100;
