import { buildAnnouncementTasks } from './announcements/announcementTasks.js';
import type { Config } from './config.js';
import type { Db } from './db.js';
import { buildFollowUpTasks, type FollowUpTaskDeps } from './followUps/followUpTasks.js';
import { buildHeldReplayTasks, type HeldReplayDeps } from './inbound/heldReplayTask.js';
import type { I18n } from './i18n/i18n.js';
import type { Secrets } from './secrets.js';
import { buildPledgeTasks } from './pledges/pledgeTasks.js';
import type { TaskHandlers } from './queue/taskWorker.js';
import { wipeDeliveredVoucher } from './recharges/voucherWipe.js';
import { buildRequestTasks } from './requests/requestTasks.js';
import { purgeExpiredData } from './retention/retentionPurge.js';
import { STAFF_ALERT_TASK } from './staff/staffAlerts.js';
import { REQUEST_ASSIGNED_TASK } from './requests/assignRequest.js';

/**
 * Background tasks of the core domains, by name. Tasks emitted for a channel that is not
 * configured (e.g. `request.created` without Slack) have a no-op here so they complete.
 */
export function buildCoreTasks(
  deps: { db: Db; config: Config; i18n: I18n; secrets: Secrets } & FollowUpTaskDeps & HeldReplayDeps,
): TaskHandlers {
  return {
    ...buildHeldReplayTasks(deps),
    ...buildRequestTasks(deps),
    ...buildFollowUpTasks(deps),
    ...buildPledgeTasks(deps),
    ...buildAnnouncementTasks(deps),
    purgeExpiredData: async () => purgeExpiredData(deps.db, deps.config),
    'recharge.wipeVoucher': async (data) => {
      const result = await wipeDeliveredVoucher(deps.db, data, { retentionDays: deps.config.MESSAGE_RETENTION_DAYS });
      await deps.dispatcher?.dispatchJobs(result.jobIds);
      return result.outcome;
    },
    'request.created': async () => 'no staff channel configured',
    'request.changed': async () => 'no staff channel configured',
    'request.transferred': async () => 'no staff channel configured',
    'request.message': async () => 'no staff channel configured',
    [REQUEST_ASSIGNED_TASK]: async () => 'no staff channel configured',
    [STAFF_ALERT_TASK]: async () => 'no staff channel configured',
    'pledge.created': async () => 'no staff channel configured',
    'pledge.changed': async () => 'no staff channel configured',
  };
}
