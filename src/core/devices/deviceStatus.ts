import type { DeviceStatus } from '../../generated/prisma/enums.js';
import type { Tx } from '../db.js';
import { DeviceAlreadyAllocated, InvalidTransition } from '../errors.js';

/**
 * Life of a device: collected from a donor, wiped (erasure certificate), refurbished, in an
 * association's stock, allocated to a request (reserved until the appointment), handed over.
 * An allocation that falls through puts the device back in stock. Anything else is refused.
 */
export const DEVICE_TRANSITIONS: Record<DeviceStatus, readonly DeviceStatus[]> = {
  COLLECTED: ['ERASED', 'RECYCLED', 'LOST'],
  ERASED: ['REFURBISHED', 'RECYCLED', 'LOST'],
  REFURBISHED: ['IN_STOCK', 'RECYCLED', 'LOST'],
  IN_STOCK: ['ALLOCATED', 'RECYCLED', 'LOST'],
  ALLOCATED: ['IN_STOCK', 'HANDED_OVER', 'LOST'],
  HANDED_OVER: [],
  RECYCLED: [],
  LOST: ['IN_STOCK'],
};

export function canDeviceTransition(from: DeviceStatus, to: DeviceStatus): boolean {
  return DEVICE_TRANSITIONS[from].includes(to);
}

export function assertDeviceTransition(from: DeviceStatus, to: DeviceStatus): void {
  if (!canDeviceTransition(from, to)) throw new InvalidTransition('device', from, to);
}

/**
 * Moves one device from `from` to `to` with a conditional update: of several transactions
 * doing the same move at once, Postgres lets exactly one match the row (the others wait for
 * its commit, re-read the status and match nothing). `associationId` restricts the move to
 * one association's stock. Throws DeviceAlreadyAllocated when the device was not in `from`.
 */
export async function moveDevice(
  tx: Tx,
  deviceId: string,
  from: DeviceStatus,
  to: DeviceStatus,
  associationId?: string,
): Promise<void> {
  assertDeviceTransition(from, to);
  const moved = await tx.device.updateMany({
    where: { id: deviceId, status: from, ...(associationId ? { associationId } : {}) },
    data: { status: to },
  });
  if (moved.count !== 1) {
    if (from === 'IN_STOCK') throw new DeviceAlreadyAllocated();
    const current = await tx.device.findUnique({ where: { id: deviceId }, select: { status: true } });
    throw new InvalidTransition('device', current?.status ?? 'missing', to);
  }
}
