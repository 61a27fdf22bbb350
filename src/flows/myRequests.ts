import type { CommandEventData } from '../core/commands/commandEvents.js';
import type {
  ChoiceSpec,
  FlowContext,
  FlowData,
  FlowDefinition,
  JsonValue,
  Reply,
  StepOutcome,
} from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { MENU_CHOICE, text, YES_NO } from './commonChoices.js';
import { dayAndTime, shortDate } from './localDates.js';

type MyRequest = CommandEventData<'myRequests'>['requests'][number];

/** One request in plain words: reference, what it is, where it stands, when it was asked. */
function requestReply(request: MyRequest, ctx: FlowContext): Reply {
  const params = {
    reference: request.reference,
    kind: { t: `myRequests:kind_${request.kind}` },
    status: { t: `myRequests:status_${request.status}` },
    date: shortDate(request.createdAt, ctx.language),
  };
  if (!request.appointment) return { key: 'myRequests:item', params };
  const when = dayAndTime(request.appointment.at, ctx.language);
  return { key: 'myRequests:item_appointment', params: { ...params, when, place: request.appointment.place ?? '—' } };
}

function cancellable(data: FlowData): Array<{ id: string; reference: string }> {
  const list: JsonValue | undefined = data.cancellable;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) =>
    item &&
    typeof item === 'object' &&
    !Array.isArray(item) &&
    typeof item.id === 'string' &&
    typeof item.reference === 'string'
      ? [{ id: item.id, reference: item.reference }]
      : [],
  );
}

const LIST: StepOutcome = { status: 'wait', commands: [{ type: 'listMyRequests' }] };

/**
 * "My requests": where each of the person's requests stands, in plain words (the menu entry
 * loads them with `listMyRequests`); a request nobody has acted on yet can be cancelled,
 * after a confirmation.
 */
export const myRequestsFlow: FlowDefinition = {
  name: 'myRequests',
  start: 'start',
  steps: {
    start: {
      // "back" from the list goes to the menu: this step only loads the list
      noBack: true,
      prompt: () => [],
      onInput: (input, ctx): StepOutcome => {
        const found = readEvent(input, 'myRequests');
        if (!found) return LIST;
        if (found.requests.length === 0) return { status: 'done', replies: [{ key: 'myRequests:none' }] };
        return {
          status: 'next',
          step: 'list',
          data: {
            cancellable: found.requests.filter((r) => r.cancellable).map((r) => ({ id: r.id, reference: r.reference })),
          },
          replies: [{ key: 'myRequests:title' }, ...found.requests.map((r) => requestReply(r, ctx))],
        };
      },
    },
    list: {
      prompt: (_ctx, data) => {
        const choices: ChoiceSpec[] = cancellable(data).map((r) => ({
          id: `cancel:${r.id}`,
          labelKey: 'myRequests:choice_cancel',
          labelParams: { reference: r.reference },
        }));
        return [
          {
            key: choices.length > 0 ? 'myRequests:what_next' : 'myRequests:what_next_nothing_to_cancel',
            choices: [...choices, MENU_CHOICE],
          },
        ];
      },
      onInput: (input, _ctx, data): StepOutcome => {
        if (input.choiceId === 'menu') return { status: 'done' };
        const chosen = cancellable(data).find((r) => input.choiceId === `cancel:${r.id}`);
        return chosen
          ? { status: 'next', step: 'confirmCancel', data: { cancelId: chosen.id, cancelReference: chosen.reference } }
          : { status: 'invalid' };
      },
    },
    confirmCancel: {
      prompt: (_ctx, data) => [
        {
          key: 'myRequests:confirm_cancel',
          params: { reference: text(data, 'cancelReference') ?? '' },
          choices: YES_NO,
        },
      ],
      onInput: (input, _ctx, data): StepOutcome => {
        const cancelled = readEvent(input, 'requestCancelled');
        if (cancelled) {
          const reference = cancelled.reference ?? '';
          if (cancelled.result === 'cancelled')
            return { status: 'done', replies: [{ key: 'myRequests:cancelled', params: { reference } }] };
          return { status: 'done', replies: [{ key: 'myRequests:not_cancellable', params: { reference } }] };
        }
        if (input.choiceId === 'no') return { status: 'done', replies: [{ key: 'myRequests:kept' }] };
        const requestId = text(data, 'cancelId');
        if (input.choiceId !== 'yes' || !requestId) return { status: 'invalid' };
        return { status: 'wait', commands: [{ type: 'cancelRequest', requestId }] };
      },
    },
  },
};
