import type { CommandHandlers } from '../commands/commandEnv.js';
import { eraseContact } from './contactService.js';

/** Commands about the person themself: language, consent, pause, erasure. */
export const contactCommands: CommandHandlers = {
  setLanguage: async (command, env) => {
    await env.tx.contact.update({ where: { id: env.contactId }, data: { language: command.language } });
    env.language = command.language;
    return {};
  },
  acceptPrivacy: async (_command, env) => {
    await env.tx.contact.update({ where: { id: env.contactId }, data: { consentAt: env.now } });
    return {};
  },
  pauseContact: async (_command, env) => {
    await env.tx.contact.update({ where: { id: env.contactId }, data: { status: 'PAUSED' } });
    return {};
  },
  resumeContact: async (_command, env) => {
    await env.tx.contact.update({ where: { id: env.contactId }, data: { status: 'ACTIVE' } });
    return {};
  },
  eraseContact: async (_command, env) => {
    const { newContactId } = await eraseContact(env.tx, env.contactId, env.identityId);
    if (newContactId) env.contactId = newContactId;
    return {};
  },
};
