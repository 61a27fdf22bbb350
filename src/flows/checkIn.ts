import type { DomainCommand, FollowUpAnswer } from '../core/commands/commandTypes.js';
import { FOLLOW_UP_FLOWS } from '../core/proactiveFlows.js';
import type { FlowData, FlowDefinition, StepOutcome } from './engine/flowTypes.js';
import { MENU_CHOICE, text } from './commonChoices.js';

function answer(data: FlowData, value: FollowUpAnswer): DomainCommand[] {
  const followUpId = text(data, 'followUpId');
  return followUpId ? [{ type: 'answerFollowUp', followUpId, answer: value }] : [];
}

/**
 * A check-in some days after a phone was handed over (opened by the `followup.due` task):
 * does it work, is there a problem, was it lost? The answer is recorded; a problem leads to
 * a volunteer or the self-help, a lost phone to advice and a new request.
 */
export const checkInFlow: FlowDefinition = {
  name: FOLLOW_UP_FLOWS.CHECKIN,
  start: 'start',
  steps: {
    start: {
      noBack: true,
      prompt: (_ctx, data) => [
        {
          key: 'checkIn:question',
          params: { reference: text(data, 'reference') ?? '' },
          choices: [
            { id: 'works', labelKey: 'checkIn:choice_works' },
            { id: 'problem', labelKey: 'checkIn:choice_problem' },
            { id: 'lost', labelKey: 'checkIn:choice_lost' },
          ],
        },
      ],
      onInput: (input, _ctx, data): StepOutcome => {
        if (input.choiceId === 'works')
          return { status: 'done', commands: answer(data, 'works'), replies: [{ key: 'checkIn:glad' }] };
        if (input.choiceId === 'problem') return { status: 'next', step: 'problem', commands: answer(data, 'problem') };
        if (input.choiceId === 'lost') return { status: 'next', step: 'lost', commands: answer(data, 'lost') };
        return { status: 'invalid' };
      },
    },
    problem: {
      noBack: true,
      prompt: () => [
        {
          key: 'checkIn:problem',
          choices: [
            { id: 'volunteer', labelKey: 'checkIn:choice_volunteer' },
            { id: 'help', labelKey: 'checkIn:choice_help' },
            MENU_CHOICE,
          ],
        },
      ],
      onInput: (input): StepOutcome => {
        if (input.choiceId === 'volunteer') return { status: 'goto', flow: 'volunteer', data: { origin: 'checkin' } };
        if (input.choiceId === 'help') return { status: 'goto', flow: 'phoneHelp' };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
    lost: {
      noBack: true,
      prompt: () => [
        { key: 'checkIn:lost_advice' },
        {
          key: 'checkIn:lost_next',
          choices: [
            { id: 'phone', labelKey: 'checkIn:choice_new_phone' },
            { id: 'volunteer', labelKey: 'checkIn:choice_volunteer' },
            MENU_CHOICE,
          ],
        },
      ],
      onInput: (input): StepOutcome => {
        if (input.choiceId === 'phone')
          return { status: 'goto', flow: 'phone', commands: [{ type: 'listMyRequests' }] };
        if (input.choiceId === 'volunteer') return { status: 'goto', flow: 'volunteer', data: { origin: 'checkin' } };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
  },
};
