import type { types } from '@slack/bolt';
import type { NeededDeviceKind } from '../../../core/needs/needsCensus.js';
import { FLEET_AGES, FLEET_CONDITIONS, PICKUP_WINDOWS } from '../../../core/pledges/pledgeDraft.js';
import { RECEIPT_STATUSES } from '../../../core/pledges/pledgeReceipt.js';
import type { PledgeView } from '../../../core/pledges/pledgeView.js';
import { formatEuros } from '../../../core/recharges/giveRecharge.js';
import { escapeMrkdwn, slackDate } from '../slackText.js';
import { actions, button, context, fields, header, section, type Block } from './kit.js';
import type { Say } from './requestCard.js';

/** Action ids of the pledge card; the value of each is the pledge id. */
export const PLEDGE_ACTIONS = {
  schedule: 'pledge.schedule',
  collected: 'pledge.collected',
  cancel: 'pledge.cancel',
  receipt: 'pledge.receipt',
} as const;

/** The association suggested for a pledge (largest unmet need for its main device kind). */
export interface PledgeSuggestion {
  associationName: string;
  kind: NeededDeviceKind;
  unmet: number;
}

const OPEN_STATUSES = ['PLEDGED', 'SCHEDULED'];

/** Answers the donor flows record as ids (a pickup window, the fleet's age and condition), with their staff labels. */
const PLEDGE_ANSWERS = { window: PICKUP_WINDOWS, fleet_age: FLEET_AGES, fleet_condition: FLEET_CONDITIONS } as const;

/**
 * A recorded answer as staff read it: its label when it is one of the flow's choices, else what the donor typed
 * (escaped).
 */
export function pledgeAnswer(group: keyof typeof PLEDGE_ANSWERS, value: string, say: Say): string {
  const known: readonly string[] = PLEDGE_ANSWERS[group];
  return known.includes(value) ? say(`slack:pledge_${group}.${value}`) : escapeMrkdwn(value);
}

/**
 * Buttons that fit the pledge's state: a pickup is scheduled only for equipment that is not
 * dropped off; once equipment is received, its receipt can be shared in the card's thread.
 */
function pledgeButtons(p: PledgeView, say: Say): types.Button[] {
  if (RECEIPT_STATUSES.includes(p.status) && p.kind !== 'SPONSORSHIP')
    return [button(PLEDGE_ACTIONS.receipt, say('slack:pledge.receipt'), p.id)];
  if (!OPEN_STATUSES.includes(p.status)) return [];
  const list: types.Button[] = [];
  if (p.kind === 'EQUIPMENT' || p.kind === 'PICKUP')
    list.push(
      button(
        PLEDGE_ACTIONS.schedule,
        say(p.status === 'SCHEDULED' ? 'slack:pledge.reschedule' : 'slack:pledge.schedule'),
        p.id,
        'primary',
      ),
    );
  list.push(
    button(
      PLEDGE_ACTIONS.collected,
      say(p.kind === 'SPONSORSHIP' ? 'slack:pledge.money_received' : 'slack:pledge.collected'),
      p.id,
    ),
  );
  const cancel = button(PLEDGE_ACTIONS.cancel, say('slack:pledge.cancel'), p.id, 'danger');
  cancel.confirm = {
    title: { type: 'plain_text', text: say('slack:pledge.cancel_confirm_title').slice(0, 100) },
    text: { type: 'plain_text', text: say('slack:pledge.cancel_confirm', { reference: p.reference }) },
    confirm: { type: 'plain_text', text: say('slack:pledge.cancel') },
    deny: { type: 'plain_text', text: say('slack:modal.cancel') },
  };
  list.push(cancel);
  return list;
}

function fleet(p: PledgeView, say: Say): string {
  const parts = [
    p.fleetAge ? pledgeAnswer('fleet_age', p.fleetAge, say) : null,
    p.condition ? pledgeAnswer('fleet_condition', p.condition, say) : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The one-line summary of a pledge (notification text, title). */
export function pledgeTitle(p: PledgeView, say: Say): string {
  return say('slack:pledge.title', {
    reference: p.reference,
    kind: say(`slack:pledge_kind.${p.kind}`),
    donor: say(`slack:donor_kind.${p.donorKind}`),
  });
}

/**
 * The pledge card for the pledges channel. It never shows who the donor is or how to reach
 * them: coordinators read the contact in the admin API; the card says so.
 */
export function pledgeCard(
  p: PledgeView,
  say: Say,
  suggestion: PledgeSuggestion | null,
): { text: string; blocks: Block[] } {
  const items = p.items
    .map((i) => say('slack:pledge.item', { count: i.quantity, kind: say(`slack:pledge_item.${i.kind}`) }))
    .join(', ');
  const facts = [
    `*${say('slack:pledge.status_label')}*\n${say(`slack:pledge_status.${p.status}`)}`,
    ...(items ? [`*${say('slack:pledge.items')}*\n${items}`] : []),
    ...(p.postcode ? [`*${say('slack:pledge.postcode')}*\n${escapeMrkdwn(p.postcode)}`] : []),
    ...(p.pickupWindow ? [`*${say('slack:pledge.window')}*\n${pledgeAnswer('window', p.pickupWindow, say)}`] : []),
    ...(p.kind !== 'SPONSORSHIP'
      ? [`*${say('slack:pledge.certificate')}*\n${say(p.certificateRequired ? 'slack:pledge.yes' : 'slack:pledge.no')}`]
      : []),
    ...(p.fleetAge || p.condition ? [`*${say('slack:pledge.fleet')}*\n${fleet(p, say)}`] : []),
    ...(p.volumeM3 !== null ? [`*${say('slack:pledge.volume')}*\n${p.volumeM3} m³`] : []),
    ...(p.sponsorAmountCents !== null ? [`*${say('slack:pledge.amount')}*\n${formatEuros(p.sponsorAmountCents)}`] : []),
    ...(p.scheduledAt
      ? [
          `*${say('slack:pledge.scheduled')}*\n${slackDate(p.scheduledAt)}` +
            (p.refurbisher ? ` · ${escapeMrkdwn(p.refurbisher)}` : ''),
        ]
      : []),
  ];
  const title = pledgeTitle(p, say);
  const blocks: Block[] = [
    header(title),
    fields(facts),
    ...(suggestion && OPEN_STATUSES.includes(p.status)
      ? [
          section(
            say('slack:pledge.suggestion', {
              association: escapeMrkdwn(suggestion.associationName),
              kind: say(`slack:need_kind.${suggestion.kind}`),
              unmet: suggestion.unmet,
            }),
          ),
        ]
      : []),
    ...actions('pledge', pledgeButtons(p, say)),
    context(say('slack:pledge.contact_note', { reference: p.reference, id: p.id })),
  ];
  return { text: title, blocks };
}
