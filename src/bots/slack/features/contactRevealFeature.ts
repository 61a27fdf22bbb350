import type { App } from '@slack/bolt';
import { NotFound } from '../../../core/errors.js';
import { revealContactDetails } from '../../../core/contacts/contactReveal.js';
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
  // shown as an ephemeral message, never as a DM: a DM would keep the number in Slack's history
  const channel = audience.channelId;
  if (!channel) throw new NotFound('channel');
  const revealed = await revealContactDetails(deps.db, staff, messageId);
  if (revealed.status === 'purged')
    return tellUser(client, audience, say('slack:relay.reveal_purged', { count: deps.config.MESSAGE_RETENTION_DAYS }));
  const text = say('slack:relay.revealed', { reference: revealed.reference, text: escapeMrkdwn(revealed.text) });
  const thread = channel === revealed.slackChannelId && revealed.slackTs ? { thread_ts: revealed.slackTs } : {};
  await client.chat.postEphemeral({ channel, user: staff.slackUserId, text, ...thread });
}

/** Registers the "Show" button of relayed messages (see relayedMessage). */
export function registerContactReveal(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, RELAY_ACTIONS.reveal, (ctx) => reveal(deps, ctx));
}
