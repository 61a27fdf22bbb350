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
  /** for sub-commands that open a modal (`/relais needs`) */
  client?: SlackClient;
  triggerId?: string;
}

export type SubCommand = (ctx: CommandContext) => Promise<CommandReply>;

export const reply = (text: string, blocks?: Block[]): CommandReply => ({ response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) });
