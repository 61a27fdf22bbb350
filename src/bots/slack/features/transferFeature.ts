import type { App } from '@slack/bolt';
import { z } from 'zod';
import { associationName, otherAssociations } from '../../../core/associations/associationQueries.js';
import { devicesInStock } from '../../../core/devices/stockQueries.js';
import { transferDevices } from '../../../core/devices/transferDevices.js';
import { Forbidden, NotFound } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { requestHeader } from '../../../core/requests/requestQueries.js';
import { transferRequest } from '../../../core/requests/staffRequestActions.js';
import { assertCanTransferFrom, findStaffBySlackId } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { MORE_OPTIONS, REQUEST_ACTIONS } from '../blocks/requestCard.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import {
  TRANSFER_BLOCKS,
  TRANSFER_DEVICES_VIEW,
  TRANSFER_REQUEST_VIEW,
  transferDevicesModal,
  transferRequestModal,
} from '../modals/transferModals.js';
import { sayIn, type SlackDeps } from '../slackDeps.js';
import { escapeMrkdwn } from '../slackText.js';
import { tellUser, unknownUserText } from '../staffGate.js';
import { onRequestButton } from './requestButtons.js';

/** Button of `/relais stock` and App Home that opens the device transfer modal (value: unused). */
export const TRANSFER_DEVICES_ACTION = 'stock.transfer';

const overflowValue = z.object({ selected_option: z.object({ value: z.string() }) });
const requestMetadata = z.object({ requestId: z.string().uuid() });
const devicesMetadata = z.object({ fromAssociationId: z.string().uuid() });

/** Coordinators move requests (card overflow menu) and devices in stock (stock button) to another association. */
export function registerTransfers(app: App, deps: SlackDeps): void {
  onRequestButton(
    app,
    deps,
    REQUEST_ACTIONS.more,
    async ({ staff, requestId, client, triggerId }) => {
      if (!triggerId) return;
      const request = await requestHeader(deps.db, requestId);
      if (!request) throw new NotFound('request');
      assertCanTransferFrom(staff, request.associationId);
      const associations = await otherAssociations(deps.db, request.associationId);
      await client.views.open({
        trigger_id: triggerId,
        view: transferRequestModal(
          { requestId, reference: request.reference, associations },
          sayIn(deps, staff.language),
        ),
      });
    },
    (action) => {
      const parsed = overflowValue.safeParse(action);
      const [option, id] = parsed.success ? parsed.data.selected_option.value.split(':') : [];
      return option === MORE_OPTIONS.transfer && id && z.string().uuid().safeParse(id).success ? id : null;
    },
  );

  onSubmission(
    app,
    deps,
    TRANSFER_REQUEST_VIEW,
    TRANSFER_BLOCKS.target,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const { requestId } = requestMetadata.parse(metadata);
      const target = state.selected(TRANSFER_BLOCKS.target, 'target');
      if (!target) return { errors: { [TRANSFER_BLOCKS.target]: say('slack:transfer.need_target') } };
      await runStaffAction(deps, async (tx) => {
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
        return transferRequest(tx, { requestId, toAssociationId: target, staff });
      });
      return { close: true };
    },
  );

  app.action(TRANSFER_DEVICES_ACTION, async ({ ack, body, client }) => {
    await ack();
    const parsed = z
      .object({
        user: z.object({ id: z.string() }),
        trigger_id: z.string(),
        channel: z.object({ id: z.string() }).optional(),
      })
      .safeParse(body);
    if (!parsed.success) return;
    const staff = await findStaffBySlackId(deps.db, parsed.data.user.id);
    const audience = { userId: parsed.data.user.id, channelId: parsed.data.channel?.id };
    const say = sayIn(deps, staff?.language);
    if (!staff) {
      await tellUser(client, audience, unknownUserText(deps));
      return;
    }
    if (staff.role === 'VOLUNTEER') {
      await tellUser(client, audience, say(`slack:errors.${new Forbidden().code}`));
      return;
    }
    const [devices, associations] = await Promise.all([
      devicesInStock(deps.db, staff.associationId, { limit: 100 }),
      otherAssociations(deps.db, staff.associationId),
    ]);
    if (devices.length === 0) {
      await tellUser(client, audience, say('slack:stock.empty'));
      return;
    }
    await client.views.open({
      trigger_id: parsed.data.trigger_id,
      view: transferDevicesModal({ fromAssociationId: staff.associationId, devices, associations }, say),
    });
  });

  onSubmission(
    app,
    deps,
    TRANSFER_DEVICES_VIEW,
    TRANSFER_BLOCKS.devices,
    async ({ staff, say, state, metadata, viewId, client }): Promise<SubmissionOutcome> => {
      const { fromAssociationId } = devicesMetadata.parse(metadata);
      const deviceIds = state
        .selectedMany(TRANSFER_BLOCKS.devices, 'devices')
        .filter((id) => z.string().uuid().safeParse(id).success);
      const target = state.selected(TRANSFER_BLOCKS.target, 'target');
      if (deviceIds.length === 0) return { errors: { [TRANSFER_BLOCKS.devices]: say('slack:allocate.pick_device') } };
      if (!target) return { errors: { [TRANSFER_BLOCKS.target]: say('slack:transfer.need_target') } };
      const result = await runStaffAction(deps, async (tx) => {
        if (!(await claimOnce(tx, `slack:view:${viewId}`))) return { moved: [], jobIds: [] };
        return {
          ...(await transferDevices(tx, { deviceIds, fromAssociationId, toAssociationId: target, staff })),
          jobIds: [],
        };
      });
      const targetName = await associationName(deps.db, target).catch(() => '');
      await tellUser(
        client,
        { userId: staff.slackUserId },
        say('slack:transfer.devices_moved', { count: result.moved.length, association: escapeMrkdwn(targetName) }),
      );
      return { close: true };
    },
  );
}
