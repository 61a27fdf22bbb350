import { PLEDGE_ITEM_KINDS } from '../core/pledges/pledgeDraft.js';
import type { FlowData, FlowDefinition, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { keyedChoices, MENU_CHOICE, pick, summaryChoices, text } from './commonChoices.js';
import {
  chosenItems,
  donorContact,
  donorSteps,
  findPostcode,
  itemsParam,
  onPledgeCreated,
  parseQuantity,
  reachParam,
  windowParam,
} from './donorSteps.js';
import { placeReply } from './placeFormatting.js';

const GIFTS = [...PLEDGE_ITEM_KINDS, 'sponsor'] as const;
/** Estimated volumes; above 2 m³ a pickup is offered (the m³ are rough estimates for the pickup team). */
const VOLUMES = { small_bag: 0.05, few_boxes: 0.5, over_2m3: 3 } as const;
const VOLUME_CHOICES = ['small_bag', 'few_boxes', 'over_2m3'] as const;
const AMOUNTS = ['20', '40', '80'] as const;
/** A refurbished phone costs the network about 40 €; more than a few hundred is unusual for a person. */
const MAX_SPONSOR_EUROS = 1000;
const SHOWN = 3;

function item(data: FlowData) {
  return pick(text(data, 'item'), PLEDGE_ITEM_KINDS) ?? 'other';
}

/**
 * An individual gives: what (a phone, a laptop, a tablet, something else, or sponsor a
 * "suspended" phone); for things, how many and how big: small volumes go to the nearest
 * drop-off point accepting them (shared location or typed postcode; distance and hours),
 * which the donor may announce (a DROP_OFF pledge `D-…`); above 2 m³ a free pickup is
 * requested (address, window, contact). A sponsorship records an amount (SPONSORSHIP pledge),
 * counted when a phone is handed over.
 */
export const individualDonationFlow: FlowDefinition = {
  name: 'individualDonation',
  start: 'what',
  steps: {
    what: {
      prompt: () => [
        {
          key: 'donation:what',
          choices: [
            ...keyedChoices(PLEDGE_ITEM_KINDS, 'donor:item_'),
            { id: 'sponsor', labelKey: 'donation:choice_sponsor' },
          ],
        },
      ],
      onInput: (input): StepOutcome => {
        const gift = pick(input.choiceId, GIFTS);
        if (!gift) return { status: 'invalid' };
        if (gift === 'sponsor') return { status: 'next', step: 'amount' };
        return { status: 'next', step: 'quantity', data: { item: gift } };
      },
    },
    quantity: {
      prompt: (_ctx, data) => [{ key: 'donation:quantity', params: { kind: { t: `donor:item_${item(data)}` } } }],
      onInput: (input, _ctx, data): StepOutcome => {
        const quantity = parseQuantity(input.text);
        if (!quantity) return { status: 'invalid', hintKey: 'donation:quantity_invalid' };
        return { status: 'next', step: 'volume', data: { items: { [item(data)]: quantity } } };
      },
    },
    volume: {
      prompt: () => [{ key: 'donation:volume', choices: keyedChoices(VOLUME_CHOICES, 'donation:volume_') }],
      onInput: (input): StepOutcome => {
        const volume = pick(input.choiceId, VOLUME_CHOICES);
        if (!volume) return { status: 'invalid' };
        const data = { volume, volumeM3: VOLUMES[volume] };
        if (volume === 'over_2m3')
          return { status: 'next', step: 'address', data, replies: [{ key: 'donation:pickup_intro' }] };
        return { status: 'next', step: 'where', data };
      },
    },
    where: {
      acceptsLocation: true,
      prompt: () => [{ key: 'donation:where', askLocation: true }],
      onInput: (input, ctx, data): StepOutcome => {
        const found = readEvent(input, 'places');
        if (found) {
          if (found.places.length === 0)
            return { status: 'next', step: 'results', replies: [{ key: 'donation:no_point' }] };
          return {
            status: 'next',
            step: 'results',
            replies: [
              { key: 'donation:points', params: { kind: { t: `donor:item_${item(data)}` } } },
              ...found.places.map((p) => placeReply(p, ctx)),
            ],
          };
        }
        const search = {
          type: 'findPlaces' as const,
          category: 'DROP_OFF' as const,
          accepts: item(data),
          limit: SHOWN,
        };
        const { content } = input;
        if (content.kind === 'location')
          return {
            status: 'wait',
            commands: [{ ...search, near: { latitude: content.latitude, longitude: content.longitude } }],
          };
        const postcode = findPostcode(input.text?.replace(/\s/g, ''));
        if (postcode) return { status: 'wait', data: { postcode }, commands: [{ ...search, postcode }] };
        return { status: 'invalid', hintKey: 'donation:where_invalid' };
      },
    },
    results: {
      prompt: () => [
        {
          key: 'donation:what_next',
          choices: [
            { id: 'announce', labelKey: 'donation:choice_announce' },
            { id: 'again', labelKey: 'donation:choice_again' },
            MENU_CHOICE,
          ],
        },
      ],
      onInput: (input, ctx, data): StepOutcome => {
        const created = onPledgeCreated(input, 'donation:announced');
        if (created) return created;
        if (input.choiceId === 'again') return { status: 'next', step: 'where' };
        if (input.choiceId === 'menu') return { status: 'done' };
        if (input.choiceId !== 'announce') return { status: 'invalid' };
        const postcode = text(data, 'postcode');
        const volumeM3 = typeof data.volumeM3 === 'number' ? data.volumeM3 : undefined;
        return {
          status: 'wait',
          commands: [
            {
              type: 'createPledge',
              id: ctx.commandId('createPledge'),
              pledge: {
                kind: 'DROP_OFF',
                donorKind: 'INDIVIDUAL',
                items: chosenItems(data),
                ...(postcode ? { postcode } : {}),
                ...(volumeM3 !== undefined ? { volumeM3 } : {}),
              },
            },
          ],
        };
      },
    },
    ...donorSteps({ address: 'window', window: 'contactName', contact: 'confirm' }),
    amount: {
      prompt: () => [
        {
          key: 'donation:amount',
          choices: AMOUNTS.map((a) => ({ id: a, labelKey: 'donation:amount_euros', labelParams: { amount: a } })),
        },
      ],
      onInput: (input): StepOutcome => {
        const euros = pick(input.choiceId, AMOUNTS)
          ? Number(input.choiceId)
          : parseQuantity(input.text?.replace(/€|eur(os?)?/gi, ''), MAX_SPONSOR_EUROS);
        if (!euros || euros < 5) return { status: 'invalid', hintKey: 'donation:amount_invalid' };
        return { status: 'next', step: 'contactName', data: { sponsorEuros: euros, items: {} } };
      },
    },
    confirm: {
      prompt: (_ctx, data) => {
        const euros = typeof data.sponsorEuros === 'number' ? data.sponsorEuros : null;
        const common = { name: text(data, 'contactName') ?? '—', reach: reachParam(data) };
        if (euros !== null)
          return [
            {
              key: 'donation:sponsor_summary',
              params: { ...common, amount: euros },
              choices: summaryChoices('donation'),
            },
          ];
        return [
          {
            key: 'donation:pickup_summary',
            params: {
              ...common,
              items: itemsParam(data),
              address: text(data, 'address') ?? '—',
              window: windowParam(data),
            },
            choices: summaryChoices('donation'),
          },
        ];
      },
      onInput: (input, ctx, data): StepOutcome => {
        const euros = typeof data.sponsorEuros === 'number' ? data.sponsorEuros : null;
        const created = onPledgeCreated(input, euros !== null ? 'donation:sponsor_created' : 'donation:pickup_created');
        if (created) return created;
        if (input.choiceId === 'restart')
          return { status: 'next', step: 'what', data: { sponsorEuros: null, items: {} } };
        if (input.choiceId === 'cancel') return { status: 'done', replies: [{ key: 'donation:cancelled' }] };
        if (input.choiceId !== 'send') return { status: 'invalid' };
        const donor = donorContact(data);
        const postcode = text(data, 'postcode');
        const base = { donorKind: 'INDIVIDUAL' as const, ...(donor ? { donor } : {}) };
        const pledge =
          euros !== null
            ? { ...base, kind: 'SPONSORSHIP' as const, sponsorAmountCents: euros * 100 }
            : {
                ...base,
                kind: 'PICKUP' as const,
                items: chosenItems(data),
                ...(postcode ? { postcode } : {}),
                pickupWindow: text(data, 'pickupWindow') ?? 'flexible',
                volumeM3: VOLUMES.over_2m3,
              };
        return { status: 'wait', commands: [{ type: 'createPledge', id: ctx.commandId('createPledge'), pledge }] };
      },
    },
  },
};
