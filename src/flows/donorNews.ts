import type { FlowDefinition, StepDefinition, StepOutcome } from './engine/flowTypes.js';
import { YES_NO } from './commonChoices.js';

/** Yes / no to the donor's milestone messages (after a pledge, or from the menu). */
export const donorUpdatesStep: StepDefinition = {
  noBack: true,
  prompt: () => [{ key: 'donor:updates_offer', choices: YES_NO }],
  onInput: (input): StepOutcome => {
    if (input.choiceId === 'yes')
      return {
        status: 'done',
        replies: [{ key: 'donor:updates_on' }],
        commands: [{ type: 'setDonorUpdates', enabled: true }],
      };
    if (input.choiceId === 'no')
      return {
        status: 'done',
        replies: [{ key: 'donor:updates_off' }],
        commands: [{ type: 'setDonorUpdates', enabled: false }],
      };
    return { status: 'invalid' };
  },
};

/** "News of my gifts": turn the donor's milestone messages on or off. */
export const donorNewsFlow: FlowDefinition = {
  name: 'donorNews',
  start: 'choose',
  steps: { choose: donorUpdatesStep },
};
