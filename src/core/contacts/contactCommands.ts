import { onAnyTransaction, onPrismaTransaction, type CommandHandlers } from '../commands/commandEnv.js';
import { deferAnnouncements, deferConsent, deferLanguage, deferPause, deferResume } from './contactSql.js';
import { eraseContact } from './contactService.js';

/**
 * Commands about the person themself: language, consent, pause, erasure. The first four are
 * one UPDATE each, so the inbound fast path runs them on its bare pg client without falling
 * back to a Prisma transaction (a first contact's language choice and consent are a quarter of
 * its turns).
 */
export const contactCommands: CommandHandlers = {
  setLanguage: onAnyTransaction(async (command, env, db) => {
    await deferLanguage(db.sql, env.contactId, command.language);
    env.language = command.language;
    return {};
  }),
  acceptPrivacy: onAnyTransaction(async (_command, env, db) => {
    await deferConsent(db.sql, env.contactId, env.now);
    return {};
  }),
  pauseContact: onAnyTransaction(async (_command, env, db) => {
    await deferPause(db.sql, env.contactId);
    return {};
  }),
  setAnnouncements: onAnyTransaction(async (command, env, db) => {
    await deferAnnouncements(db.sql, env.contactId, command.enabled);
    return {};
  }),
  resumeContact: onAnyTransaction(async (_command, env, db) => {
    await deferResume(db.sql, env.contactId);
    return {};
  }),
  eraseContact: onPrismaTransaction(async (_command, env) => {
    const { newContactId } = await eraseContact(env.tx, env.contactId, env.identityId);
    if (newContactId) env.contactId = newContactId;
    return {};
  }),
};
