import type { App } from '@slack/bolt';
import { z } from 'zod';
import { associationName, defaultMeetingPlace } from '../../../core/associations/associationQueries.js';
import { allocateDevice } from '../../../core/devices/allocateDevice.js';
import { devicesInStock, modelsInStock } from '../../../core/devices/stockQueries.js';
import { NotFound, RequestAlreadyServed, WrongRequestKind } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import { requestHeader } from '../../../core/requests/requestQueries.js';
import { assertCanActOnRequest, findStaffBySlackId, type StaffActor } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { REQUEST_ACTIONS } from '../blocks/requestCard.js';
import {
  ALLOCATE_BLOCKS,
  ALLOCATE_MODEL_FILTER,
  ALLOCATE_VIEW,
  allocateModal,
  modelFromFilter,
  type AllocateModalInput,
} from '../modals/allocateModal.js';
import { onSubmission, safeJson, type SubmissionOutcome } from '../modals/submission.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { onRequestButton } from './requestButtons.js';

/** an appointment a little in the past is a slip of the picker, not an error */
const PAST_TOLERANCE_MS = 10 * 60_000;

async function modalInput(
  deps: SlackDeps,
  staff: StaffActor,
  requestId: string,
  model: string | null,
): Promise<AllocateModalInput> {
  const request = await requestHeader(deps.db, requestId);
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(staff, request);
  if (request.kind !== 'PHONE') throw new WrongRequestKind('PHONE');
  if (request.status !== 'OPEN' && request.status !== 'CLAIMED') throw new RequestAlreadyServed();
  const associationId = request.associationId ?? staff.associationId;
  const [associationLabel, models, devices, defaultPlace] = await Promise.all([
    associationName(deps.db, associationId),
    modelsInStock(deps.db, associationId),
    devicesInStock(deps.db, associationId, { model, limit: 100 }),
    defaultMeetingPlace(deps.db, associationId),
  ]);
  return {
    requestId: request.id,
    reference: request.reference,
    associationId,
    associationName: associationLabel,
    models,
    devices,
    model,
    defaultPlace,
  };
}

const filterBody = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ id: z.string(), hash: z.string().optional(), private_metadata: z.string() }),
});
const filterAction = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() });
const metadataSchema = z.object({ requestId: z.string().uuid() });

/**
 * Allocating a device: the card's button opens the modal, the model filter re-renders its
 * device list in place (views.update), and the submission allocates in one transaction;
 * losers of a race see why in the modal.
 */
export function registerAllocation(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.allocate, async ({ staff, requestId, client, triggerId }) => {
    if (!triggerId) return;
    const view = allocateModal(await modalInput(deps, staff, requestId, null), sayIn(deps, staff.language));
    await client.views.open({ trigger_id: triggerId, view });
  });

  app.action(ALLOCATE_MODEL_FILTER, async ({ ack, body, action, client }) => {
    await ack();
    const parsed = filterBody.safeParse(body);
    const selected = filterAction.safeParse(action);
    if (!parsed.success || !selected.success) return;
    const staff = await findStaffBySlackId(deps.db, parsed.data.user.id);
    const metadata = metadataSchema.safeParse(safeJson(parsed.data.view.private_metadata));
    if (!staff || !metadata.success) return;
    try {
      const input = await modalInput(
        deps,
        staff,
        metadata.data.requestId,
        modelFromFilter(selected.data.selected_option?.value ?? null),
      );
      await client.views.update({
        view_id: parsed.data.view.id,
        ...(parsed.data.view.hash ? { hash: parsed.data.view.hash } : {}),
        view: allocateModal(input, sayIn(deps, staff.language)),
      });
    } catch (error) {
      // a stale hash means the volunteer changed the modal meanwhile: their latest choice wins
      deps.log.info({ err: errorSummary(error) }, 'allocation modal not re-rendered');
    }
  });

  onSubmission(
    app,
    deps,
    ALLOCATE_VIEW,
    ALLOCATE_BLOCKS.device,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const requestId = metadataSchema.parse(metadata).requestId;
      const deviceId = state.selected(ALLOCATE_BLOCKS.device, 'device');
      if (!deviceId) return { errors: { [state.blockOf(ALLOCATE_BLOCKS.device)]: say('slack:allocate.pick_device') } };
      const at = state.dateTime(ALLOCATE_BLOCKS.at, 'at');
      const place = state.text(ALLOCATE_BLOCKS.place, 'place');
      if (at && at.getTime() < Date.now() - PAST_TOLERANCE_MS)
        return { errors: { [ALLOCATE_BLOCKS.at]: say('slack:allocate.in_the_past') } };
      if (at && !place) return { errors: { [ALLOCATE_BLOCKS.place]: say('slack:allocate.need_place') } };
      await runStaffAction(deps, async (tx) => {
        // a submission delivered twice (client retry) must not allocate twice
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
        const result = await allocateDevice(tx, deps.i18n, {
          requestId,
          deviceId,
          staff,
          appointment: at && place ? { at, place } : null,
          timeZone: deps.config.TIME_ZONE,
        });
        return { messages: [result.message], jobIds: result.jobIds };
      });
      return { close: true };
    },
  );
}
