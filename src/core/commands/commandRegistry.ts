import { RelaisError } from '../errors.js';
import { contactCommands, contactSqlCommands } from '../contacts/contactCommands.js';
import type { SqlRunner } from '../db/sqlRunner.js';
import { profileCommands } from '../contacts/profileCommands.js';
import { followUpCommands } from '../followUps/followUpCommands.js';
import { placeCommands } from '../places/placeCommands.js';
import { pledgeCommands } from '../pledges/pledgeCommands.js';
import { requestCommands, requestSqlCommands } from '../requests/requestCommands.js';
import type { CommandEnv, CommandHandlers, SqlCommandEnv, SqlCommandHandlers } from './commandEnv.js';
import type { CommandOutcome, DomainCommand } from './commandTypes.js';

export class UnsupportedCommand extends RelaisError {
  constructor(type: string) {
    super('RELAIS_UNSUPPORTED_COMMAND', `no handler for command ${type}`, 500);
  }
}

/** Every domain's command handlers; each domain folder exports its own map. */
export const COMMAND_HANDLERS: CommandHandlers = {
  ...contactCommands,
  ...profileCommands,
  ...requestCommands,
  ...placeCommands,
  ...followUpCommands,
  ...pledgeCommands,
};

/** Runs one command inside the turn's transaction. */
export async function executeCommand(command: DomainCommand, env: CommandEnv, handlers: CommandHandlers = COMMAND_HANDLERS): Promise<CommandOutcome> {
  // TypeScript cannot correlate a union member with the map entry of the same key; the map
  // type guarantees handlers[T] accepts commands of type T, so widening the parameter is sound
  const handler = handlers[command.type] as ((c: DomainCommand, e: CommandEnv) => Promise<CommandOutcome>) | undefined;
  if (!handler) throw new UnsupportedCommand(command.type);
  return handler(command, env);
}

/** Commands that are plain SQL: the inbound fast path runs them without a Prisma transaction. */
export const SQL_COMMAND_HANDLERS: SqlCommandHandlers = { ...contactSqlCommands, ...requestSqlCommands };

export function runsOnSql(command: DomainCommand): boolean {
  return command.type in SQL_COMMAND_HANDLERS;
}

/** Runs a plain-SQL command on the given runner (the fast path's pg client). */
export async function executeSqlCommand(command: DomainCommand, env: SqlCommandEnv, sql: SqlRunner): Promise<CommandOutcome> {
  const handler = SQL_COMMAND_HANDLERS[command.type] as ((c: DomainCommand, e: SqlCommandEnv, s: SqlRunner) => Promise<CommandOutcome>) | undefined;
  if (!handler) throw new UnsupportedCommand(command.type);
  return handler(command, env, sql);
}
