import { formatCode } from '../../../../core/conversation/reconnectCodeFormat.js';
import { ONE_TIME_CODE_DAYS } from '../../../../core/contacts/reconnectCodes.js';
import { oneTimeCodeForRequest } from '../../../../core/staff/requestCodeIssuing.js';
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
  const asked = args[0] ?? '';
  const result = asked
    ? await oneTimeCodeForRequest(deps.db, deps.secrets, staff, asked)
    : { status: 'not_found' as const };
  switch (result.status) {
    case 'not_found':
      return reply(say('slack:commands.not_found', { reference: escapeMrkdwn(asked) }));
    case 'refused':
      return reply(say('slack:commands.code_coordinators_only', { reference: result.reference }));
    case 'unreachable':
      return reply(say('slack:relay.unreachable'));
    case 'issued':
      return reply(
        say('slack:commands.code', {
          reference: result.reference,
          code: formatCode(result.code),
          days: ONE_TIME_CODE_DAYS,
        }),
      );
  }
};
