import { z } from 'zod';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import type { PledgeDraft } from '../pledges/pledgeDraft.js';

export const PLACE_CATEGORIES = ['ASSOCIATION', 'DISTRIBUTION', 'CHARGING', 'RELAY_POINT', 'DROP_OFF'] as const;
export type PlaceCategoryName = (typeof PLACE_CATEGORIES)[number];
/** What a person answers to a check-in or an appointment reminder. */
export const FOLLOW_UP_ANSWERS = ['works', 'problem', 'lost', 'coming', 'cannot_come'] as const;
export type FollowUpAnswer = (typeof FOLLOW_UP_ANSWERS)[number];

/**
 * Domain commands a flow asks the core to carry out. They run inside the same database
 * transaction as the state change and the outbound messages, so a replayed inbound message
 * can never apply them twice. A command may give back values (a request reference) that
 * replies refer to with `{ fromCommand, field }`, and an event that is fed back to the flow.
 */
export type DomainCommand =
  | { type: 'setLanguage'; language: string }
  | { type: 'acceptPrivacy' }
  | { type: 'pauseContact' }
  /** announcements on or off (keyword, "My data"); conversations and follow-ups are not affected */
  | { type: 'setAnnouncements'; enabled: boolean }
  | { type: 'resumeContact' }
  | { type: 'eraseContact' }
  /** feeds back event `requestCreated` (see commandEvents.ts) */
  | {
      type: 'createRequest';
      id: string;
      kind: 'PHONE' | 'RECHARGE' | 'HELP' | 'CONTACT';
      urgency?: 'LOW' | 'NORMAL' | 'HIGH';
      associationId?: string | null;
      /** validated per kind by src/core/requests/requestDetails.ts */
      details: Record<string, unknown>;
      /** also link the current inbound message to the request (first words to a volunteer) */
      attachMessage?: boolean;
    }
  /** link the current inbound message to an open request (talk to a volunteer); feeds back `requestMessage` */
  | { type: 'attachToRequest'; requestId: string }
  /** feeds back `requestCancelled` */
  | { type: 'cancelRequest'; requestId: string }
  /** feeds back event `myRequests` with the contact's requests */
  | { type: 'listMyRequests' }
  /** feeds back event `places` with the nearest / listed places */
  | {
      type: 'findPlaces';
      category: PlaceCategoryName | null;
      near?: { latitude: number; longitude: number };
      postcode?: string;
      accepts?: string;
      limit?: number;
    }
  /** gives back value `code` (formatted for reading) */
  | { type: 'issuePersonalCode'; id: string }
  /** feeds back event `codeChecked`; the code as typed, never kept (the state keeps its hash) */
  | { type: 'checkReconnectCode'; code: string }
  /** feeds back event `identityLinked`; `codeHash` as given back by `codeChecked` */
  | { type: 'linkIdentity'; contactId: string; codeHash: string }
  /** shared handset: start a new empty profile on this identity */
  | { type: 'startNewProfile' }
  | { type: 'answerFollowUp'; followUpId: string; answer: FollowUpAnswer }
  /** validated again by pledgeDraftSchema; feeds back event `pledgeCreated` */
  | { type: 'createPledge'; id: string; pledge: PledgeDraft }
  /** the donor's milestone messages on or off */
  | { type: 'setDonorUpdates'; enabled: boolean };

export type CommandType = DomainCommand['type'];

/** What running a command gives back: named values for replies, and optionally an event for the flow. */
export interface CommandOutcome {
  values?: Record<string, string | number>;
  event?: { name: string; data: Record<string, unknown> };
  /** OutboxJob rows written by the command, handed to BullMQ right after the commit */
  jobIds?: string[];
  /** outbound messages the command wrote (to other accounts than the turn's), dispatched after the commit */
  messages?: DispatchableMessage[];
}

export const feedbackEventSchema = z.object({ name: z.string(), data: z.record(z.unknown()) });
