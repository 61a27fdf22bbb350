import type { RequestView } from '../../../core/requests/requestQueries.js';
import { input, modal, option, section, textInput, type ModalView } from '../blocks/kit.js';
import { wantedNeed, wantedOperator, type Say } from '../blocks/requestCard.js';
import { escapeMrkdwn } from '../slackText.js';

export const RECHARGE_VIEW = 'give_recharge';
export const RECHARGE_BLOCKS = { operator: 'operator', amount: 'amount', kind: 'kind', code: 'code' } as const;

/**
 * The recharge modal: what the person asked (operator and need, as labels), the operator and
 * amount prefilled with it (a data pack has no amount: the volunteer types the price), whether
 * it is a voucher code or a top-up reference, and the code. The code goes to the person and is
 * never shown in Slack again.
 */
export function rechargeModal(
  m: { requestId: string; reference: string; wanted: RequestView['wanted'] },
  say: Say,
): ModalView {
  const { wanted } = m;
  const asked = wanted.operator || wanted.otherOperator || wanted.offer || wanted.amount;
  const amount = wanted.amount?.replace(/[^\d.,]/g, '');
  const voucher = option(say('slack:recharge.kind_voucher'), 'voucher');
  const topup = option(say('slack:recharge.kind_topup'), 'topup');
  return modal(
    RECHARGE_VIEW,
    say('slack:recharge.title'),
    [
      section(say('slack:recharge.intro', { reference: m.reference })),
      ...(asked
        ? [
            section(
              say('slack:card.wanted', {
                operator: escapeMrkdwn(wantedOperator(wanted, say)),
                need: wantedNeed(wanted, say),
              }),
            ),
          ]
        : []),
      input(
        RECHARGE_BLOCKS.operator,
        say('slack:recharge.operator'),
        textInput('operator', { maxLength: 40, ...(wanted.operator ? { initial: wanted.operator } : {}) }),
      ),
      input(
        RECHARGE_BLOCKS.amount,
        say('slack:recharge.amount'),
        textInput('amount', { maxLength: 8, placeholder: '10', ...(amount ? { initial: amount } : {}) }),
        { optional: true },
      ),
      input(RECHARGE_BLOCKS.kind, say('slack:recharge.kind'), {
        type: 'radio_buttons',
        action_id: 'kind',
        options: [voucher, topup],
        initial_option: voucher,
      }),
      input(RECHARGE_BLOCKS.code, say('slack:recharge.code'), textInput('code', { maxLength: 64 }), {
        hint: say('slack:recharge.code_hint'),
      }),
    ],
    { submit: say('slack:recharge.submit'), close: say('slack:modal.cancel'), metadata: { requestId: m.requestId } },
  );
}

/** "10", "10,50", "10.5 €" → cents; null when empty; undefined when not an amount (1 cent to 200 €). */
export function parseAmount(text: string | null): number | null | undefined {
  if (!text) return null;
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*€?$/.exec(text.trim());
  if (!match) return undefined;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return cents > 0 && cents <= 20_000 ? cents : undefined;
}
