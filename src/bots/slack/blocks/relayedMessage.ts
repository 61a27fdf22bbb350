import { splitContactDetails } from '../../../core/messages/contactDetailsInText.js';
import { escapeMrkdwn } from '../slackText.js';
import { button, context, section, type Block } from './kit.js';
import type { Say } from './requestCard.js';

/** The "Show" button of a relayed message with masked contact details; its value is the Message id. */
export const RELAY_ACTIONS = { reveal: 'relay.reveal' } as const;

/** A person's text message about a request (`messageId`: the stored inbound Message). */
export interface RelayedText {
  reference: string;
  text: string;
  messageId: string;
}

/** Slack refuses a section text over 3000 characters: a long message takes several sections. */
const SECTION_MAX = 3000;

function sections(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/(?<=\s)/)) {
    if (current.length + word.length > SECTION_MAX && current) {
      out.push(current);
      current = '';
    }
    current += word;
  }
  return current ? [...out, current] : out;
}

/**
 * A person's text as it is posted in their request's thread: "👤 P-1042: …", escaped. Phone
 * numbers and e-mail addresses are replaced by "📞 a phone number was shared" / "✉️ an e-mail
 * address was shared", with a "Show" button that shows the original to the volunteer who
 * clicks (and is audited); the details themselves never reach Slack's history.
 */
export function relayedMessage(m: RelayedText, say: Say): { text: string; blocks?: Block[] } {
  const pieces = splitContactDetails(m.text);
  const masked = pieces.map((p) => (p.kind === 'text' ? escapeMrkdwn(p.text) : say(`slack:relay.masked_${p.kind}`)));
  const line = `👤 ${m.reference}: ${masked.join('')}`;
  if (pieces.every((p) => p.kind === 'text')) return { text: line };
  const parts = sections(line);
  const show = button(RELAY_ACTIONS.reveal, say('slack:relay.reveal'), m.messageId);
  return {
    text: line,
    blocks: [
      ...parts.map((part, i) => section(part, i === parts.length - 1 ? show : undefined)),
      context(say('slack:relay.masked_note')),
    ],
  };
}
