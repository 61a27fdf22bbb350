import { FOLLOW_UP_FLOWS, VOLUNTEER_CHAT } from '../core/proactiveFlows.js';
import type { FlowDefinition, StepOutcome } from './engine/flowTypes.js';
import { pick, text } from './commonChoices.js';
import type { DomainCommand } from '../core/commands/commandTypes.js';

const ANSWERS = ['coming', 'cannot_come'] as const;
import { dayAndTime } from './localDates.js';

/**
 * An appointment reminder (the day before, 2 hours before; opened by `followup.due`): when
 * and where, "I will come" or "I cannot come". The answer is recorded; "I cannot come"
 * opens the chat of that request so the person can tell the volunteer when they can.
 */
export const appointmentReminderFlow: FlowDefinition = {
  name: FOLLOW_UP_FLOWS.APPOINTMENT_REMINDER,
  start: 'start',
  steps: {
    start: {
      noBack: true,
      prompt: (ctx, data) => {
        const at = text(data, 'appointmentAt');
        const place = text(data, 'place');
        return [
          {
            key: place ? 'appointmentReminder:reminder' : 'appointmentReminder:reminder_no_place',
            params: {
              reference: text(data, 'reference') ?? '',
              when: at ? dayAndTime(at, ctx.language) : '',
              place: place ?? '',
            },
            choices: [
              { id: 'coming', labelKey: 'appointmentReminder:choice_coming' },
              { id: 'cannot_come', labelKey: 'appointmentReminder:choice_cannot_come' },
            ],
          },
        ];
      },
      onInput: (input, _ctx, data): StepOutcome => {
        const followUpId = text(data, 'followUpId');
        const choice = pick(input.choiceId, ANSWERS);
        if (!followUpId || !choice) return { status: 'invalid' };
        const commands: DomainCommand[] = [{ type: 'answerFollowUp', followUpId, answer: choice }];
        if (choice === 'coming') return { status: 'done', commands, replies: [{ key: 'appointmentReminder:see_you' }] };
        const requestId = text(data, 'requestId');
        if (!requestId) return { status: 'done', commands, replies: [{ key: 'appointmentReminder:noted' }] };
        return {
          status: 'goto',
          flow: VOLUNTEER_CHAT.flow,
          step: VOLUNTEER_CHAT.step,
          data: { requestId, reference: text(data, 'reference') ?? '' },
          commands,
          replies: [{ key: 'appointmentReminder:tell_volunteer' }],
        };
      },
    },
  },
};
