import type { OutboundContent } from './messageTypes.js';

const RLM = '\u200f';

/**
 * A message as plain text for channels without buttons (WhatsApp): the choices follow as a
 * numbered list, "1. …" one per line, in the order the flow gave them (the person answers
 * with the number, in any digit script, or the label), then how to answer (`numberHint`). In
 * right-to-left languages each line starts with a right-to-left mark so a list mixing scripts
 * ("3. English") stays aligned right.
 */
export function renderNumberedChoices(content: OutboundContent): string {
  const choices = content.choices ?? [];
  if (choices.length === 0) return content.text;
  const mark = content.rtl ? RLM : '';
  const lines = choices.map((choice, index) => `${mark}${index + 1}. ${choice.label}`);
  const hint = content.numberHint ? `\n\n${mark}${content.numberHint}` : '';
  return `${content.text}\n\n${lines.join('\n')}${hint}`;
}
