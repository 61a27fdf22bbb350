import { z } from 'zod';
import type { Db } from '../../../core/db.js';
import { needsLines, suggestAssociation, type NeededDeviceKind } from '../../../core/needs/needsCensus.js';
import { PLEDGE_TASKS } from '../../../core/pledges/pledgeService.js';
import { pledgeView, type PledgeView } from '../../../core/pledges/pledgeView.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { pledgeCard, type PledgeSuggestion } from '../blocks/pledgeCard.js';
import { asTaskError } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { cardPublisher, type CardPublisher } from './cardPublisher.js';

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
export async function pledgeSuggestion(
  db: Db,
  p: Pick<PledgeView, 'kind' | 'items'>,
): Promise<PledgeSuggestion | null> {
  const kind = mainDeviceKind(p);
  if (!kind) return null;
  const best = suggestAssociation(await needsLines(db), kind);
  return best ? { associationName: best.associationName, kind, unmet: best.unmet } : null;
}

/**
 * Pledge cards: in SLACK_PLEDGES_CHANNEL (else triage), in SLACK_LANGUAGE, with the association to route the gift to.
 */
export function pledgeCards(deps: SlackDeps, client: SlackClient): CardPublisher {
  return cardPublisher<PledgeView>(deps.db, client, {
    table: 'Pledge',
    load: (id) => pledgeView(deps.db, id),
    channelFor: async () => deps.config.SLACK_PLEDGES_CHANNEL ?? deps.config.SLACK_TRIAGE_CHANNEL ?? null,
    render: async (view) =>
      pledgeCard(view, sayIn(deps, deps.config.SLACK_LANGUAGE), await pledgeSuggestion(deps.db, view)),
  });
}

/** Tasks that keep pledge cards in Slack in step with the database. */
export function pledgeCardTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  const guarded = (run: () => Promise<string>) => run().catch((error: unknown) => Promise.reject(asTaskError(error)));
  const cards = pledgeCards(deps, client);
  return {
    [PLEDGE_TASKS.created]: (data) => guarded(() => cards.publish(pledgeTaskSchema.parse(data).pledgeId)),
    [PLEDGE_TASKS.changed]: (data) => guarded(() => cards.refresh(pledgeTaskSchema.parse(data).pledgeId)),
  };
}
