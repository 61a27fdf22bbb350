import { auditOfTarget, findAuditTarget } from '../../../core/audit/auditQueries.js';
import { auditLineTexts } from '../blocks/auditLines.js';
import { context, header, section } from '../blocks/kit.js';
import { escapeMrkdwn } from '../slackText.js';
import { reply, type CommandContext, type CommandReply } from './commands/commandTypes.js';

/** Slack takes 50 blocks and 3000 characters a section: the history is cut in sections of 15 lines. */
const LINES_PER_SECTION = 15;
const MAX_LINES = 45;

/**
 * `/relais history <reference>`: who did what and when on a request (P-1042), a pledge (D-17)
 * or a device (IMEI or serial), from the audit trail, to the staff member only. Staff see the
 * items of their association and those not routed to any yet (admins: all); another
 * association's item reads as unknown. Actions are labels; no words, number or code of a person.
 */
export async function historyCommand(ctx: CommandContext): Promise<CommandReply> {
  const typed = ctx.args.join(' ').trim();
  if (!typed) return reply(ctx.say('slack:history.usage'));
  const target = await findAuditTarget(ctx.deps.db, typed);
  const visible =
    target &&
    (ctx.staff.role === 'ADMIN' || target.associationId === null || target.associationId === ctx.staff.associationId);
  if (!target || !visible)
    return reply(ctx.say('slack:history.not_found', { reference: escapeMrkdwn(typed.slice(0, 40)) }));
  const { lines, older } = await auditOfTarget(ctx.deps.db, target, MAX_LINES);
  const title = ctx.say('slack:history.title', { reference: escapeMrkdwn(target.reference) });
  if (lines.length === 0) return reply(`${title}\n${ctx.say('slack:history.empty')}`);
  const texts = auditLineTexts(lines, ctx.say, (key) => ctx.deps.text.has(ctx.staff.language, key));
  const blocks = [header(title)];
  for (let i = 0; i < texts.length; i += LINES_PER_SECTION)
    blocks.push(section(texts.slice(i, i + LINES_PER_SECTION).join('\n')));
  if (older > 0) blocks.push(context(ctx.say('slack:history.more', { count: older })));
  return reply(`${title}\n${texts.join('\n')}`, blocks);
}
