import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { changePledgeStatus, queueDonorUpdate, type PledgeActor } from './pledgeService.js';

/**
 * What a hand-over means to donors: the donor of the device's pledge is told how many of
 * their devices are now in someone's hands (a count, nobody's identity); a smartphone also
 * fulfils the oldest paid "suspended phone" sponsorship (COLLECTED → PROCESSED, then CLOSED),
 * which is how sponsorships are counted. Returns outbox task ids.
 */
export async function recordHandOverForDonors(tx: Tx, deviceId: string, actor: PledgeActor): Promise<string[]> {
  const device = await tx.device.findUnique({ where: { id: deviceId }, select: { kind: true, pledgeId: true, associationId: true } });
  if (!device) return [];
  const jobIds: string[] = [];
  if (device.pledgeId) {
    const count = await tx.device.count({ where: { pledgeId: device.pledgeId, status: 'HANDED_OVER' } });
    jobIds.push(await queueDonorUpdate(tx, device.pledgeId, 'handed_over', count));
  }
  if (device.kind !== 'SMARTPHONE') return jobIds;
  // oldest first, and only one: FOR UPDATE SKIP LOCKED keeps two hand-overs at once from fulfilling the same sponsorship
  const [sponsorship] = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Pledge" WHERE kind = 'SPONSORSHIP' AND status = 'COLLECTED' ORDER BY "collectedAt" ASC NULLS LAST, number ASC LIMIT 1 FOR UPDATE SKIP LOCKED`;
  if (!sponsorship) return jobIds;
  const fulfilled = await changePledgeStatus(tx, sponsorship.id, { to: 'PROCESSED', actor, associationId: device.associationId, audit: { deviceId } });
  const closed = await changePledgeStatus(tx, sponsorship.id, { to: 'CLOSED', actor, audit: { deviceId } });
  await recordAudit(tx, { actorType: actor.type, actorId: actor.id, action: 'pledge.sponsorship_fulfilled', entityType: 'Pledge', entityId: sponsorship.id, associationId: device.associationId, data: { deviceId } });
  return [...jobIds, ...fulfilled.jobIds, ...closed.jobIds];
}
