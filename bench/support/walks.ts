import { TelegramUpdateFactory } from '../../test/support/telegramUpdates.js';

/** One thing a person does in a walk: a command, a typed text, or a press on an inline button. */
export type WalkStep = { kind: 'command'; text: string } | { kind: 'text'; text: string } | { kind: 'callback'; data: string };

/** A conversation every simulated person goes through, step by step, in order. */
export interface Walk {
  name: string;
  steps: readonly WalkStep[];
}

/**
 * First contact, language choice, the menu, the privacy notice, back to the menu, change of
 * language (no domain command beyond language and consent).
 */
export const ONBOARDING_WALK: Walk = {
  name: 'onboarding',
  steps: [
    { kind: 'command', text: '/start' },
    { kind: 'callback', data: 'lang:en' },
    { kind: 'text', text: 'menu' },
    { kind: 'callback', data: 'privacy' },
    { kind: 'text', text: 'menu' },
    { kind: 'callback', data: 'language' },
    { kind: 'callback', data: 'lang:fr' },
  ],
};

/**
 * A phone request from first contact to its reference (P-…), answering by number as a person
 * with a cheap phone would: for whom, situation, urgency, where they stay (skipped), confirm.
 * Creates a Request and its `request.created` task on every walk.
 */
export const PHONE_REQUEST_WALK: Walk = {
  name: 'phone-request',
  steps: [
    { kind: 'command', text: '/start' },
    { kind: 'callback', data: 'lang:en' },
    { kind: 'text', text: '1' },
    { kind: 'text', text: '1' },
    { kind: 'text', text: '2' },
    { kind: 'text', text: '1' },
    { kind: 'text', text: 'Skip' },
    { kind: 'text', text: '1' },
  ],
};

/** Only `/start`: opens one conversation per person (memory benchmark). */
export const FIRST_CONTACT_WALK: Walk = { name: 'first-contact', steps: [{ kind: 'command', text: '/start' }] };

export const WALKS: Record<string, Walk> = {
  [PHONE_REQUEST_WALK.name]: PHONE_REQUEST_WALK,
  [ONBOARDING_WALK.name]: ONBOARDING_WALK,
  [FIRST_CONTACT_WALK.name]: FIRST_CONTACT_WALK,
};

/** The real-shaped Telegram update for one step of one person. */
export function updateFor(person: TelegramUpdateFactory, step: WalkStep): object {
  switch (step.kind) {
    case 'command':
      return person.command(step.text);
    case 'text':
      return person.text(step.text);
    case 'callback':
      return person.callback(step.data);
  }
}
