import { VOLUNTEER_CHAT } from '../core/proactiveFlows.js';
import type { FlowDefinition, ParsedInput, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { text } from './commonChoices.js';

const END = { id: 'end', labelKey: 'volunteer:choice_end' };

/**
 * Whether the person pressed "end" (button, or its label typed). A bare number is a message
 * for the volunteer ("2", an answer to their question), never a menu pick, in this flow.
 */
function wantsToEnd(input: ParsedInput): boolean {
  if (input.choiceId !== END.id) return false;
  return input.content.kind === 'choice' || !/^\d+$/.test(input.text ?? '');
}

/** The words of a message to pass on, or undefined for anything else (locations, events). */
function message(input: ParsedInput): string | undefined {
  return input.content.kind === 'text' && input.text ? input.text : undefined;
}

/**
 * "Talk to a volunteer": the first message opens a CONTACT request with the person's
 * association (or none: triage) and is attached to it; while the chat lasts every message is
 * attached too (the Slack app relays them into the request's thread). Volunteers' replies
 * come with sendStaffReply, which reopens this chat. "menu" or the end button leaves it;
 * the request stays open for the volunteers.
 */
export const volunteerChatFlow: FlowDefinition = {
  name: VOLUNTEER_CHAT.flow,
  start: 'start',
  steps: {
    start: {
      prompt: () => [{ key: 'volunteer:intro', choices: [END] }],
      onInput: (input, ctx, data): StepOutcome => {
        const created = readEvent(input, 'requestCreated');
        if (created) {
          return {
            status: 'next',
            step: VOLUNTEER_CHAT.step,
            data: { requestId: created.requestId, reference: created.reference },
            replies: [{ key: 'volunteer:sent_first', params: { reference: created.reference } }],
          };
        }
        if (wantsToEnd(input)) return { status: 'done' };
        if (!message(input)) return { status: 'invalid', hintKey: 'volunteer:write_please' };
        const origin = text(data, 'origin') === 'checkin' ? 'checkin' : 'menu';
        return {
          status: 'wait',
          commands: [
            {
              type: 'createRequest',
              id: ctx.commandId('createRequest'),
              kind: 'CONTACT',
              details: { origin },
              attachMessage: true,
            },
          ],
        };
      },
    },
    [VOLUNTEER_CHAT.step]: {
      noBack: true,
      prompt: () => [{ key: 'volunteer:chat', choices: [END] }],
      onInput: (input, _ctx, data): StepOutcome => {
        const attached = readEvent(input, 'requestMessage');
        if (attached)
          return attached.attached
            ? { status: 'stay', replies: [{ key: 'volunteer:sent' }] }
            : { status: 'done', replies: [{ key: 'volunteer:closed' }] };
        if (wantsToEnd(input)) return { status: 'done', replies: [{ key: 'volunteer:ended' }] };
        const requestId = text(data, 'requestId');
        if (!message(input) || !requestId) return { status: 'invalid', hintKey: 'volunteer:write_please' };
        return { status: 'wait', commands: [{ type: 'attachToRequest', requestId }] };
      },
    },
  },
};
