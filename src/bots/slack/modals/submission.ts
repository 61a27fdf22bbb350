import type { App } from '@slack/bolt';
import { z } from 'zod';
import { RelaisError } from '../../../core/errors.js';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import { findStaffBySlackId, type StaffActor } from '../../../core/staff/staffAccess.js';
import { modal, section, type ModalView } from '../blocks/kit.js';
import type { Say } from '../blocks/requestCard.js';
import { errorText, unknownUserText } from '../staffGate.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { ViewState, viewStateSchema } from './viewState.js';

/** a view_submission payload as Slack posts it (the fields Relais reads) */
export const submissionSchema = z.object({
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
 * Slack waits 3 s for the answer to a submission, and an empty answer closes the modal as if
 * the work succeeded. Work still running after this long is answered with a "working…" view
 * (`response_action: update`), and its result replaces that view later (views.update).
 */
export const SUBMISSION_WORKING_AFTER_MS = 2_500;

/** Callback id of the views shown during and after slow work (no submit button: nothing to submit there). */
export const SUBMISSION_PROGRESS_VIEW = 'submission_progress';

/**
 * Reads `private_metadata`: Slack sends it back as an empty string when the view was opened
 * without any (the needs census), which means "no metadata", not a forgery.
 */
export function readMetadata(text: string): Record<string, string> | null {
  if (text.trim() === '') return {};
  const parsed = metadataSchema.safeParse(safeJson(text));
  return parsed.success ? parsed.data : null;
}

function progressView(say: Say, text: string, title: string): ModalView {
  return modal(SUBMISSION_PROGRESS_VIEW, title, [section(text)], { close: say('slack:modal.close') });
}

/** What replaces the "working…" view once the slow work is over: done, or every error in plain words. */
export function resultView(say: Say, outcome: SubmissionOutcome): ModalView {
  if (!('errors' in outcome)) return progressView(say, say('slack:modal.done'), say('slack:modal.done_title'));
  const errors = [...new Set(Object.values(outcome.errors))].map((e) => `• ${e}`).join('\n');
  return progressView(say, `${say('slack:modal.failed')}\n${errors}`, say('slack:modal.failed_title'));
}

/**
 * Registers a modal submission. The work runs before the acknowledgement because its result
 * decides the answer (close, or errors shown in the modal). Work that is not finished after
 * SUBMISSION_WORKING_AFTER_MS turns the modal into a "working…" view, then into the result (done,
 * or the errors) with views.update: a slow allocation that fails is never shown as a success.
 * A domain error becomes a sentence under `errorBlock`.
 */
export function onSubmission(
  app: App,
  deps: SlackDeps,
  callbackId: string,
  errorBlock: string,
  handle: (ctx: SubmissionContext) => Promise<SubmissionOutcome>,
): void {
  app.view(callbackId, async ({ ack, body, client }) => {
    const startedAt = Date.now();
    const parsed = submissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      return;
    }
    const viewId = parsed.data.view.id;
    const metadata = readMetadata(parsed.data.view.private_metadata);
    const staff = await findStaffBySlackId(deps.db, parsed.data.user.id);
    if (!staff) {
      await ack({ response_action: 'errors', errors: { [errorBlock]: unknownUserText(deps) } });
      return;
    }
    const say = sayIn(deps, staff.language);
    const state = new ViewState(parsed.data.view.state.values);
    if (!metadata) {
      deps.log.warn({ view: callbackId }, 'slack submission with unreadable metadata');
      await ack({ response_action: 'errors', errors: { [state.blockOf(errorBlock)]: say('slack:errors.generic') } });
      return;
    }
    const work: Promise<SubmissionOutcome> = handle({ staff, say, state, metadata, viewId, client }).catch(
      (error: unknown) => {
        if (!(error instanceof RelaisError))
          deps.log.warn({ err: errorSummary(error), view: callbackId }, 'slack submission failed');
        return { errors: { [state.blockOf(errorBlock)]: errorText(say, error) } };
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), Math.max(0, SUBMISSION_WORKING_AFTER_MS - (Date.now() - startedAt)));
    });
    const first = await Promise.race([work, late]);
    clearTimeout(timer);
    if (first !== 'late') {
      if ('errors' in first) await ack({ response_action: 'errors', errors: first.errors });
      else await ack();
      return;
    }
    await ack({
      response_action: 'update',
      view: progressView(say, say('slack:modal.working'), say('slack:modal.working_title')),
    });
    const outcome = await work;
    // no hash: the "working…" view has a new one we were not told; nobody else changes this view
    await client.views.update({ view_id: viewId, view: resultView(say, outcome) }).catch((error: unknown) => {
      deps.log.warn({ err: errorSummary(error), view: callbackId }, 'slack submission result not shown');
    });
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
