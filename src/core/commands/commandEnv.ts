import type { Config } from '../config.js';
import type { AddressGuesses } from '../contacts/addressGuesses.js';
import type { I18n } from '../i18n/i18n.js';
import type { Tx } from '../db.js';
import type { Secrets } from '../secrets.js';
import type { Channel } from '../../generated/prisma/enums.js';
import type { CommandOutcome, DomainCommand } from './commandTypes.js';
import type { SqlRunner } from '../db/sqlRunner.js';

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
  /** renders text for a person in their language (messages a command writes to other accounts) */
  i18n: I18n;
  /** the client address the message came from (web chat), as a keyed hash, with its wrong-code counter */
  guessAddress?: { key: string; guesses: AddressGuesses };
}

export type CommandHandler<T extends DomainCommand['type']> = (
  command: Extract<DomainCommand, { type: T }>,
  env: CommandEnv,
) => Promise<CommandOutcome>;

export type CommandHandlers = { [T in DomainCommand['type']]?: CommandHandler<T> };

/** What a command that is plain SQL needs: the turn without Prisma, and where to run its statements. */
export type SqlCommandEnv = Omit<CommandEnv, 'tx'>;

export type SqlCommandHandler<T extends DomainCommand['type']> = (
  command: Extract<DomainCommand, { type: T }>,
  env: SqlCommandEnv,
  sql: SqlRunner,
) => Promise<CommandOutcome>;

/**
 * Commands that run on a bare pg client as well as in a Prisma transaction. Their writes go
 * through `sql.defer` (nothing reads them back in the turn): a turn that later finds it needs a
 * Prisma transaction leaves its batch by dropping them (see TurnBatcher's LeaveBatch).
 */
export type SqlCommandHandlers = { [T in DomainCommand['type']]?: SqlCommandHandler<T> };
