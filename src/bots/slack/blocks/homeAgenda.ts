import type { AuditLine } from '../../../core/audit/auditQueries.js';
import type { AgendaLine } from '../../../core/followUps/appointmentAgenda.js';
import { escapeMrkdwn, slackDate } from '../slackText.js';
import { auditLineTexts, type HasText } from './auditLines.js';
import { section, type Block } from './kit.js';
import type { Say } from './requestCard.js';

/** The App Home's appointments of the day and overdue ones (not handed over yet). */
export function agendaBlocks(agenda: AgendaLine[], say: Say): Block[] {
  const lines = agenda.map((a) =>
    say(a.overdue ? 'slack:agenda.overdue' : 'slack:agenda.line', {
      date: slackDate(a.at),
      reference: a.reference,
      place: escapeMrkdwn(a.place ?? '–'),
    }),
  );
  return [section(`*${say('slack:agenda.title')}*\n${lines.length > 0 ? lines.join('\n') : say('slack:agenda.none')}`)];
}

/** The App Home's last actions of the association, newest first, as labels. */
export function recentActionBlocks(recent: AuditLine[], say: Say, has: HasText): Block[] {
  const lines = auditLineTexts(recent, say, has);
  if (lines.length === 0) return [section(`*${say('slack:agenda.recent')}*\n${say('slack:agenda.recent_none')}`)];
  // 10 lines a section: a section takes 3000 characters, and a date cut in half would show its markup
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += 10)
    blocks.push(section(`${i === 0 ? `*${say('slack:agenda.recent')}*\n` : ''}${lines.slice(i, i + 10).join('\n')}`));
  return blocks;
}
