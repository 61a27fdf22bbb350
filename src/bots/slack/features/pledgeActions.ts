import type { App } from '@slack/bolt';
import { z } from 'zod';
import { InvalidTransition, NotFound, WrongRequestKind } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { changePledgeStatus } from '../../../core/pledges/pledgeService.js';
import { OPEN_PLEDGE_STATUSES } from '../../../core/pledges/pledgeStatus.js';
import { pledgeView } from '../../../core/pledges/pledgeView.js';
import { assertCanManagePledges, canManagePledges } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { PLEDGE_ACTIONS } from '../blocks/pledgeCard.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { REFURBISHER_MAX, SCHEDULE_BLOCKS, SCHEDULE_VIEW, scheduleModal } from '../modals/scheduleModal.js';
import { tellUser } from '../staffGate.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { onRequestButton, type ButtonContext } from './requestButtons.js';

const metadataSchema = z.object({ pledgeId: z.string().uuid() });
const OPEN = OPEN_PLEDGE_STATUSES;
/** a pickup a few minutes in the past is a slow click, not a mistake */
const PAST_TOLERANCE_MS = 10 * 60_000;

/**
 * A pledge-card button: only coordinators and admins act on pledges; a volunteer is told so
 * politely and nothing changes. (The card button's value is the pledge id.)
 */
function onPledgeButton(
  app: App,
  deps: SlackDeps,
  actionId: string,
  perform: (ctx: ButtonContext & { pledgeId: string }) => Promise<unknown>,
): void {
  onRequestButton(app, deps, actionId, async (ctx) => {
    if (!canManagePledges(ctx.staff)) {
      await tellUser(ctx.client, ctx.audience, sayIn(deps, ctx.staff.language)('slack:pledge.coordinators_only'));
      return;
    }
    await perform({ ...ctx, pledgeId: ctx.requestId });
  });
}

/**
 * Moves a pledge from a card button; the card and the donor's message follow from the tasks changePledgeStatus queues.
 */
async function moveFromButton(
  deps: SlackDeps,
  ctx: ButtonContext & { pledgeId: string },
  to: 'COLLECTED' | 'CANCELLED',
): Promise<void> {
  await runStaffAction(deps, async (tx) => {
    assertCanManagePledges(ctx.staff);
    return changePledgeStatus(tx, ctx.pledgeId, { to, actor: { type: 'STAFF', id: ctx.staff.id }, expectFrom: OPEN });
  });
}

/**
 * Pledge cards: "Schedule pickup" opens a modal (date-time, refurbisher) whose submission
 * moves the pledge to SCHEDULED (the donor is told by the core's donor update task);
 * "Mark collected" and "Cancel" act at once. Every change is audited with the staff id by
 * changePledgeStatus; a replayed submission (same view id) has no second effect.
 */
export function registerPledgeActions(app: App, deps: SlackDeps): void {
  onPledgeButton(app, deps, PLEDGE_ACTIONS.schedule, async ({ staff, pledgeId, client, triggerId }) => {
    if (!triggerId) return;
    const pledge = await pledgeView(deps.db, pledgeId);
    if (!pledge) throw new NotFound('pledge');
    if (pledge.kind !== 'EQUIPMENT' && pledge.kind !== 'PICKUP') throw new WrongRequestKind('EQUIPMENT');
    if (!OPEN.includes(pledge.status)) throw new InvalidTransition('pledge', pledge.status, 'SCHEDULED');
    await client.views.open({
      trigger_id: triggerId,
      view: scheduleModal(
        { pledgeId, reference: pledge.reference, scheduledAt: pledge.scheduledAt, refurbisher: pledge.refurbisher },
        sayIn(deps, staff.language),
      ),
    });
  });
  onPledgeButton(app, deps, PLEDGE_ACTIONS.collected, (ctx) => moveFromButton(deps, ctx, 'COLLECTED'));
  onPledgeButton(app, deps, PLEDGE_ACTIONS.cancel, (ctx) => moveFromButton(deps, ctx, 'CANCELLED'));

  onSubmission(
    app,
    deps,
    SCHEDULE_VIEW,
    SCHEDULE_BLOCKS.at,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const { pledgeId } = metadataSchema.parse(metadata);
      if (!canManagePledges(staff)) return { errors: { [SCHEDULE_BLOCKS.at]: say('slack:pledge.coordinators_only') } };
      const at = state.dateTime(SCHEDULE_BLOCKS.at, 'at');
      const refurbisher = state.text(SCHEDULE_BLOCKS.refurbisher, 'refurbisher');
      if (!at) return { errors: { [SCHEDULE_BLOCKS.at]: say('slack:schedule.need_date') } };
      if (at.getTime() < Date.now() - PAST_TOLERANCE_MS)
        return { errors: { [SCHEDULE_BLOCKS.at]: say('slack:allocate.in_the_past') } };
      if (!refurbisher || refurbisher.length > REFURBISHER_MAX)
        return { errors: { [SCHEDULE_BLOCKS.refurbisher]: say('slack:schedule.need_refurbisher') } };
      await runStaffAction(deps, async (tx) => {
        // a submission delivered twice (client retry) must not schedule (and tell the donor) twice
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
        return changePledgeStatus(tx, pledgeId, {
          to: 'SCHEDULED',
          actor: { type: 'STAFF', id: staff.id },
          expectFrom: OPEN,
          scheduledAt: at,
          refurbisher,
        });
      });
      return { close: true };
    },
  );
}
