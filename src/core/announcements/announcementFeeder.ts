import { z } from 'zod';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { I18n } from '../i18n/i18n.js';
import { LANGUAGES } from '../i18n/i18n.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import type { DispatchableMessage, OutboxDispatcher } from '../outbound/outboxDispatcher.js';
import { audienceSchema } from './announcementAudience.js';
import { feedWindow } from './announcementPace.js';
import {
  drawRecipients,
  lockForRound,
  pendingOnChannel,
  undispatchedOfAnnouncement,
  waitingChannels,
  writeNextMessages,
} from './announcementSql.js';
import {
  ANNOUNCEMENT_TASKS,
  drawGroups,
  findPlace,
  renderAll,
  summarize,
  type AnnouncementDeps,
} from './announcementService.js';
import { announcementParamsSchema, TEMPLATE_IDS } from './announcementTemplates.js';

export interface FeederDeps extends AnnouncementDeps {
  db: Db;
  i18n: I18n;
  config: AnnouncementDeps['config'] & Pick<Config, 'ANNOUNCEMENT_FEED_INTERVAL_MS'>;
  dispatcher: Pick<OutboxDispatcher, 'dispatchMessages' | 'dispatchJobs'>;
}

/**
 * a message handed over this long ago and still pending is handed over again (Redis may have lost it; the job id
 * dedupes)
 */
const STALE_MS = 60_000;
/** the Slack progress message is refreshed every this many rounds (Slack allows ~50 updates a minute) */
const PROGRESS_EVERY = 5;

const feedDataSchema = z.object({ announcementId: z.string().uuid(), round: z.number().int().min(1) });
const startDataSchema = z.object({ announcementId: z.string().uuid() });

async function afterCommit(
  deps: FeederDeps,
  result: { messages: DispatchableMessage[]; jobIds: string[] },
): Promise<void> {
  if (result.messages.length > 0) await deps.dispatcher.dispatchMessages(result.messages, { premarked: true });
  if (result.jobIds.length > 0) await deps.dispatcher.dispatchJobs(result.jobIds).catch(() => 0);
}

/**
 * `announcement.start`, at its time: draws the audience as it is now (recipients written in
 * Postgres, left-out people counted), then starts the feeder. Runs once: the SCHEDULED →
 * SENDING update is conditional, so a re-run task or a cancelled announcement does nothing.
 */
export async function startAnnouncement(deps: FeederDeps, data: unknown): Promise<string> {
  const { announcementId } = startDataSchema.parse(data);
  const now = new Date();
  const result = await deps.db.$transaction(
    async (tx) => {
      const started = await tx.announcement.updateMany({
        where: { id: announcementId, status: 'SCHEDULED' },
        data: { status: 'SENDING', startedAt: now, feedRound: 1 },
      });
      if (started.count === 0) return null;
      const row = await tx.announcement.findUniqueOrThrow({
        where: { id: announcementId },
        select: { audience: true, template: true, texts: true },
      });
      const audience = audienceSchema.parse(row.audience);
      const languages = row.template ? [...LANGUAGES] : Object.keys(z.record(z.string()).parse(row.texts ?? {}));
      const summary = summarize(await drawGroups(tx, deps, audience, now), languages, deps);
      const waiting = await drawRecipients(tx, {
        announcementId,
        audience,
        languages,
        whatsappSince: new Date(now.getTime() - deps.config.ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS * 86_400_000),
        now,
      });
      await tx.announcement.update({
        where: { id: announcementId },
        data: {
          recipientCount: waiting,
          leftOutNoText: summary.leftOutNoText,
          leftOutWhatsApp: summary.outsideWindow,
          optedOutCount: summary.optedOut,
        },
      });
      const jobIds = [
        await enqueueTask(tx, ANNOUNCEMENT_TASKS.feed, { announcementId, round: 1 }),
        await enqueueTask(tx, ANNOUNCEMENT_TASKS.progress, { announcementId }),
      ];
      return { messages: [], jobIds, waiting };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (!result) return 'not scheduled any more';
  await afterCommit(deps, result);
  return `${result.waiting} recipients`;
}

/**
 * `announcement.feed`, every ANNOUNCEMENT_FEED_INTERVAL_MS while an announcement is sending:
 * tops up each channel's outbox to about five seconds of sending (feedWindow), in each
 * person's language, and hands those messages to the channel's announcement lane; hands over
 * again what Redis may have lost; then schedules the next round, or records DONE when nothing
 * is waiting or pending. Only the task of the current round goes on (`feedRound`, under a row
 * lock), so a task BullMQ runs twice (a worker killed) does not start a second chain.
 */
export async function feedAnnouncement(deps: FeederDeps, data: unknown): Promise<string> {
  const { announcementId, round } = feedDataSchema.parse(data);
  const result = await deps.db.$transaction(
    async (tx) => {
      const row = await lockForRound(tx, announcementId);
      if (!row || row.feedRound !== round) return { messages: [], jobIds: [], outcome: 'superseded' };
      if (row.status !== 'SENDING') return { messages: [], jobIds: [], outcome: row.status.toLowerCase() };
      const params = announcementParamsSchema.parse(row.params);
      const template = row.template === null ? null : z.enum(TEMPLATE_IDS).parse(row.template);
      const texts = z
        .record(z.string())
        .nullable()
        .parse(row.texts ?? null);
      // a place deactivated since: the announcement still names it as it was announced
      const place = await findPlace(tx, params.placeId).catch(() => null);
      const rendered = renderAll(deps.i18n, { template, texts, params, place });
      const messages: DispatchableMessage[] = [];
      for (const channel of await waitingChannels(tx, announcementId)) {
        const room = feedWindow(deps.config, channel) - (await pendingOnChannel(tx, announcementId, channel));
        if (room <= 0) continue;
        const written = await writeNextMessages(tx, { announcementId, channel, limit: room, texts: rendered });
        messages.push(...written.map((m) => ({ ...m, announcementId })));
      }
      const fresh = new Set(messages.map((m) => m.id));
      const again = (await undispatchedOfAnnouncement(tx, announcementId, STALE_MS)).filter((m) => !fresh.has(m.id));
      messages.push(...again.map((m) => ({ ...m, announcementId })));
      const stillWaiting = (await waitingChannels(tx, announcementId)).length > 0;
      const pending = await tx.message.count({ where: { announcementId, status: 'PENDING' } });
      if (!stillWaiting && pending === 0) {
        await tx.announcement.update({
          where: { id: announcementId },
          data: { status: 'DONE', finishedAt: new Date() },
        });
        return {
          messages,
          jobIds: [await enqueueTask(tx, ANNOUNCEMENT_TASKS.progress, { announcementId })],
          outcome: 'done',
        };
      }
      await tx.announcement.update({ where: { id: announcementId }, data: { feedRound: round + 1 } });
      const next = new Date(Date.now() + deps.config.ANNOUNCEMENT_FEED_INTERVAL_MS);
      const jobIds = [await enqueueTask(tx, ANNOUNCEMENT_TASKS.feed, { announcementId, round: round + 1 }, next)];
      if (round % PROGRESS_EVERY === 0)
        jobIds.push(await enqueueTask(tx, ANNOUNCEMENT_TASKS.progress, { announcementId }));
      return { messages, jobIds, outcome: `${messages.length} handed over` };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  await afterCommit(deps, result);
  return result.outcome;
}
