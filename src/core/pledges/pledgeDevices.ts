import { z } from 'zod';
import type { DeviceStatus } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { moveDevice } from '../devices/deviceStatus.js';
import { imeiProblem, normalizeImei } from '../devices/imei.js';
import { InvalidTransition, NotFound, RelaisError } from '../errors.js';
import { changePledgeStatus, type PledgeActor } from './pledgeService.js';

export class InvalidDeviceRecord extends RelaisError {
  constructor(reason: string) {
    super('RELAIS_INVALID_DEVICE', reason, 422);
  }
}

/** One device as the collection team records it. */
export const collectedDeviceSchema = z
  .object({
    kind: z.enum(['SMARTPHONE', 'LAPTOP', 'TABLET', 'OTHER']).default('SMARTPHONE'),
    model: z.string().trim().min(1).max(120),
    imei: z.string().trim().max(30).optional(),
    serial: z.string().trim().min(1).max(80).optional(),
  })
  .refine((d) => d.imei !== undefined || d.serial !== undefined, 'an IMEI or a serial number is needed');
export type CollectedDevice = z.input<typeof collectedDeviceSchema>;

const PLEDGE_OPEN_FOR_DEVICES = ['PLEDGED', 'SCHEDULED', 'COLLECTED'] as const;

/**
 * Registers the devices received for a pledge (status COLLECTED, linked to it), each with its
 * own `device.collected` audit event; the pledge becomes COLLECTED if it was not yet (the
 * donor is told). IMEIs are checked (15 digits, Luhn); a duplicate IMEI or serial is refused.
 */
export async function registerCollectedDevices(
  tx: Tx,
  pledgeId: string,
  devices: readonly CollectedDevice[],
  actor: PledgeActor,
): Promise<{ deviceIds: string[]; jobIds: string[] }> {
  const pledge = await tx.pledge.findUnique({
    where: { id: pledgeId },
    select: { status: true, kind: true, associationId: true },
  });
  if (!pledge) throw new NotFound('pledge');
  if (pledge.kind === 'SPONSORSHIP') throw new InvalidDeviceRecord('a sponsorship has no devices');
  if (!PLEDGE_OPEN_FOR_DEVICES.some((s) => s === pledge.status))
    throw new InvalidTransition('pledge', pledge.status, 'COLLECTED');
  const deviceIds: string[] = [];
  for (const raw of devices) {
    const device = collectedDeviceSchema.parse(raw);
    const imei = device.imei ? normalizeImei(device.imei) : null;
    if (imei && imeiProblem(imei)) throw new InvalidDeviceRecord(`IMEI ${imei} is not valid`);
    const taken = await tx.device.findFirst({
      where: { OR: [...(imei ? [{ imei }] : []), ...(device.serial ? [{ serial: device.serial }] : [])] },
      select: { id: true },
    });
    if (taken) throw new InvalidDeviceRecord('a device with this IMEI or serial is already registered');
    const created = await tx.device.create({
      data: {
        kind: device.kind,
        model: device.model,
        imei,
        serial: device.serial ?? null,
        status: 'COLLECTED',
        pledgeId,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'device.collected',
      entityType: 'Device',
      entityId: created.id,
      associationId: pledge.associationId,
      data: { pledgeId },
    });
    deviceIds.push(created.id);
  }
  const jobIds =
    pledge.status === 'COLLECTED'
      ? []
      : (await changePledgeStatus(tx, pledgeId, { to: 'COLLECTED', actor, audit: { devices: deviceIds.length } }))
          .jobIds;
  return { deviceIds, jobIds };
}

/** A step of a device on its way from the donor to the stock of an association. */
export const deviceStepSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ERASED'), certificate: z.string().trim().min(1).max(120) }),
  z.object({ status: z.literal('REFURBISHED'), grade: z.string().trim().min(1).max(20) }),
  z.object({ status: z.literal('IN_STOCK'), associationId: z.string().uuid() }),
  z.object({ status: z.literal('RECYCLED') }),
]);
export type DeviceStep = z.infer<typeof deviceStepSchema>;

const FROM: Record<DeviceStep['status'], readonly DeviceStatus[]> = {
  ERASED: ['COLLECTED'],
  REFURBISHED: ['ERASED'],
  IN_STOCK: ['REFURBISHED'],
  RECYCLED: ['COLLECTED', 'ERASED', 'REFURBISHED'],
};
const STILL_IN_PROCESS: DeviceStatus[] = ['COLLECTED', 'ERASED', 'REFURBISHED'];

/**
 * Moves a donated device one step (wiped with its erasure certificate, refurbished with its
 * grade, put in an association's stock, or recycled), audited as `device.<status>`. When the
 * last device of a collected pledge leaves the workshop, the pledge becomes PROCESSED (the
 * donor is told, with the certificate references).
 */
export async function recordDeviceStep(
  tx: Tx,
  deviceId: string,
  step: DeviceStep,
  actor: PledgeActor,
): Promise<{ jobIds: string[] }> {
  const device = await tx.device.findUnique({ where: { id: deviceId }, select: { status: true, pledgeId: true } });
  if (!device) throw new NotFound('device');
  if (!FROM[step.status].includes(device.status)) throw new InvalidTransition('device', device.status, step.status);
  await moveDevice(tx, deviceId, device.status, step.status);
  const data: Record<string, string> =
    step.status === 'ERASED'
      ? { erasureCertificate: step.certificate }
      : step.status === 'REFURBISHED'
        ? { grade: step.grade }
        : step.status === 'IN_STOCK'
          ? { associationId: step.associationId }
          : {};
  if (Object.keys(data).length > 0) await tx.device.update({ where: { id: deviceId }, data });
  const associationId = step.status === 'IN_STOCK' ? step.associationId : null;
  await recordAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action: `device.${step.status.toLowerCase()}`,
    entityType: 'Device',
    entityId: deviceId,
    associationId,
    data: { pledgeId: device.pledgeId, ...data },
  });
  if (!device.pledgeId || (step.status !== 'IN_STOCK' && step.status !== 'RECYCLED')) return { jobIds: [] };
  const pledge = await tx.pledge.findUnique({ where: { id: device.pledgeId }, select: { status: true } });
  const inProcess = await tx.device.count({ where: { pledgeId: device.pledgeId, status: { in: STILL_IN_PROCESS } } });
  if (pledge?.status !== 'COLLECTED' || inProcess > 0) return { jobIds: [] };
  return changePledgeStatus(tx, device.pledgeId, { to: 'PROCESSED', actor, expectFrom: ['COLLECTED'] });
}
