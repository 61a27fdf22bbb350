import { z } from 'zod';
import type { Db } from '../../../core/db.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { requestView, type RequestView } from '../../../core/requests/requestQueries.js';
import { REQUEST_TRANSFERRED_TASK } from '../../../core/requests/staffRequestActions.js';
import { REQUEST_TASKS } from '../../../core/requests/requestService.js';
import { context, section } from '../blocks/kit.js';
import { requestCard, requestTitle } from '../blocks/requestCard.js';
import { asTaskError, slackErrorCode } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { escapeMrkdwn } from '../slackText.js';

const requestTaskSchema = z.object({ requestId: z.string().uuid() });
const transferredSchema = requestTaskSchema.extend({ fromChannel: z.string().nullable(), fromTs: z.string().nullable() });

/**
 * Language of a channel's cards: the most common language of the association's active
 * staff, else SLACK_LANGUAGE (triage and alerts channels are shared by everyone).
 */
export async function channelLanguage(db: Db, associationId: string | null, fallback: string): Promise<string> {
  if (!associationId) return fallback;
  const groups = await db.staffMember.groupBy({ by: ['language'], where: { associationId, active: true }, _count: { _all: true } });
  const best = groups.sort((a, b) => b._count._all - a._count._all || (a.language === fallback ? -1 : 1))[0];
  return best?.language ?? fallback;
}

async function cardChannel(deps: SlackDeps, associationId: string | null): Promise<string | null> {
  if (associationId) {
    const association = await deps.db.association.findUnique({ where: { id: associationId }, select: { slackChannelId: true } });
    if (association?.slackChannelId) return association.slackChannelId;
  }
  return deps.config.SLACK_TRIAGE_CHANNEL ?? null;
}

async function renderFor(deps: SlackDeps, view: RequestView) {
  return requestCard(view, sayIn(deps, await channelLanguage(deps.db, view.associationId, deps.config.SLACK_LANGUAGE)));
}

/**
 * Posts the card of a request to its association's channel (or triage) and remembers where.
 * Safe to run twice: the position is saved only if none was, a duplicate post is deleted,
 * and a change that happened while posting is rendered right after.
 */
export async function publishRequestCard(deps: SlackDeps, client: SlackClient, requestId: string): Promise<string> {
  const view = await requestView(deps.db, requestId);
  if (!view) return 'request gone';
  if (view.slackChannelId && view.slackTs) return refreshRequestCard(deps, client, requestId);
  const channel = await cardChannel(deps, view.associationId);
  if (!channel) return 'no channel for this association';
  const card = await renderFor(deps, view);
  const posted = await client.chat.postMessage({ channel, text: card.text, blocks: card.blocks, unfurl_links: false, unfurl_media: false });
  if (!posted.ts || !posted.channel) return 'slack gave no message position';
  // raw update: Prisma's @updatedAt would otherwise hide whether the request changed meanwhile
  const saved = await deps.db.$executeRaw`UPDATE "Request" SET "slackChannelId" = ${posted.channel}, "slackTs" = ${posted.ts} WHERE id = ${requestId}::uuid AND "slackTs" IS NULL`;
  if (saved === 0) {
    await client.chat.delete({ channel: posted.channel, ts: posted.ts }).catch(() => undefined);
    return 'already posted';
  }
  const latest = await deps.db.request.findUnique({ where: { id: requestId }, select: { updatedAt: true } });
  if (latest && latest.updatedAt.getTime() !== view.updatedAt.getTime()) await refreshRequestCard(deps, client, requestId);
  return 'posted';
}

/** Re-renders a request's card in place (chat.update); posts it if it has none yet or was deleted. */
export async function refreshRequestCard(deps: SlackDeps, client: SlackClient, requestId: string): Promise<string> {
  const view = await requestView(deps.db, requestId);
  if (!view) return 'request gone';
  if (!view.slackChannelId || !view.slackTs) return 'no card yet';
  const card = await renderFor(deps, view);
  try {
    await client.chat.update({ channel: view.slackChannelId, ts: view.slackTs, text: card.text, blocks: card.blocks });
    return 'updated';
  } catch (error) {
    if (slackErrorCode(error) !== 'message_not_found') throw error;
    await deps.db.request.updateMany({ where: { id: requestId, slackTs: view.slackTs }, data: { slackChannelId: null, slackTs: null } });
    return publishRequestCard(deps, client, requestId);
  }
}

/** After a transfer: the old card says where the request went (no details left), the new channel gets a card. */
async function moveRequestCard(deps: SlackDeps, client: SlackClient, data: z.infer<typeof transferredSchema>): Promise<string> {
  const view = await requestView(deps.db, data.requestId);
  if (!view) return 'request gone';
  if (data.fromChannel && data.fromTs) {
    const say = sayIn(deps, deps.config.SLACK_LANGUAGE);
    const text = say('slack:card.transferred', { title: requestTitle(view, say), association: view.associationName === null ? say('slack:card.triage') : escapeMrkdwn(view.associationName) });
    await client.chat.update({ channel: data.fromChannel, ts: data.fromTs, text, blocks: [section(text), context(say('slack:card.footer', { reference: view.reference }))] }).catch(() => undefined);
  }
  return publishRequestCard(deps, client, data.requestId);
}

/** Tasks that keep request cards in Slack in step with the database. */
export function requestCardTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  const guarded = (run: () => Promise<string>) => run().catch((error: unknown) => Promise.reject(asTaskError(error)));
  return {
    [REQUEST_TASKS.created]: (data) => guarded(() => publishRequestCard(deps, client, requestTaskSchema.parse(data).requestId)),
    [REQUEST_TASKS.changed]: (data) => guarded(() => refreshRequestCard(deps, client, requestTaskSchema.parse(data).requestId)),
    [REQUEST_TRANSFERRED_TASK]: (data) => guarded(() => moveRequestCard(deps, client, transferredSchema.parse(data))),
  };
}
