import type { ChoiceSpec, FlowDefinition, StepDefinition } from './engine/flowTypes.js';
import { MAIN_MENU_FLOW, ONBOARDING_FLOW } from './engine/runTurn.js';

/** Language choices, labelled in each language's own script so anyone can find theirs. */
export function languageChoices(languages: readonly string[]): ChoiceSpec[] {
  return languages.map((lng) => ({ id: `lang:${lng}`, labelKey: `languages:${lng}` }));
}

export function languageFromChoice(choiceId: string | undefined, languages: readonly string[]): string | undefined {
  const lng = choiceId?.startsWith('lang:') ? choiceId.slice(5) : undefined;
  return lng && languages.includes(lng) ? lng : undefined;
}

const chooseLanguage: StepDefinition['onInput'] = (input, ctx, data) => {
  const language = languageFromChoice(input.choiceId, ctx.settings.languages);
  if (!language) return { status: 'next', step: 'language', replies: [{ key: 'onboarding:invalid_language' }] };
  // a deep link (`/start give`) on first contact: its flow comes right after the language
  const next = typeof data.next === 'string' ? data.next : undefined;
  return {
    status: 'done',
    commands: [{ type: 'setLanguage', language }, { type: 'acceptPrivacy' }],
    replies: [{ key: 'onboarding:language_set' }, { key: 'privacy:how_to_erase' }],
    // a first contact ends on the whole menu: the person has not seen it yet
    then: { flow: next ?? MAIN_MENU_FLOW },
  };
};

/**
 * First contact: a short privacy notice (in the platform's language hint, or English), then
 * the language choice, which also records that the person read the notice; then the menu.
 * A wrong answer repeats only the language question, not the whole welcome.
 */
export const onboardingFlow: FlowDefinition = {
  name: ONBOARDING_FLOW,
  start: 'start',
  beforeOnboarding: true,
  steps: {
    start: {
      prompt: (ctx) => [
        { key: 'onboarding:welcome' },
        { key: 'privacy:notice_short' },
        { key: 'onboarding:choose_language', choices: languageChoices(ctx.settings.languages) },
      ],
      onInput: chooseLanguage,
      noBack: true,
    },
    language: {
      prompt: (ctx) => [{ key: 'onboarding:choose_language', choices: languageChoices(ctx.settings.languages) }],
      onInput: chooseLanguage,
      noBack: true,
    },
  },
};
