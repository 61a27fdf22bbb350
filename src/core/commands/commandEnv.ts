import type { Config } from '../config.js';
import type { AddressGuesses } from '../contacts/addressGuesses.js';
import type { I18n } from '../i18n/i18n.js';
import type { Tx } from '../db.js';
import type { PrismaTransaction, Transaction, TransactionKind } from '../db/transaction.js';
import type { Secrets } from '../secrets.js';
import type { Channel } from '../../generated/prisma/enums.js';
import type { CommandOutcome, DomainCommand } from './commandTypes.js';

/**
 * What a command handler knows about the turn it runs in. One object for the whole turn:
 * what a command changes (`contactId` after erasure or relinking, `language`) the rest of the
 * turn sees.
 */
export interface TurnEnv {
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

/** The turn as a handler that needs Prisma's query builder sees it: with the Prisma transaction. */
export interface CommandEnv extends TurnEnv {
  tx: Tx;
}

type CommandOf<T extends DomainCommand['type']> = Extract<DomainCommand, { type: T }>;

/**
 * One command's handler, and the transactions it can run in. The inbound fast path (a bare pg
 * client, 'sql') runs a turn only when every command of it supports 'sql'; otherwise the turn
 * leaves for a Prisma transaction, where every handler runs.
 */
export interface CommandHandler<T extends DomainCommand['type']> {
  readonly runners: readonly TransactionKind[];
  run(command: CommandOf<T>, env: TurnEnv, db: Transaction): Promise<CommandOutcome>;
}

/** The registry's shape: at most one handler per command type. */
export type CommandHandlers = { [T in DomainCommand['type']]?: CommandHandler<T> };

/**
 * A handler in plain SQL (its statements in a `<domain>Sql.ts`): runs in either transaction.
 * Its writes go through `sql.defer` where nothing reads them back in the turn, so a turn that
 * leaves the fast path drops them with the rest of its deferred writes.
 */
export function onAnyTransaction<T extends DomainCommand['type']>(
  run: (command: CommandOf<T>, env: TurnEnv, db: Transaction) => Promise<CommandOutcome>,
): CommandHandler<T> {
  return { runners: ['sql', 'prisma'], run };
}

/** A handler that uses Prisma's query builder: runs only in a Prisma transaction (`env.tx`). */
export function onPrismaTransaction<T extends DomainCommand['type']>(
  run: (command: CommandOf<T>, env: CommandEnv, db: PrismaTransaction) => Promise<CommandOutcome>,
): CommandHandler<T> {
  return {
    runners: ['prisma'],
    run: (command, env, db) => {
      if (db.kind !== 'prisma') throw new Error(`command ${command.type} needs a Prisma transaction`);
      // the turn's own env object, so what the command changes the rest of the turn sees
      return run(command, Object.assign(env, { tx: db.tx }), db);
    },
  };
}
