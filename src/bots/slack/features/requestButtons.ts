import type { App } from '@slack/bolt';
import { z } from 'zod';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import { RelaisError } from '../../../core/errors.js';
import type { StaffActor } from '../../../core/staff/staffAccess.js';
import { errorText, interactionSchema, staffOrRefuse, tellUser, type Audience } from '../staffGate.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';

const buttonValue = z.object({ value: z.string().uuid() });

export interface ButtonContext {
  staff: StaffActor;
  requestId: string;
  client: SlackClient;
  audience: Audience;
  triggerId: string | undefined;
}

/**
 * Registers a request-card button: acknowledges at once (Slack waits 3 s at most), then
 * finds the staff member (unknown users are politely refused), runs the action and tells
 * the volunteer privately when it could not be done (already claimed, other association…).
 * The card itself is refreshed by the `request.changed` task the action emits.
 */
export function onRequestButton(
  app: App,
  deps: SlackDeps,
  actionId: string,
  perform: (ctx: ButtonContext) => Promise<unknown>,
  readValue: (action: unknown) => string | null = (action) => {
    const parsed = buttonValue.safeParse(action);
    return parsed.success ? parsed.data.value : null;
  },
): void {
  app.action(actionId, async ({ ack, body, action, client }) => {
    await ack();
    const interaction = interactionSchema.safeParse(body);
    const requestId = readValue(action);
    if (!interaction.success || !requestId) return;
    const audience: Audience = { userId: interaction.data.user.id, channelId: interaction.data.channel?.id };
    const staff = await staffOrRefuse(deps, client, audience);
    if (!staff) return;
    try {
      await perform({ staff, requestId, client, audience, triggerId: interaction.data.trigger_id });
    } catch (error) {
      if (!(error instanceof RelaisError))
        deps.log.warn({ err: errorSummary(error), action: actionId }, 'slack action failed');
      await tellUser(client, audience, errorText(sayIn(deps, staff.language), error));
    }
  });
}
