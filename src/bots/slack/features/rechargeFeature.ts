import type { App } from '@slack/bolt';
import { z } from 'zod';
import { NotFound, RequestAlreadyServed, WrongRequestKind } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { giveRecharge } from '../../../core/recharges/giveRecharge.js';
import { requestView } from '../../../core/requests/requestQueries.js';
import { assertCanActOnRequest } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { REQUEST_ACTIONS } from '../blocks/requestCard.js';
import { RECHARGE_BLOCKS, RECHARGE_VIEW, parseAmount, rechargeModal } from '../modals/rechargeModal.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { onRequestButton } from './requestButtons.js';

const metadataSchema = z.object({ requestId: z.string().uuid() });
const kindSchema = z.enum(['voucher', 'topup']);

/**
 * Giving a recharge: the button opens the modal, the submission records the recharge and
 * queues the code to the person in one transaction. The acknowledgement closes the modal
 * and carries nothing back; the card later says "voucher sent", never the code.
 */
export function registerRecharge(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.recharge, async ({ staff, requestId, client, triggerId }) => {
    if (!triggerId) return;
    const view = await requestView(deps.db, requestId);
    if (!view) throw new NotFound('request');
    assertCanActOnRequest(staff, view);
    if (view.kind !== 'RECHARGE') throw new WrongRequestKind('RECHARGE');
    if (view.status !== 'OPEN' && view.status !== 'CLAIMED') throw new RequestAlreadyServed();
    await client.views.open({
      trigger_id: triggerId,
      view: rechargeModal({ requestId, reference: view.reference, wanted: view.wanted }, sayIn(deps, staff.language)),
    });
  });

  onSubmission(
    app,
    deps,
    RECHARGE_VIEW,
    RECHARGE_BLOCKS.code,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const { requestId } = metadataSchema.parse(metadata);
      const operator = state.text(RECHARGE_BLOCKS.operator, 'operator');
      const code = state.text(RECHARGE_BLOCKS.code, 'code');
      const amountCents = parseAmount(state.text(RECHARGE_BLOCKS.amount, 'amount'));
      const kind = kindSchema.safeParse(state.selected(RECHARGE_BLOCKS.kind, 'kind'));
      if (!operator) return { errors: { [RECHARGE_BLOCKS.operator]: say('slack:recharge.need_operator') } };
      if (amountCents === undefined) return { errors: { [RECHARGE_BLOCKS.amount]: say('slack:recharge.bad_amount') } };
      if (!code) return { errors: { [RECHARGE_BLOCKS.code]: say('slack:recharge.need_code') } };
      await runStaffAction(deps, async (tx) => {
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
        const result = await giveRecharge(
          tx,
          { i18n: deps.i18n, secrets: deps.secrets },
          { requestId, staff, operator, amountCents, kind: kind.success ? kind.data : 'voucher', code },
        );
        return { messages: [result.message], jobIds: result.jobIds };
      });
      return { close: true };
    },
  );
}
