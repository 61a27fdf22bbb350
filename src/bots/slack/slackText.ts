/**
 * Escapes text that did not come from us (what a person wrote) for Slack's mrkdwn: `<`, `>`
 * and `&` are the only control characters, so this also stops `<!channel>` pings and links.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Turns a volunteer's Slack message into plain text for a person on Telegram or WhatsApp:
 * links become "label (url)", mentions and channel links lose their ids, entities are decoded.
 */
export function slackToPlainText(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, '')
    .replace(/<!(here|channel|everyone)[^>]*>/g, '')
    .replace(/<![^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.])/g, '$1')
    .trim();
}

/** Slack renders `<!date^…>` in each reader's own time zone; the fallback is for old clients. */
export function slackDate(date: Date, format = '{date_short_pretty} {time}'): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^${format}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}
