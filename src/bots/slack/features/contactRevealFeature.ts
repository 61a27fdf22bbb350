import type { App } from '@slack/bolt';
import { recordAudit } from '../../../core/audit/auditTrail.js';
import { NotFound } from '../../../core/errors.js';
import { splitContactDetails } from '../../../core/messages/contactDetailsInText.js';
import { inboundContentSchema } from '../../../core/messages/messageTypes.js';
import { assertCanActOnRequest } from '../../../core/staff/staffAccess.js';
import { RELAY_ACTIONS } from '../blocks/relayedMessage.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { escapeMrkdwn } from '../slackText.js';
import { tellUser } from '../staffGate.js';
import { onRequestButton, type ButtonContext } from './requestButtons.js';

/**
 * "Show" on a relayed message whose phone numbers or e-mail addresses were masked: the text is
 * read again from the stored inbound Message (never from Slack), for a staff member who may act
 * on its request, audited as `message.contact_revealed` (how many numbers and addresses, never
 * which), then shown to them alone (chat.postEphemeral in the card's thread). Once the content
 * was purged (MESSAGE_RETENTION_DAYS) there is nothing left to show, and they are told so.
 */
async function reveal(deps: SlackDeps, { staff, requestId: messageId, client, audience }: ButtonContext) {
  const say = sayIn(deps, staff.language);
  const message = await deps.db.message.findUnique({
    where: { id: messageId },
    select: {
      id: true,
      direction: true,
      content: true,
      request: { select: { id: true, reference: true, associationId: true, slackChannelId: true, slackTs: true } },
    },
  });
  if (!message || message.direction !== 'INBOUND' || !message.request) throw new NotFound('message');
  const request = message.request;
  assertCanActOnRequest(staff, request);
  // shown as an ephemeral message, never as a DM: a DM would keep the number in Slack's history
  const channel = audience.channelId;
  if (!channel) throw new NotFound('channel');
  if (message.content === null) {
    return tellUser(client, audience, say('slack:relay.reveal_purged', { count: deps.config.MESSAGE_RETENTION_DAYS }));
  }
  const content = inboundContentSchema.safeParse(message.content);
  if (!content.success || content.data.kind !== 'text') throw new NotFound('message');
  const pieces = splitContactDetails(content.data.text);
  const count = (kind: 'phone' | 'email') => pieces.filter((p) => p.kind === kind).length;
  await deps.db.$transaction((tx) =>
    recordAudit(tx, {
      actorType: 'STAFF',
      actorId: staff.id,
      action: 'message.contact_revealed',
      entityType: 'Message',
      entityId: message.id,
      associationId: request.associationId,
      data: { requestId: request.id, phones: count('phone'), emails: count('email') },
    }),
  );
  const text = say('slack:relay.revealed', { reference: request.reference, text: escapeMrkdwn(content.data.text) });
  const thread = channel === request.slackChannelId && request.slackTs ? { thread_ts: request.slackTs } : {};
  await client.chat.postEphemeral({ channel, user: staff.slackUserId, text, ...thread });
}

/** Registers the "Show" button of relayed messages (see relayedMessage). */
export function registerContactReveal(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, RELAY_ACTIONS.reveal, (ctx) => reveal(deps, ctx));
}
