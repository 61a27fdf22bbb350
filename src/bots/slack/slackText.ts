import { renderRichText } from '../../core/messages/richText.js';
import { parseMrkdwn } from './slackMrkdwn.js';

/** Slack has no escape for its formatting marks: a look-alike shows the same text, unformatted. */
const LOOK_ALIKES: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };
/** A mark Slack may read as formatting: one not between two letters or digits (`my_page` stays as it is). */
const FORMATTING_MARK = /(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu;

/**
 * The one escape for every value that did not come from us (what a person wrote, a device
 * model from a stock import, an association or place name, a pledge's fields…) before it goes
 * into Slack mrkdwn (sections, fields, context, message text). `<`, `>` and `&` are the only
 * control characters: escaping them stops `<!channel>` pings, `<@U…>` mentions and disguised
 * `<https://evil|click>` links; `*bold*`, `_italic_`, `~strike~` and code marks are shown as
 * look-alikes so data cannot restyle a card. Plain-text elements (headers, buttons, options)
 * are never parsed by Slack and take values as they are.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(FORMATTING_MARK, (mark) => LOOK_ALIKES[mark] ?? mark);
}

/**
 * Turns a volunteer's Slack message into plain text: links become "label (url)", mentions and
 * channel links lose their ids, formatting marks and entities are read (slackMrkdwn.ts).
 */
export function slackToPlainText(text: string): string {
  return renderRichText(parseMrkdwn(text), 'plain');
}

/** Slack renders `<!date^…>` in each reader's own time zone; the fallback is for old clients. */
export function slackDate(date: Date, format = '{date_short_pretty} {time}'): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^${format}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}
