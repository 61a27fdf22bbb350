import type { App } from '@slack/bolt';
import { z } from 'zod';
import { InvalidTransition, NotFound } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { requestHeader } from '../../../core/requests/requestQueries.js';
import { CLOSE_REASONS, closeRequest } from '../../../core/requests/staffRequestActions.js';
import { assertCanActOnRequest } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { REQUEST_ACTIONS } from '../blocks/requestCard.js';
import { CLOSE_BLOCK, CLOSE_VIEW, closeModal } from '../modals/closeModal.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { onRequestButton } from './requestButtons.js';

const metadataSchema = z.object({ requestId: z.string().uuid() });
const reasonSchema = z.enum(CLOSE_REASONS);

/**
 * Closing a request: the button opens a modal asking why; the submission closes it (an allocated device returns to
 * stock).
 */
export function registerClose(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.close, async ({ staff, requestId, client, triggerId }) => {
    if (!triggerId) return;
    const request = await requestHeader(deps.db, requestId);
    if (!request) throw new NotFound('request');
    assertCanActOnRequest(staff, request);
    if (!['OPEN', 'CLAIMED', 'ALLOCATED'].includes(request.status))
      throw new InvalidTransition('request', request.status, 'CLOSED');
    await client.views.open({
      trigger_id: triggerId,
      view: closeModal(
        { requestId, reference: request.reference, allocated: request.status === 'ALLOCATED' },
        sayIn(deps, staff.language),
      ),
    });
  });

  onSubmission(
    app,
    deps,
    CLOSE_VIEW,
    CLOSE_BLOCK,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const { requestId } = metadataSchema.parse(metadata);
      const reason = reasonSchema.safeParse(state.selected(CLOSE_BLOCK, 'reason'));
      if (!reason.success) return { errors: { [CLOSE_BLOCK]: say('slack:close.need_reason') } };
      await runStaffAction(deps, async (tx) => {
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
        return closeRequest(tx, deps.i18n, { requestId, staff, reason: reason.data });
      });
      return { close: true };
    },
  );
}
