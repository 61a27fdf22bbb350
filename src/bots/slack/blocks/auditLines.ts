import type { AuditLine } from '../../../core/audit/auditQueries.js';
import type { Say } from './requestCard.js';
import { slackDate } from '../slackText.js';

/** Tells whether a staff text exists (actions added later fall back to "other action"). */
export type HasText = (key: string) => boolean;

/** An audit action as staff read it: its translated label (and the close reason's), never the code. */
export function auditActionLabel(line: Pick<AuditLine, 'action' | 'details'>, say: Say, has: HasText): string {
  const key = `slack:audit_action.${line.action}`;
  const label = has(key) ? say(key) : say('slack:audit_action.unknown');
  const reasonKey = `slack:close_reason.${line.details.reason ?? ''}`;
  return line.details.reason && has(reasonKey) ? `${label} (${say(reasonKey)})` : label;
}

/** Who acted: a staff member as a mention, otherwise the kind of actor (a person is never named). */
export function auditActor(line: Pick<AuditLine, 'actorType' | 'staffSlackId'>, say: Say): string {
  if (line.actorType === 'STAFF')
    return line.staffSlackId ? `<@${line.staffSlackId}>` : say('slack:history.actor.STAFF_UNKNOWN');
  return say(`slack:history.actor.${line.actorType}`);
}

/** One line per action: "date · who · what". */
export function auditLineTexts(lines: AuditLine[], say: Say, has: HasText): string[] {
  return lines.map((line) =>
    say('slack:history.line', {
      date: slackDate(line.at),
      actor: auditActor(line, say),
      action: auditActionLabel(line, say, has),
    }),
  );
}
