import type { FlowDefinition } from './engine/flowTypes.js';
import { LANGUAGE_FLOW, MAIN_MENU_FLOW } from './engine/runTurn.js';
import { languageChoices, languageFromChoice } from './onboarding.js';

/** Change the language at any time ("language" keyword or menu). */
export const languageFlow: FlowDefinition = {
  name: LANGUAGE_FLOW,
  start: 'choose',
  steps: {
    choose: {
      prompt: (ctx) => [{ key: 'onboarding:choose_language', choices: languageChoices(ctx.settings.languages) }],
      onInput: (input, ctx) => {
        const language = languageFromChoice(input.choiceId, ctx.settings.languages);
        if (!language) return { status: 'invalid', hintKey: 'onboarding:invalid_language' };
        return {
          status: 'done',
          commands: [{ type: 'setLanguage', language }],
          replies: [{ key: 'onboarding:language_set' }],
          then: { flow: MAIN_MENU_FLOW },
        };
      },
    },
  },
};
