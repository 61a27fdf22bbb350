import type { CommandEnv, CommandHandlers, SqlCommandHandlers } from '../commands/commandEnv.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { deferConsent, deferLanguage, deferPause, deferResume } from './contactSql.js';
import { eraseContact } from './contactService.js';

/**
 * Commands about the person themself that are one UPDATE each (language, consent, pause): plain
 * SQL, so the inbound fast path runs them on its bare pg client without falling back to a
 * Prisma transaction (a first contact's language choice and consent are a quarter of its turns),
 * deferred to the turn's last trip (nothing reads them back), and prepared once per connection.
 */
export const contactSqlCommands: SqlCommandHandlers = {
  setLanguage: async (command, env, sql) => {
    await deferLanguage(sql, env.contactId, command.language);
    env.language = command.language;
    return {};
  },
  acceptPrivacy: async (_command, env, sql) => {
    await deferConsent(sql, env.contactId, env.now);
    return {};
  },
  pauseContact: async (_command, env, sql) => {
    await deferPause(sql, env.contactId);
    return {};
  },
  resumeContact: async (_command, env, sql) => {
    await deferResume(sql, env.contactId);
    return {};
  },
};

/** The same, inside a Prisma transaction (turns that also run other commands). */
function inTransaction<T extends keyof SqlCommandHandlers>(type: T) {
  const handler = contactSqlCommands[type];
  if (!handler) throw new Error(`no SQL handler for ${type}`);
  return (command: Parameters<typeof handler>[0], env: CommandEnv) => handler(command, env, prismaRunner(env.tx));
}

/** Commands about the person themself: language, consent, pause, erasure. */
export const contactCommands: CommandHandlers = {
  setLanguage: inTransaction('setLanguage'),
  acceptPrivacy: inTransaction('acceptPrivacy'),
  pauseContact: inTransaction('pauseContact'),
  resumeContact: inTransaction('resumeContact'),
  eraseContact: async (_command, env) => {
    const { newContactId } = await eraseContact(env.tx, env.contactId, env.identityId);
    if (newContactId) env.contactId = newContactId;
    return {};
  },
};
