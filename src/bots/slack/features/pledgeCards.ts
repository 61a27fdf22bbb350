import { z } from 'zod';
import type { Db } from '../../../core/db.js';
import { needsLines, suggestAssociation, type NeededDeviceKind } from '../../../core/needs/needsCensus.js';
import { PLEDGE_TASKS } from '../../../core/pledges/pledgeService.js';
import { pledgeView, type PledgeView } from '../../../core/pledges/pledgeView.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { pledgeCard, type PledgeSuggestion } from '../blocks/pledgeCard.js';
import { asTaskError, slackErrorCode } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';

const pledgeTaskSchema = z.object({ pledgeId: z.string().uuid() });
const DEVICE_OF_ITEM = { smartphone: 'SMARTPHONE', laptop: 'LAPTOP', tablet: 'TABLET' } as const;

/**
 * The device kind a pledge is mostly about: its most numerous phone/laptop/tablet item
 * ("other" has no census line); a sponsorship pays for a phone.
 */
export function mainDeviceKind(p: Pick<PledgeView, 'kind' | 'items'>): NeededDeviceKind | null {
  if (p.kind === 'SPONSORSHIP') return 'SMARTPHONE';
  let best: { kind: NeededDeviceKind; quantity: number } | null = null;
  for (const item of p.items) {
    if (item.kind === 'other') continue;
    if (!best || item.quantity > best.quantity) best = { kind: DEVICE_OF_ITEM[item.kind], quantity: item.quantity };
  }
  return best?.kind ?? null;
}

/** Where to route a pledge: the association with the largest unmet need this month for its main kind. */
export async function pledgeSuggestion(db: Db, p: Pick<PledgeView, 'kind' | 'items'>): Promise<PledgeSuggestion | null> {
  const kind = mainDeviceKind(p);
  if (!kind) return null;
  const best = suggestAssociation(await needsLines(db), kind);
  return best ? { associationName: best.associationName, kind, unmet: best.unmet } : null;
}

async function render(deps: SlackDeps, view: PledgeView) {
  return pledgeCard(view, sayIn(deps, deps.config.SLACK_LANGUAGE), await pledgeSuggestion(deps.db, view));
}

/**
 * Posts a pledge's card to SLACK_PLEDGES_CHANNEL (else triage) and remembers where. Safe to
 * run twice, like request cards: the position is saved only if none was, a duplicate post
 * is deleted, and a change made while posting is rendered right after.
 */
export async function publishPledgeCard(deps: SlackDeps, client: SlackClient, pledgeId: string): Promise<string> {
  const view = await pledgeView(deps.db, pledgeId);
  if (!view) return 'pledge gone';
  if (view.slackChannelId && view.slackTs) return refreshPledgeCard(deps, client, pledgeId);
  const channel = deps.config.SLACK_PLEDGES_CHANNEL ?? deps.config.SLACK_TRIAGE_CHANNEL ?? null;
  if (!channel) return 'no pledges channel';
  const card = await render(deps, view);
  const posted = await client.chat.postMessage({ channel, text: card.text, blocks: card.blocks, unfurl_links: false, unfurl_media: false });
  if (!posted.ts || !posted.channel) return 'slack gave no message position';
  // raw update: Prisma's @updatedAt would otherwise hide whether the pledge changed meanwhile
  const saved = await deps.db.$executeRaw`UPDATE "Pledge" SET "slackChannelId" = ${posted.channel}, "slackTs" = ${posted.ts} WHERE id = ${pledgeId}::uuid AND "slackTs" IS NULL`;
  if (saved === 0) {
    await client.chat.delete({ channel: posted.channel, ts: posted.ts }).catch(() => undefined);
    return 'already posted';
  }
  const latest = await deps.db.pledge.findUnique({ where: { id: pledgeId }, select: { updatedAt: true } });
  if (latest && latest.updatedAt.getTime() !== view.updatedAt.getTime()) await refreshPledgeCard(deps, client, pledgeId);
  return 'posted';
}

/** Re-renders a pledge's card in place; posts it again if it was deleted from Slack. */
export async function refreshPledgeCard(deps: SlackDeps, client: SlackClient, pledgeId: string): Promise<string> {
  const view = await pledgeView(deps.db, pledgeId);
  if (!view) return 'pledge gone';
  if (!view.slackChannelId || !view.slackTs) return publishPledgeCard(deps, client, pledgeId);
  const card = await render(deps, view);
  try {
    await client.chat.update({ channel: view.slackChannelId, ts: view.slackTs, text: card.text, blocks: card.blocks });
    return 'updated';
  } catch (error) {
    if (slackErrorCode(error) !== 'message_not_found') throw error;
    await deps.db.pledge.updateMany({ where: { id: pledgeId, slackTs: view.slackTs }, data: { slackChannelId: null, slackTs: null } });
    return publishPledgeCard(deps, client, pledgeId);
  }
}

/** Tasks that keep pledge cards in Slack in step with the database. */
export function pledgeCardTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  const guarded = (run: () => Promise<string>) => run().catch((error: unknown) => Promise.reject(asTaskError(error)));
  return {
    [PLEDGE_TASKS.created]: (data) => guarded(() => publishPledgeCard(deps, client, pledgeTaskSchema.parse(data).pledgeId)),
    [PLEDGE_TASKS.changed]: (data) => guarded(() => refreshPledgeCard(deps, client, pledgeTaskSchema.parse(data).pledgeId)),
  };
}
