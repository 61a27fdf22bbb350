import { commandEvents, type CommandEventData, type CommandEventName } from '../../core/commands/commandEvents.js';
import type { ParsedInput } from './flowTypes.js';

/** The data of a command event this step waits for, parsed; undefined for any other input. */
export function readEvent<N extends CommandEventName>(input: ParsedInput, name: N): CommandEventData<N> | undefined {
  if (input.content.kind !== 'event' || input.content.name !== name) return undefined;
  const parsed = commandEvents[name].safeParse(input.content.data);
  // the schema of commandEvents[name] is the one CommandEventData<N> is inferred from
  return parsed.success ? (parsed.data as CommandEventData<N>) : undefined;
}
