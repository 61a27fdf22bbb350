import { PHONE_SITUATIONS } from '../core/requests/requestDetails.js';
import type {
  ChoiceSpec,
  FlowContext,
  FlowData,
  FlowDefinition,
  JsonValue,
  ReplyParam,
  StepOutcome,
} from './engine/flowTypes.js';
import { normalizeText } from '../core/conversation/normalizeText.js';
import { readEvent } from './engine/readEvent.js';
import { clipText, cutNotice } from './textLimits.js';
import { OPEN_STATUSES } from '../core/requests/requestStatus.js';
import { keyedChoices, MENU_CHOICE, pick, summaryChoices, text } from './commonChoices.js';

const FOR_WHOM = ['self', 'family'] as const;
const URGENCIES = { high: 'HIGH', normal: 'NORMAL', low: 'LOW' } as const;
const URGENCY_CHOICES = ['high', 'normal', 'low'] as const;
/** more than this would make an unreadable keyboard; the others are found by their typed name */
const MAX_ASSOCIATIONS = 20;
const STAY_MAX = 200;
/** the flow's first step waits for the person's requests */
const LIST_REQUESTS: StepOutcome = { status: 'wait', commands: [{ type: 'listMyRequests' }] };

function associationChoices(ctx: FlowContext): ChoiceSpec[] {
  return [
    ...ctx.reference.associations.slice(0, MAX_ASSOCIATIONS).map((a) => ({ id: `assoc:${a.id}`, label: a.name })),
    { id: 'none', labelKey: 'phone:association_none' },
  ];
}

function associationName(ctx: FlowContext, data: FlowData): ReplyParam {
  const id = text(data, 'associationId');
  return ctx.reference.associations.find((a) => a.id === id)?.name ?? { t: 'phone:association_none' };
}

function stayParam(stay: JsonValue | undefined): ReplyParam {
  if (stay && typeof stay === 'object' && !Array.isArray(stay)) {
    if (typeof stay.text === 'string') return stay.text;
    return { t: 'phone:stay_location' };
  }
  return { t: 'phone:stay_none' };
}

/** What the person answered, as the details of a PHONE request (src/core/requests/requestDetails.ts). */
function requestDetails(data: FlowData): Record<string, JsonValue> {
  const stay = data.stay;
  return { forWhom: data.forWhom ?? null, situation: data.situation ?? null, ...(stay ? { stay } : {}) };
}

/**
 * "I need a phone": for whom, the situation, how urgent, which association already helps
 * (from the database, or none), where the person stays (optional: words, a shared location,
 * or skip), a summary to confirm; then a PHONE request with its reference and, in plain
 * words, what happens next.
 */
