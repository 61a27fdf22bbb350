import type { StaffActor } from '../../../../core/staff/staffAccess.js';
import type { Block } from '../../blocks/kit.js';
import type { Say } from '../../blocks/requestCard.js';
import type { SlackClient, SlackDeps } from '../../slackDeps.js';

/** What `/relais …` answers: shown to the volunteer only (ephemeral). */
export interface CommandReply {
  response_type: 'ephemeral';
  text: string;
  blocks?: Block[];
}

export interface CommandContext {
  deps: SlackDeps;
  staff: StaffActor;
  say: Say;
  args: string[];
  /** for sub-commands that open a modal (`/relais needs`) or post in the channel */
  client?: SlackClient;
  triggerId?: string;
  /** the channel the command was typed in */
  channelId?: string;
  /** a private follow-up to the volunteer through the command's response_url (works where the bot is not a member) */
  respond?: (text: string) => Promise<void>;
  /** work to run once the command is acknowledged (Slack waits 3 s at most for the ack) */
  afterAck?: (work: () => Promise<void>) => void;
}

export type SubCommand = (ctx: CommandContext) => Promise<CommandReply>;

export const reply = (text: string, blocks?: Block[]): CommandReply => ({
  response_type: 'ephemeral',
  text,
  ...(blocks ? { blocks } : {}),
});
