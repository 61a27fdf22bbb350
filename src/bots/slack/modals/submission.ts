import type { App } from '@slack/bolt';
import { z } from 'zod';
import { RelaisError } from '../../../core/errors.js';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import { findStaffBySlackId, type StaffActor } from '../../../core/staff/staffAccess.js';
import type { Say } from '../blocks/requestCard.js';
import { errorText, unknownUserText } from '../staffGate.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { ViewState, viewStateSchema } from './viewState.js';

const submissionSchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    id: z.string().min(1),
    private_metadata: z.string().default(''),
    state: z.object({ values: viewStateSchema }),
  }),
});

const metadataSchema = z.record(z.string());

export interface SubmissionContext {
  staff: StaffActor;
  say: Say;
  state: ViewState;
  metadata: Record<string, string>;
  viewId: string;
  client: SlackClient;
}

/** `close` closes the modal; `errors` keeps it open with a message under each named block. */
export type SubmissionOutcome = { close: true } | { errors: Record<string, string> };

/**
 * Registers a modal submission. The work runs before the acknowledgement because its result
 * decides the answer (close, or errors shown in the modal); it must stay well under Slack's
 * 3 s. A domain error becomes a sentence under `errorBlock`.
 */
export function onSubmission(app: App, deps: SlackDeps, callbackId: string, errorBlock: string, handle: (ctx: SubmissionContext) => Promise<SubmissionOutcome>): void {
  app.view(callbackId, async ({ ack, body, client }) => {
    const parsed = submissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      return;
    }
    const metadata = metadataSchema.safeParse(safeJson(parsed.data.view.private_metadata));
    const staff = await findStaffBySlackId(deps.db, parsed.data.user.id);
    if (!staff || !metadata.success) {
      await ack({ response_action: 'errors', errors: { [errorBlock]: unknownUserText(deps) } });
      return;
    }
    const say = sayIn(deps, staff.language);
    const state = new ViewState(parsed.data.view.state.values);
    let outcome: SubmissionOutcome;
    try {
      outcome = await handle({ staff, say, state, metadata: metadata.data, viewId: parsed.data.view.id, client });
    } catch (error) {
      if (!(error instanceof RelaisError)) deps.log.warn({ err: errorSummary(error), view: callbackId }, 'slack submission failed');
      outcome = { errors: { [state.blockOf(errorBlock)]: errorText(say, error) } };
    }
    if ('errors' in outcome) await ack({ response_action: 'errors', errors: outcome.errors });
    else await ack();
  });
}

/** JSON.parse that answers null instead of throwing (private_metadata comes back from the client). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
