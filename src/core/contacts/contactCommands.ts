import type { CommandEnv, CommandHandlers, SqlCommandHandlers } from '../commands/commandEnv.js';
import { prepared, prismaRunner } from '../db/sqlRunner.js';
import { eraseContact } from './contactService.js';

/**
 * Commands about the person themself that are one UPDATE each (language, consent, pause): plain
 * SQL, so the inbound fast path runs them on its bare pg client without falling back to a
 * Prisma transaction (a first contact's language choice and consent are a quarter of its turns),
 * deferred to the turn's last trip (nothing reads them back), and prepared once per connection.
 */
export const contactSqlCommands: SqlCommandHandlers = {
  setLanguage: async (command, env, sql) => {
    await sql.defer(prepared('relais_contact_language')`UPDATE "Contact" SET language = ${command.language} WHERE id = ${env.contactId}::uuid`);
    env.language = command.language;
    return {};
  },
  acceptPrivacy: async (_command, env, sql) => {
    await sql.defer(prepared('relais_contact_consent')`UPDATE "Contact" SET "consentAt" = ${env.now} WHERE id = ${env.contactId}::uuid`);
    return {};
  },
  pauseContact: async (_command, env, sql) => {
    await sql.defer(prepared('relais_contact_pause')`UPDATE "Contact" SET status = 'PAUSED'::"ContactStatus" WHERE id = ${env.contactId}::uuid`);
    return {};
  },
  setAnnouncements: async (command, env, sql) => {
    await sql.defer(prepared('relais_contact_announcements')`UPDATE "Contact" SET "announcementsOff" = ${!command.enabled} WHERE id = ${env.contactId}::uuid`);
    if (!command.enabled) {
      // not yet written to the outbox: they will not be (already written ones are checked again at their turn)
      await sql.defer(prepared('relais_contact_announcements_waiting')`UPDATE "AnnouncementRecipient" SET status = 'OPTED_OUT' WHERE "contactId" = ${env.contactId}::uuid AND status = 'WAITING'`);
    }
    return {};
  },
  resumeContact: async (_command, env, sql) => {
    await sql.defer(prepared('relais_contact_resume')`UPDATE "Contact" SET status = 'ACTIVE'::"ContactStatus" WHERE id = ${env.contactId}::uuid`);
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
  setAnnouncements: inTransaction('setAnnouncements'),
  eraseContact: async (_command, env) => {
    const { newContactId } = await eraseContact(env.tx, env.contactId, env.identityId);
    if (newContactId) env.contactId = newContactId;
    return {};
  },
};
