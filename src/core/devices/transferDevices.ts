import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { NotFound } from '../errors.js';
import { assertCanTransferFrom, type StaffActor } from '../staff/staffAccess.js';
import { moveDevicesInStock } from './deviceSql.js';

/**
 * Moves devices in stock from the coordinator's association to another one. Only devices
 * still IN_STOCK in the source association move (conditional update): a device allocated
 * meanwhile stays. Returns how many moved. Audited per device.
 */
export async function transferDevices(
  tx: Tx,
  input: { deviceIds: string[]; fromAssociationId: string; toAssociationId: string; staff: StaffActor },
): Promise<{ moved: string[] }> {
  assertCanTransferFrom(input.staff, input.fromAssociationId);
  const target = await tx.association.findUnique({ where: { id: input.toAssociationId }, select: { id: true } });
  if (!target) throw new NotFound('association');
  // one conditional UPDATE … RETURNING: what moved is exactly what was still in stock here
  const ids = await moveDevicesInStock(tx, {
    deviceIds: input.deviceIds,
    from: input.fromAssociationId,
    to: input.toAssociationId,
  });
  for (const id of ids) {
    await recordAudit(tx, {
      actorType: 'STAFF',
      actorId: input.staff.id,
      action: 'device.transferred',
      entityType: 'Device',
      entityId: id,
      associationId: input.fromAssociationId,
      data: { to: input.toAssociationId },
    });
  }
  return { moved: ids };
}
