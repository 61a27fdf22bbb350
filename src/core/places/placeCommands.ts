import { onPrismaTransaction, type CommandHandlers } from '../commands/commandEnv.js';
import { commandEvent } from '../commands/commandEvents.js';
import { findPlaces } from './placeSearch.js';

/** Commands about places (orientation): search by category, nearest first. */
export const placeCommands: CommandHandlers = {
  findPlaces: onPrismaTransaction(async (command, env) => {
    const places = await findPlaces(env.tx, {
      category: command.category,
      ...(command.near ? { near: command.near } : {}),
      ...(command.postcode ? { postcode: command.postcode } : {}),
      ...(command.accepts ? { accepts: command.accepts } : {}),
      ...(command.limit ? { limit: command.limit } : {}),
    });
    return { event: commandEvent('places', { places }) };
  }),
};
