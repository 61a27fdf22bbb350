import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { lockOldestOpenSponsorship } from './pledgeSql.js';
import { changePledgeStatus, queueDonorUpdate, type PledgeActor } from './pledgeService.js';

/**
 * What a hand-over means to donors: the donor of the device's pledge is told how many of
 * their devices are now in someone's hands (a count, nobody's identity); a smartphone also
 * fulfils the oldest paid "suspended phone" sponsorship (COLLECTED → PROCESSED, then CLOSED),
 * which is how sponsorships are counted. Returns outbox task ids.
 */
export async function recordHandOverForDonors(tx: Tx, deviceId: string, actor: PledgeActor): Promise<string[]> {
  const device = await tx.device.findUnique({
    where: { id: deviceId },
    select: { kind: true, pledgeId: true, associationId: true },
  });
  if (!device) return [];
  const jobIds: string[] = [];
  if (device.pledgeId) {
    const count = await tx.device.count({ where: { pledgeId: device.pledgeId, status: 'HANDED_OVER' } });
    jobIds.push(await queueDonorUpdate(tx, device.pledgeId, 'handed_over', count));
  }
  if (device.kind !== 'SMARTPHONE') return jobIds;
  // oldest first, and only one: two hand-overs at once never fulfil the same sponsorship
  const sponsorshipId = await lockOldestOpenSponsorship(tx);
  if (!sponsorshipId) return jobIds;
  const fulfilled = await changePledgeStatus(tx, sponsorshipId, {
    to: 'PROCESSED',
    actor,
    associationId: device.associationId,
    audit: { deviceId },
  });
  const closed = await changePledgeStatus(tx, sponsorshipId, { to: 'CLOSED', actor, audit: { deviceId } });
  await recordAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action: 'pledge.sponsorship_fulfilled',
    entityType: 'Pledge',
    entityId: sponsorshipId,
    associationId: device.associationId,
    data: { deviceId },
  });
  return [...jobIds, ...fulfilled.jobIds, ...closed.jobIds];
}
