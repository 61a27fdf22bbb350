import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type ActionElement = types.Button | types.Overflow | types.StaticSelect;
export type Option = types.PlainTextOption;

/** Slack limits these; longer values make the whole call fail (invalid_blocks). */
const MAX_SECTION = 3000;
const MAX_PLAIN = 150;
const MAX_FIELD = 2000;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const plain = (text: string, max = MAX_PLAIN): types.PlainTextElement => ({
  type: 'plain_text',
  text: cut(text, max),
  emoji: true,
});
export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text: cut(text, MAX_SECTION) });

export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const section = (text: string, accessory?: types.Button | types.Overflow): Block => ({
  type: 'section',
  text: mrkdwn(text),
  ...(accessory ? { accessory } : {}),
});
export const fields = (items: string[]): Block => ({
  type: 'section',
  fields: items.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: cut(f, MAX_FIELD) })),
});
export const context = (text: string): Block => ({ type: 'context', elements: [mrkdwn(text)] });
export const divider = (): Block => ({ type: 'divider' });
export const actions = (blockId: string, elements: ActionElement[]): Block[] =>
  elements.length > 0 ? [{ type: 'actions', block_id: blockId, elements: elements.slice(0, 25) }] : [];

export function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return { type: 'button', action_id: actionId, text: plain(text, 75), value, ...(style ? { style } : {}) };
}

export function option(text: string, value: string): Option {
  return { text: plain(text, 75), value };
}

export function overflow(actionId: string, options: Option[]): types.Overflow {
  return { type: 'overflow', action_id: actionId, options: options.slice(0, 5) };
}

export function staticSelect(
  actionId: string,
  placeholder: string,
  options: Option[],
  initial?: Option,
): types.StaticSelect {
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain(placeholder),
    options: options.slice(0, 100),
    ...(initial ? { initial_option: initial } : {}),
  };
}

/** An input block of a modal; `optional` inputs may be left empty. */
export function input(
  blockId: string,
  label: string,
  element: types.InputBlock['element'],
  options: { optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element,
    ...(options.optional ? { optional: true } : {}),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
  };
}

export function textInput(
  actionId: string,
  options: { placeholder?: string; initial?: string; maxLength?: number; multiline?: boolean } = {},
): types.PlainTextInput {
  return {
    type: 'plain_text_input',
    action_id: actionId,
    ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    ...(options.initial ? { initial_value: options.initial } : {}),
    ...(options.maxLength ? { max_length: options.maxLength } : {}),
    ...(options.multiline ? { multiline: true } : {}),
  };
}

/** A modal; `metadata` travels back with the submission (ids only, Slack shows it to no one). */
export function modal(
  callbackId: string,
  title: string,
  blocks: Block[],
  options: { submit?: string; close: string; metadata?: Record<string, string> },
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, 24),
    blocks,
    close: plain(options.close, 24),
    ...(options.submit ? { submit: plain(options.submit, 24) } : {}),
    ...(options.metadata ? { private_metadata: JSON.stringify(options.metadata) } : {}),
  };
}
