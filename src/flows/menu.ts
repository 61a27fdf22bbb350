import type { DomainCommand } from '../core/commands/commandTypes.js';
import type { ChoiceSpec, FlowContact, FlowContext, FlowDefinition } from './engine/flowTypes.js';
import { MAIN_MENU_FLOW, MENU_AFTER_DONE_STEP } from './engine/runTurn.js';

/** One line of the main menu: which flow it opens and who sees it. */
export interface MenuEntry {
  id: string;
  flow: string;
  labelKey: string;
  /**
   * who sees it: `beneficiary` people in exile, `donor` people who pledged (others reach it by
   * its words or a deep link, e.g. `/start give`), `pledged` only people who pledged, `all`
   */
  audience: 'all' | 'beneficiary' | 'donor' | 'pledged';
  /** commands run when the entry is opened: data the flow shows first comes back as an event */
  commands?: DomainCommand[];
}

/** WhatsApp lists hold 10 rows; a longer menu is not read anyway. */
export const MAX_MENU_ENTRIES = 10;

function shownTo(entry: MenuEntry, kind: FlowContact['kind']): boolean {
  if (entry.audience === 'all') return true;
  if (entry.audience === 'beneficiary') return kind === 'BENEFICIARY';
  return kind === 'DONOR';
}

/**
 * The menu's choices for this person: the entries for them, in order, then the others they
 * may still name by a word (hidden, never `pledged` ones to people who did not pledge).
 */
export function menuChoices(entries: readonly MenuEntry[], ctx: FlowContext): ChoiceSpec[] {
  const kind = ctx.contact.kind;
  const shown = entries.filter((e) => shownTo(e, kind)).slice(0, MAX_MENU_ENTRIES);
  const hidden = entries.filter((e) => !shown.includes(e) && (e.audience !== 'pledged' || kind === 'DONOR'));
  return [
    ...shown.map((e) => ({ id: e.id, labelKey: e.labelKey })),
    ...hidden.map((e) => ({ id: e.id, labelKey: e.labelKey, hidden: true })),
  ];
}

/** The main menu lists only the flows that exist (given by the registry), in order. */
export function createMenuFlow(entries: readonly MenuEntry[]): FlowDefinition {
  return {
    name: MAIN_MENU_FLOW,
    start: 'start',
    steps: {
      start: {
        prompt: (ctx) => [{ key: 'menu:title', choices: menuChoices(entries, ctx) }],
        onInput: (input) => {
          const entry = entries.find((e) => e.id === input.choiceId);
          if (!entry) return { status: 'invalid', hintKey: 'menu:invalid' };
          return { status: 'goto', flow: entry.flow, ...(entry.commands ? { commands: entry.commands } : {}) };
        },
      },
      /** after a finished flow: "Send 0 or menu for the menu"; whatever comes next shows the menu */
      [MENU_AFTER_DONE_STEP]: {
        // the menu's buttons and numbers are still on screen, higher up: they still work
        prompt: (ctx) => [{ key: 'menu:after_done', choices: menuChoices(entries, ctx), silentChoices: true }],
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
