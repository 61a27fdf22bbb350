import type { Tx } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { sql, type Statement } from '../db/sql.js';
import type { ActorType } from '../../generated/prisma/enums.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';

/** One staff or system action, as the audit trail keeps it. */
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

/**
 * The statement appending one event to the audit trail (sent alone or with others in one trip);
 * `at` is the wall clock, so the events of one transaction keep their order.
 */
export function auditStatement(entry: AuditEntry): Statement {
  return sql`INSERT INTO "AuditEvent"
      (id, at, "actorType", "actorId", action, "entityType", "entityId", "associationId", data)
    VALUES (gen_random_uuid(), clock_timestamp(), ${entry.actorType}::"ActorType", ${entry.actorId ?? null},
            ${entry.action},
            ${entry.entityType}, ${entry.entityId ?? null}, ${entry.associationId ?? null}::uuid,
            ${JSON.stringify(entry.data ?? {})}::jsonb) RETURNING 1`;
}

/** Appends one event to the audit trail in a Prisma transaction. */
export async function insertAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await prismaRunner(tx).queryAll([auditStatement(entry)]);
}
