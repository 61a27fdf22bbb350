import type { Tx } from '../db.js';
import { enqueueTask } from '../queue/enqueueTask.js';

/**
 * Task that warns staff (`code` names the problem, rendered from staff-locales `slack:alerts.*`).
 * The Slack app posts it to the alerts channel; without Slack the core handler completes it.
 */
export const STAFF_ALERT_TASK = 'staff.alert';

/**
 * Queues a staff alert in the caller's transaction; ids and codes only, never personal data. Returns the outbox task
 * id.
 */
export function queueStaffAlert(
  tx: Tx,
  code: string,
  details: { channel?: string; clientId?: string } = {},
): Promise<string> {
  return enqueueTask(tx, STAFF_ALERT_TASK, { code, ...details });
}
