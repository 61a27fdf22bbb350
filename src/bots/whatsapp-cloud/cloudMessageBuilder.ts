import type { TemplateCatalogue } from '../../core/config.js';
import type { OutboundContent } from '../../core/messages/messageTypes.js';

/** The Cloud API's limits, in characters (graphemes are never split). */
export const LIMITS = {
  buttonTitle: 20,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  interactiveBody: 1024,
  text: 4096,
};
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` in at most `max` UTF-16 units, cut after a whole word when it can be (else after a
 * whole grapheme: an emoji or a letter with its marks stays whole), with an ellipsis.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 1;
  let end = 0;
  for (const { index, segment, isWordLike } of words.segment(text)) {
    if (index + segment.length > room) break;
    if (isWordLike || /^\s+$/u.test(segment) || index + segment.length <= room) end = index + segment.length;
  }
  let cut = text.slice(0, end).trimEnd();
  if (cut.length === 0) {
    cut = '';
    for (const { segment } of graphemes.segment(text)) {
      if (cut.length + segment.length > room) break;
      cut += segment;
    }
  }
  return `${cut}…`;
}

export type GraphMessage = Record<string, unknown>;

/**
 * The numbered lines other channels use, for more choices than a list holds (or a template's
 * text); in a right-to-left language each line starts with a right-to-left mark, so "1." stays
 * on the right of its label.
 */
function numbered(content: OutboundContent): string {
  const choices = content.choices ?? [];
  if (choices.length === 0) return content.text;
  const mark = content.rtl ? '\u200f' : '';
  return `${content.text}\n\n${choices.map((c, i) => `${mark}${i + 1}. ${c.label}`).join('\n')}`;
}

/**
 * One outbound message as the Cloud API's message object (without `to`/`recipient`): 1–3
 * choices as reply buttons, 4–10 as a list, more as numbered text. A title cut to the
 * platform's limit puts the full labels in the body. RTL texts go as they are (WhatsApp lays
 * them out itself).
 */
export function buildCloudMessage(content: OutboundContent, listButtonLabel: string): GraphMessage {
  const choices = content.choices ?? [];
  if (choices.length >= 1 && choices.length <= 3) {
    const titles = choices.map((c) => cutText(c.label, LIMITS.buttonTitle));
    const body = titles.some((t, i) => t !== choices[i]?.label) ? numbered(content) : content.text;
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: cutText(body, LIMITS.interactiveBody) },
        action: { buttons: choices.map((c, i) => ({ type: 'reply', reply: { id: c.id, title: titles[i] } })) },
      },
    };
  }
  if (choices.length >= 4 && choices.length <= 10) {
    const titles = choices.map((c) => cutText(c.label, LIMITS.rowTitle));
    const cut = titles.some((t, i) => t !== choices[i]?.label);
    const body = cut ? numbered(content) : content.text;
    return {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: cutText(body, LIMITS.interactiveBody) },
        action: {
          button: cutText(listButtonLabel, LIMITS.listButton),
          sections: [
            {
              rows: choices.map((c, i) => ({
                id: c.id,
                title: titles[i],
                // the end of a cut label, where a row has room for it
                ...(titles[i] !== c.label ? { description: cutText(c.label, LIMITS.rowDescription) } : {}),
              })),
            },
          ],
        },
      },
    };
  }
  return { type: 'text', text: { body: cutText(numbered(content), LIMITS.text), preview_url: false } };
}

/**
 * The template message for `content` outside the window, or null when the catalogue has none
 * for its kind and the person's language. Its one body parameter is the message's text on one
 * line (Meta refuses new lines and tabs in a parameter), its choices numbered so the person
 * can answer with a digit.
 */
export function buildTemplateMessage(
  content: OutboundContent,
  language: string | null,
  catalogue: TemplateCatalogue,
): GraphMessage | null {
  const template = catalogue[content.kind ?? 'notice'];
  const code = language ? template?.languages[language] : undefined;
  if (!template || !code) return null;
  const text = numbered(content)
    .replace(/[\t\r\n]+/g, ' · ')
    .replace(/ {4,}/g, '   ');
  const parameters = template.parameters.map(() => ({ type: 'text', text: cutText(text, 900) }));
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code },
      ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}),
    },
  };
}
