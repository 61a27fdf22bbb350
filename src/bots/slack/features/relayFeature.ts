import type { App } from '@slack/bolt';
import { z } from 'zod';
import { NotFound } from '../../../core/errors.js';
import { alreadyProcessed, claimOnce, claimOnceNow } from '../../../core/idempotency/claimOnce.js';
import { personMessageContent } from '../../../core/contacts/personMessage.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { requestHeader, requestOfCard } from '../../../core/requests/requestQueries.js';
import { sendStaffReply } from '../../../core/requests/staffReply.js';
import { assertCanActOnRequest, canActOnRequest, findStaffBySlackId } from '../../../core/staff/staffAccess.js';
import { channelLanguage } from '../../../core/staff/channelLanguage.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { relayedMessage } from '../blocks/relayedMessage.js';
import { REQUEST_ACTIONS } from '../blocks/requestCard.js';
import { asTaskError } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { renderRichText } from '../../../core/messages/richText.js';
import { parseMrkdwn } from '../slackMrkdwn.js';
import { tellUser, unknownUserText } from '../staffGate.js';
import { registerContactReveal } from './contactRevealFeature.js';
import { onRequestButton } from './requestButtons.js';

/** Task emitted when a person writes about a request (flows): their words go to the card's thread. */
export const REQUEST_MESSAGE_TASK = 'request.message';
/** Telegram takes 4096 characters; keep room for the header */
const MAX_REPLY = 3500;

