import type { App } from '@slack/bolt';
import { z } from 'zod';
import { RelaisError } from '../../../../core/errors.js';
import { errorSummary } from '../../../../core/outbound/outboxDispatcher.js';
import type { StaffActor } from '../../../../core/staff/staffAccess.js';
import type { Say } from '../../blocks/requestCard.js';
import type { Block } from '../../blocks/kit.js';
import { sayIn, type SlackClient, type SlackDeps } from '../../slackDeps.js';
import { errorText, interactionSchema, staffOrRefuse, tellUser, type Audience } from '../../staffGate.js';

const actionValue = z.union([
  z.object({ value: z.string().min(1) }),
  z.object({ selected_option: z.object({ value: z.string().min(1) }) }),
]);

export interface TeamActionContext {
  staff: StaffActor;
  say: Say;
  value: string;
  client: SlackClient;
  audience: Audience;
  triggerId: string | undefined;
  /** replaces the private message the click came from (a command's answer), else posts a private note */
  answer: (text: string, blocks?: Block[]) => Promise<void>;
}

/** A domain error as one sentence: the team's own codes first, then the shared ones. */
export function teamErrorText(say: Say, error: unknown): string {
  if (error instanceof RelaisError)
    return say(`slack:team.errors.${error.code}`, { defaultValue: errorText(say, error) });
  return errorText(say, error);
}

/**
 * Registers a button, overflow or select of the team, association and join messages:
 * acknowledges at once, refuses people Relais does not know, and tells the staff member
 * privately when the action could not be done.
 */
export function onTeamAction(
  app: App,
  deps: SlackDeps,
  actionId: string | RegExp,
  perform: (ctx: TeamActionContext) => Promise<unknown>,
): void {
  app.action(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const interaction = interactionSchema.safeParse(body);
    const parsed = actionValue.safeParse(action);
    if (!interaction.success || !parsed.success) return;
    const value = 'value' in parsed.data ? parsed.data.value : parsed.data.selected_option.value;
    const audience: Audience = { userId: interaction.data.user.id, channelId: interaction.data.channel?.id };
    const staff = await staffOrRefuse(deps, client, audience);
    if (!staff) return;
    const say = sayIn(deps, staff.language);
    const canReplace =
      typeof body === 'object' && body !== null && 'response_url' in body && typeof body.response_url === 'string';
    const answer = async (text: string, blocks?: Block[]) => {
      if (canReplace)
        await respond({ replace_original: true, response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) });
      else await tellUser(client, audience, text);
    };
    try {
      await perform({ staff, say, value, client, audience, triggerId: interaction.data.trigger_id, answer });
    } catch (error) {
      if (!(error instanceof RelaisError))
        deps.log.warn({ err: errorSummary(error), action: String(actionId) }, 'slack team action failed');
      await tellUser(client, audience, teamErrorText(say, error));
    }
  });
}
