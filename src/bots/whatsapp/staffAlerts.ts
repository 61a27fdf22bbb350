import type { Logger } from 'pino';
import type { Db } from '../../core/db.js';
import { errorSummary, type OutboxDispatcher } from '../../core/outbound/outboxDispatcher.js';
import { queueStaffAlert } from '../../core/staff/staffAlerts.js';

/** Why the WhatsApp session needs a person: stable codes, rendered by the staff channel (Slack). */
export type WhatsAppAlertCode =
  /** the phone unlinked this browser, or the saved session was refused: scan the QR again */
  | 'whatsapp_logged_out'
  /** a QR code waits to be scanned (first start, or after a logout) */
  | 'whatsapp_login_required'
  /** the client does not reach `ready` (often after a WhatsApp Web update): it keeps retrying */
  | 'whatsapp_not_ready'
  /** WhatsApp blocked the number (terms of service) */
  | 'whatsapp_blocked';

/**
 * Tells staff the WhatsApp session needs them, through the `staff.alert` task (the Slack
 * adapter posts it; without Slack the core handler completes it and the warning log remains).
 * Each code is raised once until the session is ready again, so a flapping session does not
 * flood the alerts channel.
 */
export class StaffAlerts {
  private readonly raised = new Set<WhatsAppAlertCode>();

  constructor(private readonly deps: { db: Db; dispatcher: OutboxDispatcher; log: Logger; clientId: string }) {}

  async raise(code: WhatsAppAlertCode): Promise<void> {
    if (this.raised.has(code)) return;
    this.raised.add(code);
    const { db, dispatcher, log, clientId } = this.deps;
    log.warn({ alert: code, channel: 'WHATSAPP', clientId }, 'WhatsApp session needs staff attention');
    try {
      const id = await db.$transaction((tx) => queueStaffAlert(tx, code, { channel: 'WHATSAPP', clientId }));
      await dispatcher.dispatchJobs([id]);
    } catch (error) {
      log.error({ err: errorSummary(error), alert: code }, 'could not record the staff alert');
    }
  }

  /** The session is back: the next problem is news again. */
  reset(): void {
    this.raised.clear();
  }
}
