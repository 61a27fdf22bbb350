import type { FlowDefinition, StepOutcome } from './engine/flowTypes.js';
import { ONBOARDING_FLOW } from './engine/runTurn.js';
import { MENU_CHOICE, YES_NO } from './commonChoices.js';

/**
 * "I am someone else" (a shared handset): a new person starts their own empty profile and
 * sees nothing of the previous person's requests; a person who already has a profile comes
 * back with their personal code (the code flow).
 */
export const otherPersonFlow: FlowDefinition = {
  name: 'otherPerson',
  start: 'start',
  steps: {
    start: {
      prompt: () => [
        {
          key: 'otherPerson:intro',
          choices: [
            { id: 'new', labelKey: 'otherPerson:choice_new' },
            { id: 'code', labelKey: 'otherPerson:choice_code' },
            MENU_CHOICE,
          ],
        },
      ],
      onInput: (input): StepOutcome => {
        if (input.choiceId === 'new') return { status: 'next', step: 'confirm' };
        if (input.choiceId === 'code') return { status: 'goto', flow: 'code', step: 'enter' };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
    confirm: {
      prompt: () => [{ key: 'otherPerson:confirm_new', choices: YES_NO }],
      onInput: (input): StepOutcome => {
        // the new person chooses their own language and reads the privacy notice
        if (input.choiceId === 'yes')
          return {
            status: 'done',
            commands: [{ type: 'startNewProfile' }],
            replies: [{ key: 'otherPerson:started' }],
            then: { flow: ONBOARDING_FLOW },
          };
        if (input.choiceId === 'no') return { status: 'done', replies: [{ key: 'otherPerson:not_started' }] };
        return { status: 'invalid' };
      },
    },
  },
};
