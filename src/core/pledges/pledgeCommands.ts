import { onPrismaTransaction, type CommandHandlers } from '../commands/commandEnv.js';
import { commandEvent } from '../commands/commandEvents.js';
import { createPledge } from './pledgeService.js';

/** Commands of the donor flows: record a pledge, turn milestone messages on or off. */
export const pledgeCommands: CommandHandlers = {
  createPledge: onPrismaTransaction(async (command, env) => {
    const { pledge, taskId } = await createPledge(env.tx, { contactId: env.contactId, draft: command.pledge });
    // a person who pledged is a donor: their menu now has "News of my gifts"
    await env.tx.contact.update({ where: { id: env.contactId }, data: { kind: 'DONOR' } });
    return {
      values: { reference: pledge.reference },
      event: commandEvent('pledgeCreated', { pledgeId: pledge.id, reference: pledge.reference }),
      jobIds: [taskId],
    };
  }),
  setDonorUpdates: onPrismaTransaction(async (command, env) => {
    await env.tx.contact.update({ where: { id: env.contactId }, data: { donorUpdates: command.enabled } });
    return {};
  }),
};
