import { onPrismaTransaction, type CommandHandlers } from '../commands/commandEnv.js';
import { recordFollowUpAnswer } from './followUpService.js';

/** Commands about follow-ups: a person answers a check-in or an appointment reminder. */
export const followUpCommands: CommandHandlers = {
  answerFollowUp: onPrismaTransaction(async (command, env) => {
    const jobIds = await recordFollowUpAnswer(env.tx, {
      followUpId: command.followUpId,
      contactId: env.contactId,
      answer: command.answer,
      now: env.now,
    });
    return jobIds.length > 0 ? { jobIds } : {};
  }),
};
