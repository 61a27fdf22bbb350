import type { Tx } from '../db.js';
import type { Secrets } from '../secrets.js';
import type { Channel } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';
import { Prisma } from '../../generated/prisma/client.js';
import { createIdentity } from './contactSql.js';

export interface ResolvedIdentity {
  identityId: string;
  contactId: string;
  language: string | null;
  kind: 'BENEFICIARY' | 'DONOR';
  associationId: string | null;
  consented: boolean;
  lastSeenAt: Date;
  isNew: boolean;
}

/**
 * Finds the person behind a platform id, creating a blank pseudonymous contact on first
 * contact. Only the keyed hash and the encrypted address of the platform id are stored.
 */
export async function resolveIdentity(
  tx: Tx,
  secrets: Secrets,
  channel: Channel,
  platformId: string,
): Promise<ResolvedIdentity> {
  const platformIdHash = secrets.hash(`${channel}:${platformId}`);
  const find = () =>
    tx.channelIdentity.findUnique({
      where: { channel_platformIdHash: { channel, platformIdHash } },
      select: {
        id: true,
        contact: {
          select: { id: true, language: true, kind: true, associationId: true, consentAt: true, lastSeenAt: true },
        },
      },
    });
  let found = await find();
  let isNew = false;
  if (!found) {
    isNew = await createIdentity(tx, { channel, platformIdHash, addressCipher: secrets.encrypt(platformId) });
    // created here, or by a concurrent first message of the same person
    found = await find();
    if (!found) throw new Error('identity neither created nor found');
  }
  const c = found.contact;
  return {
    identityId: found.id,
    contactId: c.id,
    language: c.language,
    kind: c.kind,
    associationId: c.associationId,
    consented: c.consentAt !== null,
    lastSeenAt: c.lastSeenAt,
    isNew,
  };
}

/** Looks up an identity by platform id without creating anything. */
export async function findIdentity(tx: Tx, secrets: Secrets, channel: Channel, platformId: string) {
  return tx.channelIdentity.findUnique({
    where: { channel_platformIdHash: { channel, platformIdHash: secrets.hash(`${channel}:${platformId}`) } },
    select: { id: true, contactId: true },
  });
}

/**
 * Erases a person's personal data (GDPR art. 17): conversation, message contents, codes,
 * follow-ups, request details; open requests are cancelled; anonymous counts stay (requests
 * keep kind/status/dates without a link to anyone). The identity the person is writing from
 * moves to a fresh blank contact so the goodbye can be delivered; blank contacts are purged
 * by the retention job after a day without activity.
 */
export async function eraseContact(
  tx: Tx,
  contactId: string,
  identityId: string | null,
): Promise<{ newContactId: string | null }> {
  const now = new Date();
  await tx.message.updateMany({
    where: { contactId },
    data: { content: Prisma.DbNull, contentPurgedAt: now, contactId: null },
  });
  await tx.conversation.deleteMany({ where: { contactId } });
  await tx.reconnectCode.deleteMany({ where: { contactId } });
  await tx.followUp.deleteMany({ where: { contactId } });
  // announcements not yet written for them are not sent (those written lose their content above)
  await tx.announcementRecipient.deleteMany({ where: { contactId, status: 'WAITING' } });
  await tx.request.updateMany({
    where: { contactId, status: { in: ['OPEN', 'CLAIMED'] } },
    data: { status: 'CANCELLED', closeReason: 'erased', closedAt: now },
  });
  await tx.request.updateMany({ where: { contactId }, data: { contactId: null, details: {}, flaggedReason: null } });
  await tx.pledge.updateMany({
    where: { contactId },
    data: { contactId: null, donorDetails: { erased: true }, donorDetailsErasedAt: now },
  });
  let newContactId: string | null = null;
  if (identityId) {
    const blank = await tx.contact.create({ data: {}, select: { id: true } });
    newContactId = blank.id;
    await tx.channelIdentity.update({
      where: { id: identityId },
      data: { contactId: blank.id, profileIds: [blank.id] },
    });
  }
  await tx.channelIdentity.deleteMany({ where: { contactId } });
  await tx.contact.update({
    where: { id: contactId },
    data: { status: 'ERASED', language: null, associationId: null, consentAt: null, erasedAt: now },
  });
  await recordAudit(tx, {
    actorType: 'CONTACT',
    actorId: null,
    action: 'contact.erased',
    entityType: 'Contact',
    entityId: contactId,
  });
  return { newContactId };
}
