import { RelaisError } from '../errors.js';
import { contactCommands } from '../contacts/contactCommands.js';
import type { Transaction, TransactionKind } from '../db/transaction.js';
import { profileCommands } from '../contacts/profileCommands.js';
import { followUpCommands } from '../followUps/followUpCommands.js';
import { placeCommands } from '../places/placeCommands.js';
import { pledgeCommands } from '../pledges/pledgeCommands.js';
import { requestCommands } from '../requests/requestCommands.js';
import type { CommandHandler, CommandHandlers, TurnEnv } from './commandEnv.js';
import type { CommandOutcome, DomainCommand } from './commandTypes.js';

export class UnsupportedCommand extends RelaisError {
  constructor(type: string) {
    super('RELAIS_UNSUPPORTED_COMMAND', `no handler for command ${type}`, 500);
  }
}

/** Every domain's command handlers, each saying which transactions it runs in; each domain exports its own map. */
export const COMMAND_HANDLERS: CommandHandlers = {
  ...contactCommands,
  ...profileCommands,
  ...requestCommands,
  ...placeCommands,
  ...followUpCommands,
  ...pledgeCommands,
};

type AnyHandler = CommandHandler<DomainCommand['type']>;

function handlerOf(command: DomainCommand, handlers: CommandHandlers): AnyHandler | undefined {
  // TypeScript cannot correlate a union member with the map entry of the same key; the map
  // type guarantees handlers[T] accepts commands of type T, so widening the parameter is sound
  return handlers[command.type] as AnyHandler | undefined;
}

/** Whether every command can run in a transaction of this kind (the fast path asks for 'sql'). */
export function runsIn(
  kind: TransactionKind,
  commands: readonly DomainCommand[],
  handlers: CommandHandlers = COMMAND_HANDLERS,
): boolean {
  return commands.every((command) => handlerOf(command, handlers)?.runners.includes(kind) === true);
}

/** Runs one command inside the turn's transaction. */
export async function executeCommand(
  command: DomainCommand,
  env: TurnEnv,
  db: Transaction,
  handlers: CommandHandlers = COMMAND_HANDLERS,
): Promise<CommandOutcome> {
  const handler = handlerOf(command, handlers);
  if (!handler) throw new UnsupportedCommand(command.type);
  return handler.run(command, env, db);
}
