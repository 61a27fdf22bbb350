import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { NotFound } from '../errors.js';
import { assertCanTransferFrom, type StaffActor } from '../staff/staffAccess.js';

/**
 * Moves devices in stock from the coordinator's association to another one. Only devices
 * still IN_STOCK in the source association move (conditional update): a device allocated
 * meanwhile stays. Returns how many moved. Audited per device.
 */
export async function transferDevices(tx: Tx, input: { deviceIds: string[]; fromAssociationId: string; toAssociationId: string; staff: StaffActor }): Promise<{ moved: string[] }> {
  assertCanTransferFrom(input.staff, input.fromAssociationId);
  const target = await tx.association.findUnique({ where: { id: input.toAssociationId }, select: { id: true } });
  if (!target) throw new NotFound('association');
  // one conditional UPDATE … RETURNING: what moved is exactly what was still in stock here
  const moved = await tx.$queryRaw<Array<{ id: string }>>`
    UPDATE "Device" SET "associationId" = ${input.toAssociationId}::uuid, "updatedAt" = now()
    WHERE id = ANY(${input.deviceIds}::uuid[]) AND "associationId" = ${input.fromAssociationId}::uuid AND status = 'IN_STOCK'
    RETURNING id`;
  const ids = moved.map((d) => d.id);
  for (const id of ids) {
    await recordAudit(tx, { actorType: 'STAFF', actorId: input.staff.id, action: 'device.transferred', entityType: 'Device', entityId: id, associationId: input.fromAssociationId, data: { to: input.toAssociationId } });
  }
  return { moved: ids };
}
