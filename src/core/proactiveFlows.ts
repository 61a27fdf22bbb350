/**
 * Flows the core opens by itself with InboundService.startFlowFor (no input from the person).
 * The flows in src/flows take their names from here, so the two sides cannot drift apart.
 */

/** The conversation each kind of follow-up opens (src/flows/checkIn.ts, appointmentReminder.ts). */
export const FOLLOW_UP_FLOWS = { CHECKIN: 'checkIn', APPOINTMENT_REMINDER: 'appointmentReminder' } as const;

/** The conversation a person answers volunteers in (src/flows/volunteerChat.ts). */
export const VOLUNTEER_CHAT = { flow: 'volunteer', step: 'chat' } as const;
