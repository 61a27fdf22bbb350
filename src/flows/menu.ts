import type { DomainCommand } from '../core/commands/commandTypes.js';
import type { FlowDefinition } from './engine/flowTypes.js';
import { MAIN_MENU_FLOW } from './engine/runTurn.js';

/** One line of the main menu: which flow it opens and who sees it. */
export interface MenuEntry {
  id: string;
  flow: string;
  labelKey: string;
  audience: 'all' | 'beneficiary' | 'donor';
  /** commands run when the entry is opened: data the flow shows first comes back as an event */
  commands?: DomainCommand[];
}

/** The main menu lists only the flows that exist (given by the registry), in order. */
export function createMenuFlow(entries: readonly MenuEntry[]): FlowDefinition {
  return {
    name: MAIN_MENU_FLOW,
    start: 'start',
    steps: {
      start: {
        prompt: () => [{ key: 'menu:title', choices: entries.map((e) => ({ id: e.id, labelKey: e.labelKey })) }],
        onInput: (input) => {
          const entry = entries.find((e) => e.id === input.choiceId);
          if (!entry) return { status: 'invalid', hintKey: 'menu:invalid' };
          return { status: 'goto', flow: entry.flow, ...(entry.commands ? { commands: entry.commands } : {}) };
        },
      },
    },
  };
}
