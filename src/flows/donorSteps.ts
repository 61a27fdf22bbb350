import {
  emailSchema,
  isValidDonorPhone,
  MAX_ITEM_QUANTITY,
  PICKUP_WINDOWS,
  PLEDGE_ITEM_KINDS,
  type PledgeItemKind,
} from '../core/pledges/pledgeDraft.js';
import type { FlowData, JsonValue, ReplyParam, StepDefinition, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { clipText, cutNotice } from './textLimits.js';
import { keyedChoices, pick, text } from './commonChoices.js';
import { donorUpdatesStep } from './donorNews.js';

const NAME_MAX = 120;
const ADDRESS_MAX = 300;
const WINDOW_MAX = 200;

/** A quantity typed in any digit script ("20", "٢٠", "1 000"); undefined when it is not one. */
export function parseQuantity(typed: string | undefined, max = MAX_ITEM_QUANTITY): number | undefined {
  const digits = typed?.replace(/[\s\u00a0\u202f.,']/g, '');
  if (!digits || !/^\d{1,6}$/.test(digits)) return undefined;
  const value = Number(digits);
  return value >= 1 && value <= max ? value : undefined;
}

/** The first French postcode in a text ("12 rue X, 62100 Calais" → "62100"). */
export function findPostcode(typed: string | undefined): string | undefined {
  return /(?:^|\D)(\d{5})(?:\D|$)/.exec(typed ?? '')?.[1];
}

/** The items chosen so far, as stored in flow data: `{ laptop: 20, smartphone: 5 }`. */
export function chosenItems(data: FlowData): Array<{ kind: PledgeItemKind; quantity: number }> {
  const raw: JsonValue | undefined = data.items;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  return PLEDGE_ITEM_KINDS.flatMap((kind) => {
    const quantity = raw[kind];
    return typeof quantity === 'number' && quantity > 0 ? [{ kind, quantity }] : [];
  });
}

/** "💻 20 · 📱 5" as one reply parameter in the person's language. */
export function itemsParam(data: FlowData): ReplyParam {
  const items = chosenItems(data);
  const count = (kind: PledgeItemKind) => items.find((i) => i.kind === kind)?.quantity ?? 0;
  return {
    t: 'donor:items_summary',
    params: {
      smartphone: count('smartphone'),
      laptop: count('laptop'),
      tablet: count('tablet'),
      other: count('other'),
    },
  };
}

/** The contact steps' answers as PledgeDraft.donor (the name, a phone or an email, and a company's legal name). */
export function donorContact(
  data: FlowData,
): { name: string; organisation?: string; phone?: string; email?: string; address?: string } | undefined {
  const name = text(data, 'contactName');
  if (!name) return undefined;
  const organisation = text(data, 'organisation');
  const phone = text(data, 'contactPhone');
  const email = text(data, 'contactEmail');
  const address = text(data, 'address');
  return {
    name,
    ...(organisation ? { organisation } : {}),
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(address ? { address } : {}),
  };
}

/**
 * Steps every donor flow shares, in the `donor` namespace: the pickup address (or postcode),
 * the pickup window, the contact person (name, then a phone number or an email, validated),
 * and after the pledge the offer to receive (or not) news of the gift. `next` names the step
 * each one leads to.
 */
export function donorSteps(next: { address: string; window: string; contact: string }): Record<string, StepDefinition> {
  return {
    address: {
      prompt: () => [{ key: 'donor:address' }],
      onInput: (input): StepOutcome => {
        const typed = input.text?.trim();
        if (!typed || typed.length < 5) return { status: 'invalid', hintKey: 'donor:address_invalid' };
        const postcode = findPostcode(typed);
        if (!postcode) return { status: 'invalid', hintKey: 'donor:address_invalid' };
        const address = clipText(typed, ADDRESS_MAX);
        return {
          status: 'next',
          step: next.address,
          data: { address: address.text, postcode },
          replies: cutNotice(address),
        };
      },
    },
    window: {
      prompt: () => [{ key: 'donor:window', choices: keyedChoices(PICKUP_WINDOWS, 'donor:window_') }],
      onInput: (input): StepOutcome => {
        const window = pick(input.choiceId, PICKUP_WINDOWS);
        if (window) return { status: 'next', step: next.window, data: { pickupWindow: window } };
        const typed = input.text?.trim();
        if (!typed || typed.length < 3) return { status: 'invalid' };
        const pickupWindow = clipText(typed, WINDOW_MAX);
        return {
          status: 'next',
          step: next.window,
          data: { pickupWindow: pickupWindow.text },
          replies: cutNotice(pickupWindow),
        };
      },
    },
    contactName: {
      prompt: () => [{ key: 'donor:contact_name' }],
      onInput: (input): StepOutcome => {
        const name = input.text?.trim();
        if (!name || name.length < 2) return { status: 'invalid', hintKey: 'donor:contact_name_invalid' };
        const contactName = clipText(name, NAME_MAX);
        return {
          status: 'next',
          step: 'contactReach',
          data: { contactName: contactName.text },
          replies: cutNotice(contactName),
        };
      },
    },
    contactReach: {
      prompt: () => [{ key: 'donor:contact_reach' }],
      onInput: (input): StepOutcome => {
        const typed = input.text?.trim() ?? '';
        if (typed.includes('@')) {
          const email = emailSchema.safeParse(typed);
          return email.success
            ? { status: 'next', step: next.contact, data: { contactEmail: email.data, contactPhone: null } }
            : { status: 'invalid', hintKey: 'donor:contact_email_invalid' };
        }
        if (typed.length > 0 && isValidDonorPhone(typed))
          return { status: 'next', step: next.contact, data: { contactPhone: typed, contactEmail: null } };
        return { status: 'invalid', hintKey: 'donor:contact_reach_invalid' };
      },
    },
    updates: donorUpdatesStep,
  };
}

/** The pickup window for the summary: a chosen one in the person's language, or what they typed. */
export function windowParam(data: FlowData): ReplyParam {
  const window = text(data, 'pickupWindow') ?? 'flexible';
  return pick(window, PICKUP_WINDOWS) ? { t: `donor:window_${window}` } : window;
}

/** How the donor can be reached, for the summary. */
export function reachParam(data: FlowData): ReplyParam {
  return text(data, 'contactPhone') ?? text(data, 'contactEmail') ?? '—';
}

/** After `createPledge`: the reference, then the offer of news (step `updates`). */
export function onPledgeCreated(
  input: Parameters<StepDefinition['onInput']>[0],
  createdKey: string,
): StepOutcome | undefined {
  const created = readEvent(input, 'pledgeCreated');
  if (!created) return undefined;
  return { status: 'next', step: 'updates', replies: [{ key: createdKey, params: { reference: created.reference } }] };
}
