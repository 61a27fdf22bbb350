import type { TelegramUpdateFactory } from '../../test/support/telegramUpdates.js';
import {
  FIRST_CONTACT_WALK,
  ONBOARDING_WALK,
  PHONE_REQUEST_WALK,
  type Walk,
  type WalkStep,
} from '../../test/support/walks.js';

export type { Walk, WalkStep } from '../../test/support/walks.js';
export { FIRST_CONTACT_WALK, ONBOARDING_WALK, PHONE_REQUEST_WALK } from '../../test/support/walks.js';

/**
 * The walks the benchmarks can play: the same definitions the channel conformance suite walks
 * on every channel (test/support/walks.ts), played here as Telegram webhook updates.
 */
export const WALKS: Record<string, Walk> = {
  [PHONE_REQUEST_WALK.name]: PHONE_REQUEST_WALK,
  [ONBOARDING_WALK.name]: ONBOARDING_WALK,
  [FIRST_CONTACT_WALK.name]: FIRST_CONTACT_WALK,
};

/**
 * The real-shaped Telegram update for one step of one person, as Telegram sends it: first
 * contact is /start, a tap is the callback query of the choice's button (its data is the
 * choice id), a typed text a message. The load generator does not read replies, so a walk it
 * plays has one person and no step that needs what a reply said.
 */
export function updateFor(person: TelegramUpdateFactory, step: WalkStep): object {
  const { action } = step;
  switch (action.do) {
    case 'start':
      return person.command('/start');
    case 'type':
      if (/\{\w+\}/.test(action.text)) throw new Error('a benchmark walk cannot type what a reply said');
      return person.text(action.text);
    case 'tap':
      return person.callback(action.choice);
    case 'typeLabel':
    case 'volunteerReplies':
    case 'wait':
      throw new Error(`a benchmark walk cannot ${action.do}`);
  }
}
