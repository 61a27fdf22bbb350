import { FLEET_AGES, FLEET_CONDITIONS as CONDITIONS, PLEDGE_ITEM_KINDS } from '../core/pledges/pledgeDraft.js';
import type { FlowData, FlowDefinition, JsonValue, StepOutcome } from './engine/flowTypes.js';
import { clipText, cutNotice } from './textLimits.js';
import { keyedChoices, pick, summaryChoices, text, YES_NO } from './commonChoices.js';
import {
  chosenItems,
  donorContact,
  donorSteps,
  itemsParam,
  onPledgeCreated,
  parseQuantity,
  reachParam,
  windowParam,
} from './donorSteps.js';

const DONOR_KINDS = ['company', 'public_body', 'individual'] as const;
/** The legal name as on a Kbis extract or an official register; long names exist ("Communauté d'agglomération…"). */
const ORGANISATION_MAX = 160;

function withItem(data: FlowData, kind: string, quantity: number): FlowData {
  const items: JsonValue =
    data.items && typeof data.items === 'object' && !Array.isArray(data.items)
      ? { ...data.items, [kind]: quantity }
      : { [kind]: quantity };
  return { items, pendingKind: null };
}

/**
 * "I want to give equipment" for companies and public bodies (individuals are sent to the
 * individual donation flow), in about six questions: kinds and quantities (laptops,
 * smartphones, tablets, other) after the organisation's legal name (for the receipt), age and condition of the fleet,
 * pickup address or postcode,
 * pickup window, contact person (name + phone or email), data-erasure certificate; then a
 * summary to confirm, the pledge reference `D-…` and the offer of news of the gift.
 */
export const companyPledgeFlow: FlowDefinition = {
  name: 'companyPledge',
  start: 'donorKind',
  // donors arrive through their own entry, not the people's menu
  startLink: 'give',
  steps: {
    donorKind: {
      prompt: () => [{ key: 'pledge:donor_kind', choices: keyedChoices(DONOR_KINDS, 'pledge:donor_') }],
      onInput: (input): StepOutcome => {
        const kind = pick(input.choiceId, DONOR_KINDS);
        if (!kind) return { status: 'invalid' };
        if (kind === 'individual') return { status: 'goto', flow: 'individualDonation' };
        return {
          status: 'next',
          step: 'organisation',
          data: { donorKind: kind === 'company' ? 'COMPANY' : 'PUBLIC_BODY', items: {} },
        };
      },
    },
    organisation: {
      prompt: () => [{ key: 'pledge:organisation' }],
      onInput: (input): StepOutcome => {
        const name = input.text?.trim().replace(/\s+/g, ' ');
        if (!name || name.length < 2) return { status: 'invalid', hintKey: 'pledge:organisation_invalid' };
        const organisation = clipText(name, ORGANISATION_MAX);
        return {
          status: 'next',
          step: 'kind',
          data: { organisation: organisation.text },
          replies: cutNotice(organisation),
        };
      },
    },
    kind: {
      prompt: (_ctx, data) => {
        const some = chosenItems(data).length > 0;
        return [
          ...(some ? [{ key: 'pledge:items_so_far', params: { items: itemsParam(data) } }] : []),
          {
            key: some ? 'pledge:kind_more' : 'pledge:kind',
            choices: [
              ...keyedChoices(PLEDGE_ITEM_KINDS, 'donor:item_'),
              ...(some ? [{ id: 'done', labelKey: 'pledge:choice_done' }] : []),
            ],
          },
        ];
      },
      onInput: (input, _ctx, data): StepOutcome => {
        if (input.choiceId === 'done' && chosenItems(data).length > 0) return { status: 'next', step: 'fleetAge' };
        const kind = pick(input.choiceId, PLEDGE_ITEM_KINDS);
        return kind ? { status: 'next', step: 'quantity', data: { pendingKind: kind } } : { status: 'invalid' };
      },
    },
    quantity: {
      prompt: (_ctx, data) => [
        { key: 'pledge:quantity', params: { kind: { t: `donor:item_${text(data, 'pendingKind') ?? 'other'}` } } },
      ],
      onInput: (input, _ctx, data): StepOutcome => {
        const quantity = parseQuantity(input.text);
        const kind = pick(text(data, 'pendingKind'), PLEDGE_ITEM_KINDS);
        if (!quantity || !kind) return { status: 'invalid', hintKey: 'pledge:quantity_invalid' };
        return { status: 'next', step: 'kind', data: withItem(data, kind, quantity) };
      },
    },
    fleetAge: {
      prompt: () => [{ key: 'pledge:fleet_age', choices: keyedChoices(FLEET_AGES, 'pledge:age_') }],
      onInput: (input): StepOutcome => {
        const age = pick(input.choiceId, FLEET_AGES);
        return age ? { status: 'next', step: 'condition', data: { fleetAge: age } } : { status: 'invalid' };
      },
    },
    condition: {
      prompt: () => [{ key: 'pledge:condition', choices: keyedChoices(CONDITIONS, 'pledge:condition_') }],
      onInput: (input): StepOutcome => {
        const condition = pick(input.choiceId, CONDITIONS);
        return condition ? { status: 'next', step: 'address', data: { condition } } : { status: 'invalid' };
      },
    },
    ...donorSteps({ address: 'window', window: 'contactName', contact: 'certificate' }),
    certificate: {
      prompt: () => [{ key: 'pledge:certificate', choices: YES_NO }],
      onInput: (input): StepOutcome => {
        if (input.choiceId !== 'yes' && input.choiceId !== 'no') return { status: 'invalid' };
        return { status: 'next', step: 'confirm', data: { certificateRequired: input.choiceId === 'yes' } };
      },
    },
    confirm: {
      prompt: (_ctx, data) => [
        {
          key: 'pledge:summary',
          params: {
            organisation: text(data, 'organisation') ?? '—',
            items: itemsParam(data),
            age: { t: `pledge:age_${text(data, 'fleetAge') ?? 'lt2'}` },
            condition: { t: `pledge:condition_${text(data, 'condition') ?? 'mixed'}` },
            address: text(data, 'address') ?? '—',
            window: windowParam(data),
            name: text(data, 'contactName') ?? '—',
            reach: reachParam(data),
            certificate: { t: data.certificateRequired === true ? 'common:choice_yes' : 'common:choice_no' },
          },
          choices: summaryChoices('pledge'),
        },
      ],
      onInput: (input, ctx, data): StepOutcome => {
        const created = onPledgeCreated(input, 'pledge:created');
        if (created) return created;
        if (input.choiceId === 'restart') return { status: 'next', step: 'kind', data: { items: {} } };
        if (input.choiceId === 'cancel') return { status: 'done', replies: [{ key: 'pledge:cancelled' }] };
        if (input.choiceId !== 'send') return { status: 'invalid' };
        const donor = donorContact(data);
        const postcode = text(data, 'postcode');
        return {
          status: 'wait',
          commands: [
            {
              type: 'createPledge',
              id: ctx.commandId('createPledge'),
              pledge: {
                kind: 'EQUIPMENT',
                donorKind: text(data, 'donorKind') === 'PUBLIC_BODY' ? 'PUBLIC_BODY' : 'COMPANY',
                items: chosenItems(data),
                fleetAge: text(data, 'fleetAge') ?? 'lt2',
                condition: text(data, 'condition') ?? 'mixed',
                ...(postcode ? { postcode } : {}),
                pickupWindow: text(data, 'pickupWindow') ?? 'flexible',
                ...(donor ? { donor } : {}),
                certificateRequired: data.certificateRequired === true,
              },
            },
          ],
        };
      },
    },
  },
};
