import type { OutboundContent } from '../messages/messageTypes.js';
import type { Reply } from './turnTypes.js';

export type Translate = (key: string, params?: Record<string, string | number>) => string;
export type CommandValues = Record<string, Record<string, string | number>>;

export interface RenderedTurn {
  messages: OutboundContent[];
  /** choices of the last prompt that offered some, kept in state to match the answer */
  choices: Array<{ id: string; label: string }>;
}

/** Turns reply keys into text in one language; choices keep their order (numbers depend on it). */
export function renderReplies(replies: Reply[], t: Translate, rtl: boolean, values: CommandValues = {}): RenderedTurn {
  let choices: Array<{ id: string; label: string }> = [];
  const messages = replies.map((reply): OutboundContent => {
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(reply.params ?? {})) {
      if (typeof value !== 'object') params[name] = value;
      else if ('t' in value) params[name] = t(value.t, value.params);
      else params[name] = values[value.fromCommand]?.[value.field] ?? '';
    }
    const rendered = reply.choices?.map((c) => ({ id: c.id, label: c.label ?? t(c.labelKey ?? c.id, c.labelParams) }));
    if (rendered && rendered.length > 0) choices = rendered;
    const visible = reply.silentChoices ? [] : (rendered ?? []).filter((_, i) => !reply.choices?.[i]?.hidden);
    return {
      text: t(reply.key, params),
      // prompts say "choose" (buttons); a numbered list adds how to answer with a number
      ...(visible.length > 0 ? { choices: visible, numberHint: t('common:send_number') } : {}),
      ...(rtl ? { rtl: true } : {}),
      ...(reply.askLocation ? { askLocation: true, locationLabel: t('channel:share_location') } : {}),
      ...(reply.sensitive ? { sensitive: true } : {}),
    };
  });
  return { messages, choices };
}
