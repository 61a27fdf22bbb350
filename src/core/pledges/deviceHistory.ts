import type { Db } from '../db.js';
import { NotFound } from '../errors.js';

export interface HistoryStep {
  at: Date;
  action: string;
  entityType: string;
  actorType: string;
  data: unknown;
}

/**
 * The life of one device as the audit trail tells it: the events of its pledge (recorded,
 * pickup scheduled, collected, processed…) and every event of the device itself (collected,
 * erased, refurbished, in stock, allocated, handed over…), in time order.
 * Only ids and counts are in these events, never a person.
 */
export async function deviceHistory(db: Db, deviceId: string): Promise<HistoryStep[]> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { pledgeId: true } });
  if (!device) throw new NotFound('device');
  const select = { at: true, action: true, entityType: true, actorType: true, data: true } as const;
  const [pledgeEvents, deviceEvents] = await Promise.all([
    device.pledgeId
      ? db.auditEvent.findMany({
          where: { entityType: 'Pledge', entityId: device.pledgeId },
          orderBy: { at: 'asc' },
          select,
        })
      : Promise.resolve([]),
    db.auditEvent.findMany({ where: { entityType: 'Device', entityId: deviceId }, orderBy: { at: 'asc' }, select }),
  ]);
  // events written in one transaction share their time: the device step comes first, as it
  // is what moved the pledge (device collected → pledge collected, last in stock → processed)
  const rank = (step: HistoryStep) => (step.entityType === 'Device' ? 0 : 1);
  return [...pledgeEvents, ...deviceEvents].sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
}
