import { recordAudit } from '../audit/auditTrail.js';
import { issueOneTimeCode } from '../contacts/reconnectCodes.js';
import type { Db } from '../db.js';
import { findRequestByReference } from '../requests/requestQueries.js';
import type { Secrets } from '../secrets.js';
import { canActOnRequest, canIssueOneTimeCode, type StaffActor } from './staffAccess.js';

/** The outcome of asking for a person's one-time reconnection code by a request reference. */
export type RequestCode =
  | { status: 'not_found' }
  | { status: 'refused'; reference: string }
  | { status: 'unreachable' }
  | { status: 'issued'; reference: string; code: string };

/**
 * A one-time reconnection code for the person behind a request: unknown or out-of-reach
 * references are `not_found`; only coordinators of the request's association (triage: any
 * coordinator) and admins get one, and a refusal is audited (`code.refused`); the code itself
 * is audited by issueOneTimeCode and only its hash is stored.
 */
export async function oneTimeCodeForRequest(
  db: Db,
  secrets: Secrets,
  staff: StaffActor,
  reference: string,
): Promise<RequestCode> {
  const found = await findRequestByReference(db, reference);
  if (!found || !canActOnRequest(staff, found)) return { status: 'not_found' };
  if (!canIssueOneTimeCode(staff, found)) {
    await db.$transaction((tx) =>
      recordAudit(tx, {
        actorType: 'STAFF',
        actorId: staff.id,
        action: 'code.refused',
        entityType: 'Request',
        entityId: found.id,
        associationId: staff.associationId,
        data: { role: staff.role },
      }),
    );
    return { status: 'refused', reference: found.reference };
  }
  const contactId = found.contactId;
  if (!contactId) return { status: 'unreachable' };
  const context = { requestId: found.id, associationId: staff.associationId };
  const code = await db.$transaction((tx) => issueOneTimeCode(tx, secrets, contactId, staff.id, context));
  return { status: 'issued', reference: found.reference, code };
}
