import type { Config } from '../config.js';
import type { Tx } from '../db.js';
import type { Secrets } from '../secrets.js';
import type { Channel } from '../../generated/prisma/enums.js';
import type { CommandOutcome, DomainCommand } from './commandTypes.js';

/** What a command handler knows about the turn it runs in. `contactId` may change (erasure, relinking). */
export interface CommandEnv {
  tx: Tx;
  config: Config;
  secrets: Secrets;
  now: Date;
  channel: Channel;
  identityId: string;
  contactId: string;
  inboundMessageId: string;
  /** language the replies of this turn are rendered in; setLanguage updates it */
  language: string;
}

export type CommandHandler<T extends DomainCommand['type']> = (
  command: Extract<DomainCommand, { type: T }>,
  env: CommandEnv,
) => Promise<CommandOutcome>;

export type CommandHandlers = { [T in DomainCommand['type']]?: CommandHandler<T> };
