import { formatCode } from '../../../../core/conversation/reconnectCodeFormat.js';
import { issueOneTimeCode, ONE_TIME_CODE_DAYS } from '../../../../core/contacts/reconnectCodes.js';
import { recordAudit, type AuditEntry } from '../../../../core/audit/auditTrail.js';
import { findRequestByReference } from '../../../../core/requests/requestQueries.js';
import { canActOnRequest, canIssueOneTimeCode } from '../../../../core/staff/staffAccess.js';
import { escapeMrkdwn } from '../../slackText.js';
import { reply, type SubCommand } from './commandTypes.js';

/**
 * `/relais code P-1042`: a one-time reconnection code for the person behind a request (who
 * lost their phone). Whoever types the code takes over the person's record, so only
 * coordinators of the request's association (triage: any coordinator) and admins get one;
 * a refusal is audited too. The answer is ephemeral, goes back in the HTTP response (never
 * through a Web API call) and is audited by issueOneTimeCode; only a hash is stored.
 */
export const codeCommand: SubCommand = async ({ deps, staff, say, args }) => {
  const found = args[0] ? await findRequestByReference(deps.db, args[0]) : null;
  if (!found || !canActOnRequest(staff, found)) return reply(say('slack:commands.not_found', { reference: escapeMrkdwn(args[0] ?? '') }));
  if (!canIssueOneTimeCode(staff, found)) {
    const refusal: AuditEntry = {
      actorType: 'STAFF', actorId: staff.id, action: 'code.refused', entityType: 'Request', entityId: found.id,
      associationId: staff.associationId, data: { role: staff.role },
    };
    await deps.db.$transaction((tx) => recordAudit(tx, refusal));
    return reply(say('slack:commands.code_coordinators_only', { reference: found.reference }));
  }
  const contactId = found.contactId;
  if (!contactId) return reply(say('slack:relay.unreachable'));
  const context = { requestId: found.id, associationId: staff.associationId };
  const code = await deps.db.$transaction((tx) => issueOneTimeCode(tx, deps.secrets, contactId, staff.id, context));
  return reply(say('slack:commands.code', { reference: found.reference, code: formatCode(code), days: ONE_TIME_CODE_DAYS }));
};
