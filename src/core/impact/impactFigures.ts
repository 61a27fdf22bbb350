import type { DeviceKind } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { donatedDevices, handedOverByKind, peopleEquipped } from './impactSql.js';
import { avoidedImpact, DEFAULT_IMPACT_FACTORS, DEVICE_KINDS, type ImpactFactors } from './impactFactors.js';

export interface ImpactFigures {
  requestsReceived: number;
  requestsServed: number;
  /** donated devices registered as collected (one `device.collected` audit event each) */
  devicesCollected: number;
  /** devices wiped: `device.erased` events, plus devices imported with an erasure certificate */
  devicesErased: number;
  devicesHandedOver: number;
  rechargesGiven: number;
  /** distinct people who received a device (requests, once the person is erased) */
  peopleEquipped: number;
  followUpsAnswered: number;
  /** "suspended phone" sponsorships fulfilled by a hand-over */
  phonesSponsored: number;
  /** kg of electronic waste avoided by the devices handed over (impactFactors.ts) */
  wasteAvoidedKg: number;
  /** kg CO2e avoided by the devices handed over (impactFactors.ts) */
  co2eAvoidedKg: number;
}

export interface ImpactScope {
  associationId?: string | null;
  /** start of the period, included */
  since?: Date;
  /** end of the period, excluded */
  until?: Date;
  factors?: ImpactFactors;
}

const EPOCH = new Date(0);
const FAR_FUTURE = new Date('9999-01-01T00:00:00Z');

/**
 * Counts for staff, donors and funders, for one association or the whole network, over a
 * period (default: ever): requests received and served, donated devices collected and
 * wiped, devices handed over, recharges, people equipped, follow-ups answered, sponsorships
 * fulfilled, and the waste and CO2e avoided by the devices handed over. Counts only: no one
 * is identifiable from them, and they stay after people and donors are erased. The one place
 * impact figures are computed.
 */
export async function impactFigures(db: Db, scope: ImpactScope = {}): Promise<ImpactFigures> {
  const association = scope.associationId ?? null;
  const from = scope.since ?? EPOCH;
  const to = scope.until ?? FAR_FUTURE;
  const period = { gte: from, lt: to };
  const ofAssociation = association ? { associationId: association } : {};
  const ofRequest = association ? { request: { associationId: association } } : {};
  const sqlPeriod = { from, to, associationId: association };
  const [
    requestsReceived,
    requestsServed,
    rechargesGiven,
    followUpsAnswered,
    phonesSponsored,
    handedOver,
    people,
    donated,
  ] = await Promise.all([
    db.request.count({ where: { ...ofAssociation, createdAt: period } }),
    db.request.count({ where: { ...ofAssociation, servedAt: period } }),
    db.recharge.count({ where: { createdAt: period, ...ofRequest } }),
    db.followUp.count({ where: { status: 'ANSWERED', answeredAt: period, ...ofRequest } }),
    db.auditEvent.count({ where: { action: 'pledge.sponsorship_fulfilled', at: period, ...ofAssociation } }),
    handedOverByKind(db, sqlPeriod),
    peopleEquipped(db, sqlPeriod),
    donatedDevices(db, sqlPeriod),
  ]);
  const byKind: Partial<Record<DeviceKind, number>> = Object.fromEntries(
    handedOver.map((row) => [row.kind, Number(row.count)]),
  );
  const avoided = avoidedImpact(byKind, scope.factors ?? DEFAULT_IMPACT_FACTORS);
  return {
    requestsReceived,
    requestsServed,
    devicesCollected: donated.collected,
    devicesErased: donated.erased + donated.imported,
    devicesHandedOver: DEVICE_KINDS.reduce((sum, kind) => sum + (byKind[kind] ?? 0), 0),
    rechargesGiven,
    peopleEquipped: people,
    followUpsAnswered,
    phonesSponsored,
    wasteAvoidedKg: avoided.wasteKg,
    co2eAvoidedKg: avoided.co2eKg,
  };
}
