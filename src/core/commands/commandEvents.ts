import { z } from 'zod/v4';
import { placeHoursSchema } from '../places/placeHours.js';
import { PLACE_CATEGORIES } from './commandTypes.js';

const requestKind = z.enum(['PHONE', 'RECHARGE', 'HELP', 'CONTACT']);
const requestStatus = z.enum(['OPEN', 'CLAIMED', 'ALLOCATED', 'SERVED', 'CLOSED', 'CANCELLED']);

/**
 * Events commands feed back to flows (data a flow needs from the database). Handlers build
 * them with these types; flows read them with these schemas (flows trust nothing unparsed).
 */
export const commandEvents = {
  /** createRequest: the new request, or the open one it joined (`existing`) */
  requestCreated: z.object({
    requestId: z.string(),
    reference: z.string(),
    kind: requestKind,
    flaggedReason: z.string().nullable(),
    existing: z.boolean(),
  }),
  /** attachToRequest: false when the request was closed meanwhile */
  requestMessage: z.object({ attached: z.boolean() }),
  requestCancelled: z.object({
    result: z.enum(['cancelled', 'not_cancellable', 'not_found']),
    reference: z.string().nullable(),
  }),
  myRequests: z.object({
    requests: z.array(
      z.object({
        id: z.string(),
        reference: z.string(),
        kind: requestKind,
        status: requestStatus,
        createdAt: z.string(),
        cancellable: z.boolean(),
        appointment: z.object({ at: z.string(), place: z.string().nullable() }).nullable(),
      }),
    ),
  }),
  places: z.object({
    places: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        category: z.enum(PLACE_CATEGORIES),
        address: z.string().nullable(),
        postcode: z.string().nullable(),
        city: z.string().nullable(),
        distanceKm: z.number().nullable(),
        hours: placeHoursSchema,
      }),
    ),
  }),
  /** checkReconnectCode: on success only a minimal hint about the profile, never details */
  codeChecked: z.discriminatedUnion('result', [
    z.object({
      result: z.literal('ok'),
      contactId: z.string(),
      /** the code's keyed hash: what the conversation keeps until "is this you?" is answered */
      codeHash: z.string(),
      openRequests: z.number().int(),
      language: z.string().nullable(),
    }),
    z.object({ result: z.literal('invalid'), attemptsLeft: z.number().int() }),
    z.object({ result: z.literal('locked') }),
    z.object({ result: z.literal('paused') }),
    z.object({ result: z.literal('self') }),
  ]),
  identityLinked: z.object({ linked: z.boolean() }),
  /** createPledge: the new pledge's reference */
  pledgeCreated: z.object({ pledgeId: z.string(), reference: z.string() }),
} as const;

export type CommandEventName = keyof typeof commandEvents;
export type CommandEventData<N extends CommandEventName> = z.infer<(typeof commandEvents)[N]>;

/** Builds the `event` of a CommandOutcome, typed by its name. */
export function commandEvent<N extends CommandEventName>(
  name: N,
  data: CommandEventData<N>,
): { name: N; data: Record<string, unknown> } {
  return { name, data };
}
