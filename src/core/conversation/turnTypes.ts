import type { DomainCommand } from '../commands/commandTypes.js';
import type { InboundContent } from '../messages/messageTypes.js';

// What a turn of a conversation is made of, as the core and the flow engine both see it. The
// core defines it (the engine implements the TurnEngine port over it); pure data, no I/O.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type FlowData = Record<string, JsonValue>;

/**
 * A reply parameter: a literal, a value given back by a command of this turn, or a text of
 * its own in the person's language (`{ t: 'phone:situation_lost' }`, for summaries and lists).
 */
export type ReplyParam =
  | string
  | number
  | { fromCommand: string; field: string }
  | { t: string; params?: Record<string, string | number> };

export interface ChoiceSpec {
  id: string;
  /** i18n key of the label, or a literal label (names from the database) */
  labelKey?: string;
  label?: string;
  labelParams?: Record<string, string | number>;
  /** not shown, but understood when typed (a word, a number after the shown ones); put hidden choices last */
  hidden?: boolean;
}

/** One message to the person, as an i18n key; rendered into their language by the core. */
export interface Reply {
  key: string;
  params?: Record<string, ReplyParam>;
  choices?: ChoiceSpec[];
  /** the choices are kept to match the answer but not shown (they are on screen higher up) */
  silentChoices?: boolean;
  askLocation?: boolean;
  /**
   * a secret the person must see once (their reconnection code): Relais erases the message's
   * text once it is delivered (Telegram, WhatsApp), fetched (web chat) or failed for good
   */
  sensitive?: boolean;
}

/** What the flow sees of one inbound message, after the engine matched choices. */
export type FlowInput = InboundContent | { kind: 'event'; name: string; data: Record<string, unknown> };

export interface ReferenceData {
  associations: Array<{ id: string; name: string }>;
}

export interface FlowContact {
  id: string;
  kind: 'BENEFICIARY' | 'DONOR';
  language: string | null;
  associationId: string | null;
  consented: boolean;
}

export interface FlowSettings {
  languages: readonly string[];
  rtlLanguages: readonly string[];
  rechargeQuota: { count: number; days: number };
}

/** Everything a flow may look at. Deterministic: no clock, no I/O beyond what is given here. */
export interface FlowContext {
  now: Date;
  language: string;
  contact: FlowContact;
  reference: ReferenceData;
  settings: FlowSettings;
  /** deterministic id for commands of this turn (engine-provided) */
  commandId: (name: string) => string;
}

/** Stored conversation state; `v` lets us migrate stored JSON when its shape changes. */
export interface FlowState {
  v: 1;
  flow: string;
  step: string;
  data: FlowData;
  stack: Array<{ step: string; data: FlowData }>;
  /** choices shown with the last prompt, with their labels as shown, for matching answers */
  choices: Array<{ id: string; label: string }>;
  paused: boolean;
}

/** What one turn of the engine produces. */
export interface TurnResult {
  state: FlowState;
  replies: Array<Reply & { renderedChoices?: Array<{ id: string; label: string }> }>;
  commands: DomainCommand[];
  /** names of flows completed in this turn (metrics) */
  completed: string[];
  /** the person's text was read by a `secretInput` step: its stored copy must not keep it */
  redactInput: boolean;
}
