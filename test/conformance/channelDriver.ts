import type { Channel } from '../../src/generated/prisma/enums.js';
import type { Relais } from '../../src/relais.js';
import type { TestRelais } from '../support/testRelais.js';
import type { DigitScript } from '../support/walks.js';

/** One message Relais sent to a person, as the person's app shows it. */
export interface ChannelReply {
  /** the message without its choices */
  text: string;
  /** the labels of its choices, in order, without their numbers */
  choices: string[];
  /**
   * how the channel marks the direction of numbered choices: `rtl` / `ltr`, or `app` where the
   * platform's app lays each button out itself (Telegram's inline keyboard)
   */
  direction: 'rtl' | 'ltr' | 'app';
  /** the line after a numbered list saying how to answer ("Send the number…"), where the channel writes one */
  hint?: string;
}

/**
 * What the platform learnt when it handed a payload over: an HTTP status for webhook and HTTP
 * channels, `emitted` for an event of a client library (whatsapp-web.js waits for no answer).
 */
export interface Delivery {
  status: number | 'emitted';
  retryAfter?: string;
}

/** One account of a person on the channel. Sending resolves when the platform handed it over, not when answered. */
export interface ChannelPerson {
  /** the platform's id of the account (chat id, jid, session id) */
  readonly platformId: string;
  start(greeting: string): Promise<Delivery>;
  type(text: string): Promise<Delivery>;
  /** taps the choice with this label in the latest message that has choices */
  tap(label: string, choiceId: string): Promise<Delivery>;
  /** the exact payload of the previous send again, `times` times, at once or one after another */
  replayLast(times: number, options?: { concurrently?: boolean }): Promise<Delivery[]>;
  /** every message Relais sent to this account so far, oldest first */
  replies(): Promise<ChannelReply[]>;
}

/** A file the platform lets a person send, and the attachment Relais must store for it. */
export interface MediaSample {
  name: string;
  mediaType: 'photo' | 'voice' | 'audio' | 'video' | 'document' | 'sticker' | 'other';
  send(person: ChannelPerson): Promise<Delivery>;
}

/**
 * A channel seen from outside, as its platform drives it: how a payload reaches Relais, what
 * it answers, how replies come back. A new channel joins the conformance suite with one
 * driver in `channels.ts`.
 */
export interface ChannelDriver {
  readonly channel: Channel;
  /** the channel's name in test names */
  readonly name: string;
  readonly t: TestRelais;
  readonly relais: Relais;
  /** a new account (its own chat, number or browser session) */
  person(options: { appLanguage: string; digits?: DigitScript }): ChannelPerson;
  /**
   * the channel has no buttons: choices are a numbered list followed by how to answer with a
   * number (`common:send_number`), which every reply with choices must end with
   */
  readonly numberedChoices: boolean;
  /** the language of the first replies to a new account whose app is set to `appLanguage` */
  firstContactLanguage(appLanguage: string): string;
  /** how the platform is told it got something it must not send again / nothing was taken */
  readonly accepted: (delivery: Delivery) => boolean;
  /**
   * Sends payloads that are not valid for the channel (shaped as a broken or hostile client
   * would), each with the answer the channel must give; `null`: the platform has no answer
   * to give (a client-library event), the payload is only dropped.
   */
  sendMalformed(): Promise<Array<{ delivery: Delivery; expected: number | null }>>;
  /** the files the platform can carry; none: the channel has no way to send one */
  readonly media: readonly MediaSample[];
  /** a file-shaped payload on a channel that cannot carry files, and the status it must get */
  sendUnsupportedFile?(person: ChannelPerson): Promise<{ delivery: Delivery; expected: number }>;
  /**
   * Postgres is unreachable while `delivery` was handed over: waits until the platform was told
   * to retry (a 5xx with Retry-After, or the adapter keeping the event to retry it).
   */
  awaitRetrySignal(delivery: Delivery): Promise<void>;
  /** the platform's retry once Postgres is back (a webhook redelivered; a client library retries itself) */
  redeliverAfterOutage(person: ChannelPerson): Promise<void>;
  /** cuts / restores the service's connections to Postgres (a TCP proxy in front of it) */
  cutPostgres(): void;
  restorePostgres(): Promise<void>;
  /** ids that identify a person in the clear and must never reach the logs */
  secretIdsOf(person: ChannelPerson): string[];
  close(): Promise<void>;
}

/** How a channel is started for the suite (one Relais per channel, shared by its walks and its contract). */
export interface ChannelDefinition {
  name: string;
  /** the platform lets a person send files (photos, voice messages…) */
  carriesFiles: boolean;
  start(): Promise<ChannelDriver>;
}
