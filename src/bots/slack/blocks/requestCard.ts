import type { RequestView } from '../../../core/requests/requestQueries.js';
import { formatEuros } from '../../../core/recharges/giveRecharge.js';
import { escapeMrkdwn, slackDate } from '../slackText.js';
import {
  actions,
  button,
  context,
  fields,
  header,
  option,
  overflow,
  section,
  type ActionElement,
  type Block,
} from './kit.js';

/** Staff text in one language (see staff-locales/). */
export type Say = (key: string, params?: Record<string, string | number>) => string;

/** Action ids of the request card; the value of each is the request id. */
export const REQUEST_ACTIONS = {
  claim: 'request.claim',
  release: 'request.release',
  reply: 'request.reply',
  allocate: 'request.allocate',
  handOver: 'request.hand_over',
  cancelAllocation: 'request.cancel_allocation',
  recharge: 'request.recharge',
  close: 'request.close',
  more: 'request.more',
  assign: 'request.assign',
  reschedule: 'request.reschedule',
} as const;

/** Values of the card's overflow menu (the request id follows the colon). */
export const MORE_OPTIONS = { transfer: 'transfer' } as const;

/** A short line naming a request: "📱 Phone request P-1042". */
export function requestTitle(view: Pick<RequestView, 'kind' | 'reference'>, say: Say): string {
  return say('slack:card.title', { kind: say(`slack:kind.${view.kind}`), reference: view.reference });
}

function languageName(language: string | null, say: Say): string {
  return language
    ? say(`slack:language.${language}`, { defaultValue: escapeMrkdwn(language) })
    : say('slack:language.unknown');
}

/** The operator a person asked for, as they named it ("another one" when they gave no name). */
export function wantedOperator(wanted: RequestView['wanted'], say: Say): string {
  return wanted.operator ?? (wanted.otherOperator ? say('slack:card.other_operator') : '–');
}

/** What a person asked for a recharge: "10 € credit", "Internet 4 GB"… */
export function wantedNeed(wanted: RequestView['wanted'], say: Say): string {
  if (wanted.offer) return say(`slack:recharge_offer.${wanted.offer}`);
  return wanted.amount ? say('slack:card.amount_euros', { amount: escapeMrkdwn(wanted.amount) }) : '–';
}

function buttonsFor(view: RequestView, say: Say): ActionElement[] {
  const id = view.id;
  const open = view.status === 'OPEN' || view.status === 'CLAIMED';
  const out: ActionElement[] = [];
  if (view.status === 'OPEN') out.push(button(REQUEST_ACTIONS.claim, say('slack:actions.claim'), id, 'primary'));
  if (view.status === 'CLAIMED') out.push(button(REQUEST_ACTIONS.release, say('slack:actions.release'), id));
  if (view.status !== 'CANCELLED') out.push(button(REQUEST_ACTIONS.reply, say('slack:actions.reply'), id));
  if (view.kind === 'PHONE' && open)
    out.push(
      button(
        REQUEST_ACTIONS.allocate,
        say('slack:actions.allocate'),
        id,
        view.status === 'CLAIMED' ? 'primary' : undefined,
      ),
    );
  if (view.kind === 'PHONE' && view.status === 'ALLOCATED') {
    out.push(button(REQUEST_ACTIONS.handOver, say('slack:actions.hand_over'), id, 'primary'));
    out.push(button(REQUEST_ACTIONS.cancelAllocation, say('slack:actions.cancel_allocation'), id));
  }
  if (view.kind === 'RECHARGE' && open)
    out.push(
      button(
        REQUEST_ACTIONS.recharge,
        say('slack:actions.recharge'),
        id,
        view.status === 'CLAIMED' ? 'primary' : undefined,
      ),
    );
  if (open || view.status === 'ALLOCATED') out.push(button(REQUEST_ACTIONS.assign, say('slack:assign.button'), id));
  if (open || view.status === 'ALLOCATED')
    out.push(button(REQUEST_ACTIONS.close, say('slack:actions.close'), id, 'danger'));
  if (open)
    out.push(overflow(REQUEST_ACTIONS.more, [option(say('slack:actions.transfer'), `${MORE_OPTIONS.transfer}:${id}`)]));
  return out;
}

function situation(view: RequestView, say: Say): string[] {
  const lines: string[] = [];
  if (view.flaggedReason)
    lines.push(
      say('slack:card.flagged', {
        reason: say(`slack:flag.${view.flaggedReason}`, { defaultValue: escapeMrkdwn(view.flaggedReason) }),
      }),
    );
  if (
    view.kind === 'RECHARGE' &&
    (view.wanted.operator || view.wanted.otherOperator || view.wanted.offer || view.wanted.amount)
  )
    lines.push(
      say('slack:card.wanted', {
        operator: escapeMrkdwn(wantedOperator(view.wanted, say)),
        need: wantedNeed(view.wanted, say),
      }),
    );
  const a = view.allocation;
  if (a) {
    lines.push(
      say('slack:card.device', {
        model: escapeMrkdwn(a.model),
        grade: escapeMrkdwn(a.grade ?? '–'),
        tail: escapeMrkdwn(a.tail || '????'),
      }),
    );
    if (a.appointmentAt)
      lines.push(
        say('slack:card.appointment', { date: slackDate(a.appointmentAt), place: escapeMrkdwn(a.place ?? '–') }),
      );
  }
  if (view.followUp)
    lines.push(say(`slack:followup.card.${view.followUp.kind}`, { date: slackDate(view.followUp.at) }));
  const r = view.recharge;
  if (r)
    lines.push(
      say(`slack:card.recharge_${r.voucher}`, {
        operator: escapeMrkdwn(r.operator),
        amount: r.amountCents === null ? '' : formatEuros(r.amountCents),
      }),
    );
  if (view.accountLinkedAt) lines.push(say('slack:card.account_linked', { date: slackDate(view.accountLinkedAt) }));
  if (view.closeReason && (view.status === 'CLOSED' || view.status === 'CANCELLED'))
    lines.push(
      say('slack:card.closed_because', {
        reason: say(`slack:close_reason.${view.closeReason}`, { defaultValue: escapeMrkdwn(view.closeReason) }),
      }),
    );
  return lines;
}

/**
 * The card of a request in its association's channel (or an ephemeral copy): essentials in
 * the reader's language and the buttons that make sense in the current status. Shows no
 * phone number, platform id or message text.
 */
export function requestCard(view: RequestView, say: Say): { text: string; blocks: Block[] } {
  const title = requestTitle(view, say);
  const status = say(`slack:status.${view.status}`);
  const blocks: Block[] = [
    header(title),
    fields([
      `*${say('slack:card.status')}*\n${status}`,
      `*${say('slack:card.urgency')}*\n${say(`slack:urgency.${view.urgency}`)}`,
      `*${say('slack:card.language')}*\n${languageName(view.language, say)}`,
      `*${say('slack:card.received')}*\n${slackDate(view.createdAt, '{ago}')}`,
      `*${say('slack:card.assignee')}*\n` +
        (view.assigneeSlackId ? `<@${view.assigneeSlackId}>` : say('slack:card.nobody')),
      `*${say('slack:card.association')}*\n` +
        (view.associationName === null ? say('slack:card.triage') : escapeMrkdwn(view.associationName)),
    ]),
  ];
  const lines = situation(view, say);
  if (lines.length > 0) blocks.push(section(lines.join('\n')));
  blocks.push(...actions(`request:${view.id}`, buttonsFor(view, say)));
  blocks.push(context(say('slack:card.footer', { reference: view.reference })));
  return { text: say('slack:card.fallback', { title, status }), blocks };
}
