import type { Tx } from '../db.js';
import type { ActorType } from '../../generated/prisma/enums.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';

export interface AuditEntry {
  actorType: ActorType;
  actorId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  associationId?: string | null;
  /** never message text, names or phone numbers */
  data?: Record<string, InputJsonValue | null>;
}

/** Appends one event to the audit trail, inside the caller's transaction. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: entry.actorType,
      actorId: entry.actorId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      associationId: entry.associationId ?? null,
      data: entry.data ?? {},
    },
  });
}