const threadMessage = z.object({
  type: z.literal('message'),
  channel: z.string(),
  user: z.string(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string(),
  // plain messages have no subtype; a message with a file may say file_share
  subtype: z.literal('file_share').optional(),
  bot_id: z.undefined(),
  files: z.array(z.unknown()).optional(),
});
const eventEnvelope = z.object({ event_id: z.string().min(1) });
const requestMessageTask = z.object({ requestId: z.string().uuid(), messageId: z.string().uuid() });

/** What a volunteer wrote in a card's thread goes to the person, once, through their outbox. */
async function relayToPerson(
  deps: SlackDeps,
  client: SlackClient,
  eventId: string,
  message: z.infer<typeof threadMessage>,
): Promise<void> {
  if (message.thread_ts === message.ts) return;
  const request = await requestOfCard(deps.db, message.channel, message.thread_ts);
  if (!request) return;
  const staff = await findStaffBySlackId(deps.db, message.user);
  if (!staff) {
    await ephemeralInThread(client, message, unknownUserText(deps));
    return;
  }
  const say = sayIn(deps, staff.language);
  if (!canActOnRequest(staff, request)) {
    await ephemeralInThread(client, message, say('slack:errors.RELAIS_FORBIDDEN'));
    return;
  }
  // the person reads it in their channel's own formatting (WhatsApp's markup, plain text elsewhere)
  const formatted = parseMrkdwn(message.text);
  const plain = renderRichText(formatted, 'plain');
  if (message.files?.length) await ephemeralInThread(client, message, say('slack:relay.text_only'));
  if (!plain) return;
  const fits = plain.length <= MAX_REPLY;
  const text = fits ? plain : `${plain.slice(0, MAX_REPLY - 1)}…`;
  const outcome = await runStaffAction(deps, async (tx) => {
    // Slack re-delivers an event it thinks we missed (X-Slack-Retry-Num): the event id makes it a no-op
    if (!(await claimOnce(tx, `slack:event:${eventId}`))) return { state: 'duplicate' as const };
    const queued = await sendStaffReply(tx, deps.i18n, {
      requestId: request.id,
      staffId: staff.id,
      text,
      ...(fits ? { formatted } : {}),
    });
    return queued ? { state: 'queued' as const, messages: [queued] } : { state: 'unreachable' as const };
  });
  if (outcome.state === 'unreachable') await ephemeralInThread(client, message, say('slack:relay.unreachable'));
  if (outcome.state === 'queued')
    await client.reactions
      .add({ channel: message.channel, timestamp: message.ts, name: 'outbox_tray' })
      .catch(() => undefined);
}

async function ephemeralInThread(
  client: SlackClient,
  message: { channel: string; user: string; thread_ts: string },
  text: string,
) {
  await client.chat
    .postEphemeral({ channel: message.channel, user: message.user, thread_ts: message.thread_ts, text })
    .catch(() => undefined);
}

const CARD_WAIT_MS = 10 * 60_000;

/** Transient: the request's card is not in Slack yet. */
class CardNotPostedYet extends Error {
  override readonly name = 'CardNotPostedYet';
}

/**
 * A person's message about a request, posted in the card's thread as "👤 P-1042: …" with its
 * phone numbers and e-mail addresses masked (relayedMessage). At least once; never twice in a row.
 */
async function relayToThread(
  deps: SlackDeps,
  client: SlackClient,
  data: z.infer<typeof requestMessageTask>,
): Promise<string> {
  const key = `slack:relay-in:${data.messageId}`;
  if (await alreadyProcessed(deps.db, key)) return 'already posted';
  const [request, content] = await Promise.all([
    requestHeader(deps.db, data.requestId),
    personMessageContent(deps.db, data.messageId),
  ]);
  if (!request) return 'no request';
  if (!request.slackChannelId || !request.slackTs) {
    // the person's first words can arrive before `request.created` has posted the card (tasks
    // run in parallel): retry with the queue's backoff while the card may still come
    if (Date.now() - request.createdAt.getTime() < CARD_WAIT_MS) throw new CardNotPostedYet();
    return 'no card';
  }
  if (!content) return 'no content';
  const say = sayIn(deps, await channelLanguage(deps.db, request.associationId, deps.config.SLACK_LANGUAGE));
  const post =
    content.kind === 'text'
      ? relayedMessage({ reference: request.reference, text: content.text, messageId: data.messageId }, say)
      : { text: `👤 ${request.reference}: ${say(`slack:relay.person_sent_${content.kind}`)}` };
  await client.chat.postMessage({
    channel: request.slackChannelId,
    thread_ts: request.slackTs,
    ...post,
    unfurl_links: false,
    unfurl_media: false,
  });
  await claimOnceNow(deps.db, key);
  return 'posted';
}

/**
 * The relay between a person and volunteers: "Reply" opens the card's thread, messages in
 * the thread reach the person, the person's answers come back into it. Staff never see a
 * phone number or platform id, only the request reference; a number or address the person
 * typed is masked, and "Show" reveals it to one volunteer (contactRevealFeature).
 */
export function registerRelay(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.reply, async ({ staff, requestId, client, audience }) => {
    const request = await requestHeader(deps.db, requestId);
    if (!request) throw new NotFound('request');
    assertCanActOnRequest(staff, request);
    const say = sayIn(deps, staff.language);
    if (!request.slackChannelId || !request.slackTs) return tellUser(client, audience, say('slack:relay.no_card'));
    const first = await claimOnceNow(deps.db, `slack:thread:${request.id}`);
    if (first) {
      const channelSay = sayIn(deps, await channelLanguage(deps.db, request.associationId, deps.config.SLACK_LANGUAGE));
      await client.chat.postMessage({
        channel: request.slackChannelId,
        thread_ts: request.slackTs,
        text: channelSay('slack:relay.thread_intro', { reference: request.reference }),
      });
    }
    return tellUser(client, audience, say('slack:relay.write_in_thread', { reference: request.reference }));
  });

  app.event('message', async ({ event, body, client }) => {
    const message = threadMessage.safeParse(event);
    const envelope = eventEnvelope.safeParse(body);
    if (!message.success || !envelope.success) return;
    await relayToPerson(deps, client, envelope.data.event_id, message.data);
  });

  registerContactReveal(app, deps);
}

/** The relay's background task: a person's message posted into their request's thread. */
export function relayTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  return {
    [REQUEST_MESSAGE_TASK]: (data) =>
      relayToThread(deps, client, requestMessageTask.parse(data)).catch((error: unknown) =>
        Promise.reject(asTaskError(error)),
      ),
  };
}
