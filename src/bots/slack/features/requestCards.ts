import { z } from 'zod';
import { associationChannel } from '../../../core/associations/associationQueries.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { requestView, type RequestView } from '../../../core/requests/requestQueries.js';
import { REQUEST_TRANSFERRED_TASK } from '../../../core/requests/staffRequestActions.js';
import { REQUEST_TASKS } from '../../../core/requests/requestService.js';
import { channelLanguage } from '../../../core/staff/channelLanguage.js';
import { context, section } from '../blocks/kit.js';
import { requestCard, requestTitle } from '../blocks/requestCard.js';
import { asTaskError } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { escapeMrkdwn } from '../slackText.js';
import { cardPublisher, type CardPublisher } from './cardPublisher.js';

const requestTaskSchema = z.object({ requestId: z.string().uuid() });
const transferredSchema = requestTaskSchema.extend({
  fromChannel: z.string().nullable(),
  fromTs: z.string().nullable(),
});

/** Request cards: in the association's channel (else triage), in the language most of its staff read. */
export function requestCards(deps: SlackDeps, client: SlackClient): CardPublisher {
  return cardPublisher<RequestView>(deps.db, client, {
    table: 'Request',
    load: (id) => requestView(deps.db, id),
    channelFor: async (view) =>
      (view.associationId ? await associationChannel(deps.db, view.associationId) : null) ??
      deps.config.SLACK_TRIAGE_CHANNEL ??
      null,
    render: async (view) =>
      requestCard(view, sayIn(deps, await channelLanguage(deps.db, view.associationId, deps.config.SLACK_LANGUAGE))),
  });
}

/** Posts the card of a request to its association's channel (or triage) and remembers where (see cardPublisher). */
export function publishRequestCard(deps: SlackDeps, client: SlackClient, requestId: string): Promise<string> {
  return requestCards(deps, client).publish(requestId);
}

/** Re-renders a request's card in place (chat.update); posts it if it has none yet or was deleted. */
export function refreshRequestCard(deps: SlackDeps, client: SlackClient, requestId: string): Promise<string> {
  return requestCards(deps, client).refresh(requestId);
}

/** After a transfer: the old card says where the request went (no details left), the new channel gets a card. */
async function moveRequestCard(
  deps: SlackDeps,
  client: SlackClient,
  data: z.infer<typeof transferredSchema>,
): Promise<string> {
  const view = await requestView(deps.db, data.requestId);
  if (!view) return 'gone';
  if (data.fromChannel && data.fromTs) {
    const say = sayIn(deps, deps.config.SLACK_LANGUAGE);
    const text = say('slack:card.transferred', {
      title: requestTitle(view, say),
      association: view.associationName === null ? say('slack:card.triage') : escapeMrkdwn(view.associationName),
    });
    await client.chat
      .update({
        channel: data.fromChannel,
        ts: data.fromTs,
        text,
        blocks: [section(text), context(say('slack:card.footer', { reference: view.reference }))],
      })
      .catch(() => undefined);
  }
  return publishRequestCard(deps, client, data.requestId);
}

/** Tasks that keep request cards in Slack in step with the database. */
export function requestCardTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  const guarded = (run: () => Promise<string>) => run().catch((error: unknown) => Promise.reject(asTaskError(error)));
  const cards = requestCards(deps, client);
  return {
    [REQUEST_TASKS.created]: (data) => guarded(() => cards.publish(requestTaskSchema.parse(data).requestId)),
    [REQUEST_TASKS.changed]: (data) => guarded(() => cards.refresh(requestTaskSchema.parse(data).requestId)),
    [REQUEST_TRANSFERRED_TASK]: (data) => guarded(() => moveRequestCard(deps, client, transferredSchema.parse(data))),
  };
}
