import type { App } from '@slack/bolt';
import { z } from 'zod';
import { errorSummary } from '../../../../core/outbound/outboxDispatcher.js';
import { findStaffBySlackId } from '../../../../core/staff/staffAccess.js';
import { sayIn, type SlackDeps } from '../../slackDeps.js';
import { errorText, unknownUserText } from '../../staffGate.js';
import { historyCommand } from '../historyFeature.js';
import { announceCommand } from './announceCommand.js';
import { codeCommand } from './codeCommand.js';
import { reply, type SubCommand } from './commandTypes.js';
import { impactCommand } from './impactCommand.js';
import { associationsCommand } from '../associations/associationsFeature.js';
import { joinOfferReply } from '../join/joinFeature.js';
import { stockCommands } from '../stock/stockImportFeature.js';
import { staffCommand } from '../team/teamFeature.js';
import { findCommand, helpCommand, requestsCommand } from './lookupCommands.js';
import { needsCommand } from './needsCommand.js';
import { placesCommand } from './placesCommand.js';

export const RELAIS_COMMAND = '/relais';

/** what Slack posts for a slash command (the fields Relais reads) */
const commandSchema = z.object({
  user_id: z.string().min(1),
  text: z.string().max(500).default(''),
  trigger_id: z.string().min(1).optional(),
  channel_id: z.string().min(1).optional(),
});

/** Sub-commands by their word (French aliases for volunteers who type in French). */
const SUB_COMMANDS: Record<string, SubCommand> = {
  stock: stockCommands,
  staff: staffCommand,
  team: staffCommand,
  équipe: staffCommand,
  equipe: staffCommand,
  associations: associationsCommand,
  requests: requestsCommand,
  demandes: requestsCommand,
  find: findCommand,
  chercher: findCommand,
  code: codeCommand,
  impact: impactCommand,
  needs: needsCommand,
  besoins: needsCommand,
  places: placesCommand,
  lieux: placesCommand,
  history: historyCommand,
  historique: historyCommand,
  announce: announceCommand,
  annonce: announceCommand,
  help: helpCommand,
  aide: helpCommand,
};

/**
 * `/relais <sub-command>`: answered in the acknowledgement itself, visible to the volunteer
 * only. Slow work a sub-command hands to `afterAck` (uploading a chart) runs once Slack has
 * its answer.
 */
export function registerRelaisCommand(app: App, deps: SlackDeps): void {
  app.command(RELAIS_COMMAND, async ({ command, ack, client, respond }) => {
    const parsed = commandSchema.safeParse(command);
    if (!parsed.success) return ack();
    const staff = await findStaffBySlackId(deps.db, parsed.data.user_id);
    // someone Relais does not know is offered to ask an association's coordinators to join
    if (!staff) return ack(await joinOfferReply(deps).catch(() => reply(unknownUserText(deps))));
    const say = sayIn(deps, staff.language);
    const [word = 'help', ...args] = parsed.data.text.trim().split(/\s+/).filter(Boolean);
    const run = SUB_COMMANDS[word.toLowerCase()] ?? helpCommand;
    const deferred: Array<() => Promise<void>> = [];
    const context = {
      deps,
      staff,
      say,
      args,
      client,
      respond: async (text: string) => {
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      },
      afterAck: (work: () => Promise<void>) => deferred.push(work),
      ...(parsed.data.trigger_id ? { triggerId: parsed.data.trigger_id } : {}),
      ...(parsed.data.channel_id ? { channelId: parsed.data.channel_id } : {}),
    };
    try {
      await ack(await run(context));
    } catch (error) {
      deps.log.warn({ err: errorSummary(error), command: word }, 'slack command failed');
      return ack(reply(errorText(say, error)));
    }
    for (const work of deferred) {
      await work().catch((error: unknown) =>
        deps.log.warn({ err: errorSummary(error), command: word }, 'slack command follow-up failed'),
      );
    }
  });
}