export const phoneRequestFlow: FlowDefinition = {
  name: 'phone',
  start: 'start',
  steps: {
    // the person's requests arrive first (the menu entry runs listMyRequests): an open phone
    // request is said at once, not after six questions
    start: {
      noBack: true,
      prompt: () => [],
      onInput: (input): StepOutcome => {
        const found = readEvent(input, 'myRequests');
        if (!found) return LIST_REQUESTS;
        const open = found.requests.find((r) => r.kind === 'PHONE' && OPEN_STATUSES.includes(r.status));
        if (!open) return { status: 'next', step: 'forWhom' };
        return {
          status: 'next',
          step: 'alreadyOpen',
          data: { openReference: open.reference, openStatus: open.status },
        };
      },
    },
    alreadyOpen: {
      prompt: (_ctx, data) => [
        {
          key: 'phone:already_open_start',
          params: {
            reference: text(data, 'openReference') ?? '—',
            status: { t: `myRequests:status_${text(data, 'openStatus') ?? 'OPEN'}` },
          },
          choices: [
            { id: 'family', labelKey: 'phone:choice_family_request' },
            { id: 'myRequests', labelKey: 'phone:choice_my_requests' },
            MENU_CHOICE,
          ],
        },
      ],
      onInput: (input): StepOutcome => {
        // for someone in the family: a request of its own (src/core/requests/requestCommands.ts)
        if (input.choiceId === 'family') return { status: 'next', step: 'situation', data: { forWhom: 'family' } };
        if (input.choiceId === 'myRequests')
          return { status: 'goto', flow: 'myRequests', commands: [{ type: 'listMyRequests' }] };
        if (input.choiceId === 'menu') return { status: 'done' };
        return { status: 'invalid' };
      },
    },
    forWhom: {
      prompt: () => [{ key: 'phone:for_whom', choices: keyedChoices(FOR_WHOM, 'phone:for_') }],
      onInput: (input): StepOutcome => {
        const forWhom = pick(input.choiceId, FOR_WHOM);
        return forWhom ? { status: 'next', step: 'situation', data: { forWhom } } : { status: 'invalid' };
      },
    },
    situation: {
      prompt: () => [{ key: 'phone:situation', choices: keyedChoices(PHONE_SITUATIONS, 'phone:situation_') }],
      onInput: (input): StepOutcome => {
        const situation = pick(input.choiceId, PHONE_SITUATIONS);
        return situation ? { status: 'next', step: 'urgency', data: { situation } } : { status: 'invalid' };
      },
    },
    urgency: {
      prompt: () => [{ key: 'phone:urgency', choices: keyedChoices(URGENCY_CHOICES, 'phone:urgency_') }],
      onInput: (input, ctx): StepOutcome => {
        const urgency = pick(input.choiceId, URGENCY_CHOICES);
        if (!urgency) return { status: 'invalid' };
        return {
          status: 'next',
          step: ctx.reference.associations.length > 0 ? 'association' : 'stay',
          data: { urgency, associationId: null },
        };
      },
    },
    association: {
      prompt: (ctx) => [{ key: 'phone:association', choices: associationChoices(ctx) }],
      onInput: (input, ctx): StepOutcome => {
        if (input.choiceId === 'none') return { status: 'next', step: 'stay', data: { associationId: null } };
        const id = input.choiceId?.startsWith('assoc:') ? input.choiceId.slice(6) : undefined;
        const typed = input.text ? normalizeText(input.text) : undefined;
        const association = ctx.reference.associations.find(
          (a) => a.id === id || (typed !== undefined && normalizeText(a.name) === typed),
        );
        return association
          ? { status: 'next', step: 'stay', data: { associationId: association.id } }
          : { status: 'invalid' };
      },
    },
    stay: {
      acceptsLocation: true,
      prompt: () => [
        { key: 'phone:stay', askLocation: true, choices: [{ id: 'skip', labelKey: 'common:choice_skip' }] },
      ],
      onInput: (input): StepOutcome => {
        if (input.choiceId === 'skip') return { status: 'next', step: 'confirm', data: { stay: null } };
        const { content } = input;
        if (content.kind === 'location')
          return {
            status: 'next',
            step: 'confirm',
            data: { stay: { latitude: content.latitude, longitude: content.longitude } },
          };
        if (input.text) {
          const place = clipText(input.text, STAY_MAX);
          return { status: 'next', step: 'confirm', data: { stay: { text: place.text } }, replies: cutNotice(place) };
        }
        return { status: 'invalid', hintKey: 'phone:stay_invalid' };
      },
    },
    confirm: {
      prompt: (ctx, data) => [
        {
          key: 'phone:summary',
          params: {
            forWhom: { t: `phone:for_${text(data, 'forWhom') ?? 'self'}` },
            situation: { t: `phone:situation_${text(data, 'situation') ?? 'never'}` },
            urgency: { t: `phone:urgency_${text(data, 'urgency') ?? 'normal'}` },
            association: associationName(ctx, data),
            stay: stayParam(data.stay),
          },
          choices: summaryChoices('phone'),
        },
      ],
      onInput: (input, ctx, data): StepOutcome => {
        const created = readEvent(input, 'requestCreated');
        if (created) {
          if (created.existing)
            return {
              status: 'done',
              replies: [{ key: 'phone:already_open', params: { reference: created.reference } }],
            };
          const name = ctx.reference.associations.find((a) => a.id === text(data, 'associationId'))?.name;
          return {
            status: 'done',
            replies: [
              { key: 'phone:created', params: { reference: created.reference } },
              name
                ? { key: 'phone:next_step_association', params: { association: name } }
                : { key: 'phone:next_step_triage' },
            ],
          };
        }
        if (input.choiceId === 'restart') return { status: 'next', step: 'forWhom' };
        if (input.choiceId === 'cancel') return { status: 'done', replies: [{ key: 'phone:cancelled' }] };
        if (input.choiceId !== 'send') return { status: 'invalid' };
        const urgency = pick(text(data, 'urgency'), URGENCY_CHOICES) ?? 'normal';
        return {
          status: 'wait',
          commands: [
            {
              type: 'createRequest',
              id: ctx.commandId('createRequest'),
              kind: 'PHONE',
              urgency: URGENCIES[urgency],
              associationId: text(data, 'associationId') ?? null,
              details: requestDetails(data),
            },
          ],
        };
      },
    },
  },
};
