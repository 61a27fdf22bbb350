import type { App } from '@slack/bolt';
import { cancelAllocation, handOverDevice } from '../../../core/devices/handOverDevice.js';
import { claimRequest, releaseRequest } from '../../../core/requests/staffRequestActions.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { REQUEST_ACTIONS } from '../blocks/requestCard.js';
import type { SlackDeps } from '../slackDeps.js';
import { onRequestButton } from './requestButtons.js';

/** The one-click buttons of a request card: claim, release, handed over, cancel the allocation. */
export function registerRequestActions(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.claim, ({ staff, requestId }) =>
    runStaffAction(deps, (tx) => claimRequest(tx, { requestId, staff })),
  );
  onRequestButton(app, deps, REQUEST_ACTIONS.release, ({ staff, requestId }) =>
    runStaffAction(deps, (tx) => releaseRequest(tx, { requestId, staff })),
  );
  onRequestButton(app, deps, REQUEST_ACTIONS.handOver, ({ staff, requestId }) =>
    runStaffAction(deps, (tx) => handOverDevice(tx, { requestId, staff })),
  );
  onRequestButton(app, deps, REQUEST_ACTIONS.cancelAllocation, ({ staff, requestId }) =>
    runStaffAction(deps, (tx) => cancelAllocation(tx, { requestId, staff })),
  );
}
