import { Prisma } from '../../generated/prisma/client.js';
import type { DeviceKind } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
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
  const byAssociation = association ? Prisma.sql`AND (d."associationId" = ${association}::uuid OR p."associationId" = ${association}::uuid)` : Prisma.empty;
  const [requestsReceived, requestsServed, rechargesGiven, followUpsAnswered, phonesSponsored, handedOver, people, donated] = await Promise.all([
    db.request.count({ where: { ...ofAssociation, createdAt: period } }),
    db.request.count({ where: { ...ofAssociation, servedAt: period } }),
    db.recharge.count({ where: { createdAt: period, ...ofRequest } }),
    db.followUp.count({ where: { status: 'ANSWERED', answeredAt: period, ...ofRequest } }),
    db.auditEvent.count({ where: { action: 'pledge.sponsorship_fulfilled', at: period, ...ofAssociation } }),
    db.$queryRaw<Array<{ kind: DeviceKind; count: bigint }>>`
      SELECT d.kind, count(*) AS count FROM "Allocation" a JOIN "Device" d ON d.id = a."deviceId" JOIN "Request" r ON r.id = a."requestId"
      WHERE a.status = 'HANDED_OVER' AND a."handedOverAt" >= ${from} AND a."handedOverAt" < ${to} ${association ? Prisma.sql`AND r."associationId" = ${association}::uuid` : Prisma.empty}
      GROUP BY d.kind`,
    db.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(DISTINCT coalesce(r."contactId"::text, r.id::text)) AS count FROM "Allocation" a JOIN "Request" r ON r.id = a."requestId"
      WHERE a.status = 'HANDED_OVER' AND a."handedOverAt" >= ${from} AND a."handedOverAt" < ${to} ${association ? Prisma.sql`AND r."associationId" = ${association}::uuid` : Prisma.empty}`,
    db.$queryRaw<Array<{ collected: bigint; erased: bigint; imported: bigint }>>`
      SELECT
        count(*) FILTER (WHERE e.action = 'device.collected') AS collected,
        count(*) FILTER (WHERE e.action = 'device.erased') AS erased,
        (SELECT count(*) FROM "Device" d LEFT JOIN "Pledge" p ON p.id = d."pledgeId"
          WHERE d."erasureCertificate" IS NOT NULL AND d."createdAt" >= ${from} AND d."createdAt" < ${to} ${byAssociation}
          AND NOT EXISTS (SELECT 1 FROM "AuditEvent" x WHERE x."entityType" = 'Device' AND x."entityId" = d.id::text AND x.action = 'device.erased')) AS imported
      FROM "AuditEvent" e JOIN "Device" d ON d.id::text = e."entityId" LEFT JOIN "Pledge" p ON p.id = d."pledgeId"
      WHERE e."entityType" = 'Device' AND e.action IN ('device.collected', 'device.erased') AND e.at >= ${from} AND e.at < ${to} ${byAssociation}`,
  ]);
  const byKind: Partial<Record<DeviceKind, number>> = Object.fromEntries(handedOver.map((row) => [row.kind, Number(row.count)]));
  const avoided = avoidedImpact(byKind, scope.factors ?? DEFAULT_IMPACT_FACTORS);
  const row = donated[0];
  return {
    requestsReceived,
    requestsServed,
    devicesCollected: Number(row?.collected ?? 0),
    devicesErased: Number(row?.erased ?? 0) + Number(row?.imported ?? 0),
    devicesHandedOver: DEVICE_KINDS.reduce((sum, kind) => sum + (byKind[kind] ?? 0), 0),
    rechargesGiven,
    peopleEquipped: Number(people[0]?.count ?? 0),
    followUpsAnswered,
    phonesSponsored,
    wasteAvoidedKg: avoided.wasteKg,
    co2eAvoidedKg: avoided.co2eKg,
  };
}
