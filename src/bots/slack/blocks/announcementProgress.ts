import type { AnnouncementView } from '../../../core/announcements/announcementService.js';
import { actions, button, context, fields, header, section, type Block } from './kit.js';
import type { Say } from './requestCard.js';
import { slackDate } from '../slackText.js';

export const ANNOUNCE_CANCEL_ACTION = 'announce_cancel';

/** What the announcement is, in a few words: its template, or "free text (fr, ar…)". */
export function announcementWhat(view: Pick<AnnouncementView, 'template' | 'texts'>, say: Say): string {
  if (view.template) return say(`slack:announce.template.${view.template}`);
  return say('slack:announce.free_text_what', { languages: Object.keys(view.texts ?? {}).join(', ') });
}

/**
 * The progress message in the channel, updated in place: queued, sent, failed, left out, opted
 * out (exact counts from Postgres) and a Cancel button while something is left to send.
 */
export function announcementProgressBlocks(
  view: AnnouncementView,
  author: string | null,
  say: Say,
  whatsappDays: number,
): { text: string; blocks: Block[] } {
  const title = say('slack:announce.progress.title', { number: view.number, what: announcementWhat(view, say) });
  const status = say(`slack:announce.progress.status.${view.status}`, { when: slackDate(view.sendAt) });
  const c = view.counts;
  const details = [
    ...Object.entries(c.leftOutNoText).map(([language, count]) =>
      say('slack:announce.progress.no_text', { language: say(`slack:language.${language}`), count }),
    ),
    ...(c.leftOutWhatsApp > 0
      ? [say('slack:announce.progress.whatsapp_window', { days: whatsappDays, count: c.leftOutWhatsApp })]
      : []),
    ...(c.unreachable > 0 ? [say('slack:announce.progress.unreachable', { count: c.unreachable })] : []),
  ];
  const open = view.status === 'SCHEDULED' || view.status === 'SENDING';
  const cancel = button(ANNOUNCE_CANCEL_ACTION, say('slack:announce.progress.cancel'), view.id, 'danger');
  cancel.confirm = {
    title: { type: 'plain_text', text: say('slack:announce.title') },
    text: { type: 'plain_text', text: say('slack:announce.progress.cancel_confirm') },
    confirm: { type: 'plain_text', text: say('slack:announce.progress.confirm') },
    deny: { type: 'plain_text', text: say('slack:announce.progress.keep') },
  };
  const blocks: Block[] = [
    header(title),
    section(
      author
        ? say('slack:announce.progress.by', { user: author, status })
        : say('slack:announce.progress.by_api', { status }),
    ),
    fields([
      say('slack:announce.progress.queued', { count: c.queued }),
      say('slack:announce.progress.sent', { count: c.sent }),
      say('slack:announce.progress.failed', { count: c.failed }),
      say('slack:announce.progress.left_out', { count: c.leftOut }),
      say('slack:announce.progress.opted_out', { count: c.optedOut }),
      ...(c.cancelled > 0 ? [say('slack:announce.progress.cancelled', { count: c.cancelled })] : []),
    ]),
    ...(details.length > 0
      ? [context(say('slack:announce.progress.left_out_detail', { details: details.join(' · ') }))]
      : []),
    ...(open ? actions('announce', [cancel]) : []),
  ];
  return { text: `${title} · ${status}`, blocks };
}
