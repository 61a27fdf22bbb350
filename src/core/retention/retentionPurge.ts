import { Prisma } from '../../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import { eraseContact } from '../contacts/contactService.js';
import { recordAudit } from '../audit/auditTrail.js';

export interface PurgeCounts {
  messageContents: number;
  requestDetails: number;
  donorDetails: number;
  inactiveContacts: number;
  blankContacts: number;
  processedEvents: number;
}

const DAY = 86_400_000;
/** platforms retry within minutes (Slack: up to 5 min); a week of idempotency keys is plenty */
const PROCESSED_EVENT_DAYS = 7;

/**
 * Applies the retention periods: message contents after MESSAGE_RETENTION_DAYS, details of
 * closed requests after REQUEST_RETENTION_DAYS, donor contact details after
 * DONOR_RETENTION_DAYS from closing, people silent for INACTIVE_CONTACT_RETENTION_DAYS are
 * erased, blank contacts (never chose a language, or left after erasure) after a day.
 * Counts (requests, devices, pledges) stay, unlinked from anyone.
 */
export async function purgeExpiredData(db: Db, config: Config, now = new Date()): Promise<PurgeCounts> {
  const messages = await db.message.updateMany({
    where: { createdAt: { lt: new Date(now.getTime() - config.MESSAGE_RETENTION_DAYS * DAY) }, contentPurgedAt: null },
    data: { content: Prisma.DbNull, contentPurgedAt: now },
  });
  const requests = await db.request.updateMany({
    where: {
      status: { in: ['SERVED', 'CLOSED', 'CANCELLED'] },
      closedAt: { lt: new Date(now.getTime() - config.REQUEST_RETENTION_DAYS * DAY) },
      NOT: { details: { equals: {} } },
    },
    data: { details: {}, flaggedReason: null },
  });
  const donors = await db.pledge.updateMany({
    where: {
      closedAt: { lt: new Date(now.getTime() - config.DONOR_RETENTION_DAYS * DAY) },
      donorDetailsErasedAt: null,
    },
    data: { donorDetails: { erased: true }, donorDetailsErasedAt: now, contactId: null },
  });
  const inactive = await db.contact.findMany({
    where: {
      status: { in: ['ACTIVE', 'PAUSED'] },
      lastSeenAt: { lt: new Date(now.getTime() - config.INACTIVE_CONTACT_RETENTION_DAYS * DAY) },
    },
    select: { id: true },
    take: 500,
  });
  for (const contact of inactive) {
    await db.$transaction(async (tx) => {
      await eraseContact(tx, contact.id, null);
    });
  }
  const blank = await db.contact.deleteMany({
    where: {
      status: 'ACTIVE',
      language: null,
      lastSeenAt: { lt: new Date(now.getTime() - DAY) },
      requests: { none: {} },
      pledges: { none: {} },
    },
  });
  const processed = await db.processedEvent.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - PROCESSED_EVENT_DAYS * DAY) } },
  });
  const counts = {
    messageContents: messages.count,
    requestDetails: requests.count,
    donorDetails: donors.count,
    inactiveContacts: inactive.length,
    blankContacts: blank.count,
    processedEvents: processed.count,
  };
  await db.$transaction(async (tx) =>
    recordAudit(tx, { actorType: 'SYSTEM', action: 'retention.purged', entityType: 'System', data: { ...counts } }),
  );
  return counts;
}
