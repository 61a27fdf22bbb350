import type { Tx } from '../db.js';
import type { ActorType } from '../../generated/prisma/enums.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { insertAudit } from './auditSql.js';

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
  await insertAudit(tx, entry);
}
