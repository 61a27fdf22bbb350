import type { DomainCommand } from '../core/commands/commandTypes.js';
import type { FlowDefinition } from './engine/flowTypes.js';
import { MAIN_MENU_FLOW, MENU_AFTER_DONE_STEP } from './engine/runTurn.js';

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
      /** after a finished flow: "Send 0 or menu for the menu"; whatever comes next shows the menu */
      [MENU_AFTER_DONE_STEP]: {
        // the menu's buttons and numbers are still on screen, higher up: they still work
        prompt: () => [{ key: 'menu:after_done', choices: entries.map((e) => ({ id: e.id, labelKey: e.labelKey })), silentChoices: true }],
        onInput: (input) => {
          const entry = entries.find((e) => e.id === input.choiceId);
          if (!entry) return { status: 'goto', flow: MAIN_MENU_FLOW };
          return { status: 'goto', flow: entry.flow, ...(entry.commands ? { commands: entry.commands } : {}) };
        },
        noBack: true,
      },
    },
  };
}
