import { OPERATOR_BRANDS, OPERATORS, RECHARGE_OFFERS } from '../core/requests/requestDetails.js';
import type { ChoiceSpec, FlowData, FlowDefinition, JsonValue, ReplyParam, StepOutcome } from './engine/flowTypes.js';
import { readEvent } from './engine/readEvent.js';
import { clipText, cutNotice } from './textLimits.js';
import { keyedChoices, pick, summaryChoices, text } from './commonChoices.js';

const OPERATOR_NAME_MAX = 40;

function operatorChoices(): ChoiceSpec[] {
  return OPERATORS.map((id) => {
    const brand = OPERATOR_BRANDS[id];
    return brand ? { id, label: brand } : { id, labelKey: 'recharge:operator_other' };
  });
}

function operatorParam(data: FlowData): ReplyParam {
  const operator = pick(text(data, 'operator'), OPERATORS) ?? 'other';
  return OPERATOR_BRANDS[operator] ?? text(data, 'operatorOther') ?? { t: 'recharge:operator_other' };
}

function requestDetails(data: FlowData): Record<string, JsonValue> {
  const other = text(data, 'operatorOther');
  return { operator: data.operator ?? null, offer: data.offer ?? null, ...(other ? { operatorOther: other } : {}) };
}

/**
 * "I need credit": the operator, an amount or a data pack, confirm; then a RECHARGE request.
 * Over the quota (RECHARGE_QUOTA_COUNT per RECHARGE_QUOTA_DAYS, counted by the core in the
 * database) the request is still recorded, flagged for a volunteer, and the person is told kindly.
 */
export const rechargeRequestFlow: FlowDefinition = {
  name: 'recharge',
  start: 'operator',
  steps: {
    operator: {
      prompt: () => [{ key: 'recharge:operator', choices: operatorChoices() }],
      onInput: (input): StepOutcome => {
        const operator = pick(input.choiceId, OPERATORS);
        if (!operator) return { status: 'invalid' };
        return {
          status: 'next',
          step: operator === 'other' ? 'operatorName' : 'offer',
          data: { operator, operatorOther: null },
        };
      },
    },
    operatorName: {
      prompt: () => [{ key: 'recharge:operator_name' }],
      onInput: (input): StepOutcome => {
        if (!input.text) return { status: 'invalid', hintKey: 'recharge:operator_name' };
        const operator = clipText(input.text, OPERATOR_NAME_MAX);
        return { status: 'next', step: 'offer', data: { operatorOther: operator.text }, replies: cutNotice(operator) };
      },
    },
    offer: {
      prompt: () => [{ key: 'recharge:offer', choices: keyedChoices(RECHARGE_OFFERS, 'recharge:offer_') }],
      onInput: (input): StepOutcome => {
        const offer = pick(input.choiceId, RECHARGE_OFFERS);
        return offer ? { status: 'next', step: 'confirm', data: { offer } } : { status: 'invalid' };
      },
    },
    confirm: {
      prompt: (_ctx, data) => [
        {
          key: 'recharge:summary',
          params: { operator: operatorParam(data), offer: { t: `recharge:offer_${text(data, 'offer') ?? 'eur5'}` } },
          choices: summaryChoices('recharge'),
        },
      ],
      onInput: (input, ctx, data): StepOutcome => {
        const created = readEvent(input, 'requestCreated');
        if (created) {
          const { count, days } = ctx.settings.rechargeQuota;
          return {
            status: 'done',
            replies: [
              { key: 'recharge:created', params: { reference: created.reference } },
              created.flaggedReason === 'over_quota'
                ? { key: 'recharge:over_quota', params: { count, days } }
                : { key: 'recharge:next_step' },
            ],
          };
        }
        if (input.choiceId === 'restart') return { status: 'next', step: 'operator' };
        if (input.choiceId === 'cancel') return { status: 'done', replies: [{ key: 'recharge:cancelled' }] };
        if (input.choiceId !== 'send') return { status: 'invalid' };
        return {
          status: 'wait',
          commands: [
            {
              type: 'createRequest',
              id: ctx.commandId('createRequest'),
              kind: 'RECHARGE',
              details: requestDetails(data),
            },
          ],
        };
      },
    },
  },
};
