import { HELP_TOPICS } from '../core/requests/requestDetails.js';
import type { FlowDefinition, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { keyedChoices, pick, text, YES_NO } from './commonChoices.js';

/**
 * "Help using my phone": a topic, a short self-help answer in a few numbered steps, then
 * the offer of a help session with a volunteer (a HELP request with the topic). "Other"
 * goes straight to the offer.
 */
export const phoneHelpFlow: FlowDefinition = {
  name: 'phoneHelp',
  start: 'topic',
  steps: {
    topic: {
      prompt: () => [{ key: 'phoneHelp:topic', choices: keyedChoices(HELP_TOPICS, 'phoneHelp:topic_') }],
      onInput: (input): StepOutcome => {
        const topic = pick(input.choiceId, HELP_TOPICS);
        if (!topic) return { status: 'invalid' };
        return { status: 'next', step: topic === 'other' ? 'book' : 'answer', data: { topic } };
      },
    },
    answer: {
      prompt: (_ctx, data) => [
        { key: `phoneHelp:answer_${text(data, 'topic') ?? 'account'}` },
        {
          key: 'phoneHelp:did_it_help',
          choices: [
            { id: 'solved', labelKey: 'phoneHelp:choice_solved' },
            { id: 'book', labelKey: 'phoneHelp:choice_book' },
            { id: 'another', labelKey: 'phoneHelp:choice_another' },
          ],
        },
      ],
      onInput: (input): StepOutcome => {
        if (input.choiceId === 'solved') return { status: 'done', replies: [{ key: 'phoneHelp:glad' }] };
        if (input.choiceId === 'book') return { status: 'next', step: 'book' };
        if (input.choiceId === 'another') return { status: 'next', step: 'topic' };
        return { status: 'invalid' };
      },
    },
    book: {
      prompt: () => [{ key: 'phoneHelp:book', choices: YES_NO }],
      onInput: (input, ctx, data): StepOutcome => {
        const created = readEvent(input, 'requestCreated');
        if (created)
          return { status: 'done', replies: [{ key: 'phoneHelp:booked', params: { reference: created.reference } }] };
        if (input.choiceId === 'no') return { status: 'done', replies: [{ key: 'phoneHelp:not_booked' }] };
        if (input.choiceId !== 'yes') return { status: 'invalid' };
        return {
          status: 'wait',
          commands: [
            {
              type: 'createRequest',
              id: ctx.commandId('createRequest'),
              kind: 'HELP',
              details: { topic: text(data, 'topic') ?? 'other' },
            },
          ],
        };
      },
    },
  },
};
