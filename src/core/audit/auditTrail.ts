import type { Tx } from '../db.js';
import { insertAudit, type AuditEntry } from './auditSql.js';

export type { AuditEntry } from './auditSql.js';

/** Appends one event to the audit trail, inside the caller's transaction. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await insertAudit(tx, entry);
}
