import { z } from 'zod';
import { RelaisError } from '../../core/errors.js';
import { findStaffBySlackId, type StaffActor } from '../../core/staff/staffAccess.js';
import type { Say } from './blocks/requestCard.js';
import type { SlackClient, SlackDeps } from './slackDeps.js';

/** Where to answer a staff member privately: ephemeral in the channel they clicked in, or their App Home messages. */
export interface Audience {
  userId: string;
  channelId?: string | undefined;
}

/** The fields of an interactivity payload every feature reads (validated, the rest ignored). */
export const interactionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  trigger_id: z.string().min(1).optional(),
  channel: z.object({ id: z.string().min(1) }).optional(),
});

/** Sends a private note to one staff member. Best effort: a failure here must not undo the action. */
export async function tellUser(client: SlackClient, audience: Audience, text: string): Promise<void> {
  try {
    if (audience.channelId)
      await client.chat.postEphemeral({ channel: audience.channelId, user: audience.userId, text });
    else await client.chat.postMessage({ channel: audience.userId, text });
  } catch {
    // the volunteer may have left the channel; nothing else to do
  }
}

/**
 * The staff member behind a Slack user, or null after telling an unknown user (in French
 * and English: we do not know their language) that Relais does not know them.
 */
export async function staffOrRefuse(
  deps: SlackDeps,
  client: SlackClient,
  audience: Audience,
): Promise<StaffActor | null> {
  const staff = await findStaffBySlackId(deps.db, audience.userId);
  if (!staff) await tellUser(client, audience, unknownUserText(deps));
  return staff;
}

export function unknownUserText(deps: Pick<SlackDeps, 'text'>): string {
  return `${deps.text.t('fr', 'slack:unknown_user')}\n${deps.text.t('en', 'slack:unknown_user')}`;
}

/** A domain error as one sentence for the volunteer; anything unexpected as a generic apology. */
export function errorText(say: Say, error: unknown): string {
  if (error instanceof RelaisError)
    return say(`slack:errors.${error.code}`, { defaultValue: say('slack:errors.generic') });
  return say('slack:errors.generic');
}
