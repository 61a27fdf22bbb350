import type { App } from '@slack/bolt';
import { z } from 'zod';
import { InvalidTransition } from '../../../core/errors.js';
import { postFollowUpNoticeOnce, type FollowUpNotice } from '../../../core/followUps/followUpNotices.js';
import { FOLLOW_UP_TASKS } from '../../../core/followUps/followUpService.js';
import { pendingAppointment, rescheduleAppointment } from '../../../core/followUps/rescheduleAppointment.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { readTaskData } from '../../../core/queue/taskData.js';
import { assertCanActOnRequest } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { actions, button, section, type ActionElement, type Block } from '../blocks/kit.js';
import { REQUEST_ACTIONS, type Say } from '../blocks/requestCard.js';
import { RESCHEDULE_BLOCKS, RESCHEDULE_VIEW, rescheduleModal } from '../modals/rescheduleModal.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { asTaskError } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { slackDate } from '../slackText.js';
import { tellUser } from '../staffGate.js';
import { onRequestButton } from './requestButtons.js';
import { channelLanguage } from '../../../core/staff/channelLanguage.js';
import { requestCards } from './requestCards.js';

const followUpTask = z.object({ followUpId: z.string().uuid() });
const metadataSchema = z.object({ requestId: z.string().uuid() });
/** an appointment a little in the past is a slip of the picker, not an error */
const PAST_TOLERANCE_MS = 10 * 60_000;

/**
 * The thread message of a follow-up notice, with the buttons that fit: reply, and for an appointment reschedule or
 * cancel.
 */
export function noticeMessage(notice: FollowUpNotice, say: Say): { text: string; blocks: Block[] } {
  const { signal, request } = notice;
  // the appointment's date for a reminder, the day the check-in was sent for a silence
  const date = slackDate(signal.kind === 'silent' ? (notice.sentAt ?? signal.at) : (signal.appointmentAt ?? signal.at));
  const text = say(`slack:followup.thread.${signal.kind}`, { reference: request.reference, date });
  const buttons: ActionElement[] = [button(REQUEST_ACTIONS.reply, say('slack:actions.reply'), request.id, 'primary')];
  const aboutAppointment = signal.kind === 'cannot_come' || signal.kind === 'not_confirmed';
  if (aboutAppointment && notice.allocationActive) {
    buttons.push(button(REQUEST_ACTIONS.reschedule, say('slack:followup.reschedule'), request.id));
    buttons.push(
      button(REQUEST_ACTIONS.cancelAllocation, say('slack:actions.cancel_allocation'), request.id, 'danger'),
    );
  }
  return { text, blocks: [section(text), ...actions(`followup:${signal.followUpId}`, buttons)] };
}

/** Posts what a person answered (or that they did not) in the request card's thread, once. */
async function postNotice(deps: SlackDeps, client: SlackClient, followUpId: string): Promise<string> {
  const postCard = (requestId: string) => requestCards(deps, client).publish(requestId);
  return postFollowUpNoticeOnce(
    deps.db,
    followUpId,
    async (notice) => {
      const { slackChannelId, slackTs } = notice.request;
      if (!slackChannelId || !slackTs) return;
      const say = sayIn(deps, await channelLanguage(deps.db, notice.request.associationId, deps.config.SLACK_LANGUAGE));
      const message = noticeMessage(notice, say);
      await client.chat.postMessage({
        channel: slackChannelId,
        thread_ts: slackTs,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
    },
    postCard,
  );
}

/**
 * What people answer reaches a volunteer: a check-in answered "problem" or "lost it", an
 * appointment the person cannot come to or did not confirm, a check-in left unanswered are
 * posted in the request's thread (the card shows the latest, "I will come" included, through
 * `request.changed`). The thread's "Reschedule" button moves the appointment.
 */
export function registerFollowUpAnswers(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.reschedule, async ({ staff, requestId, client, triggerId, audience }) => {
    if (!triggerId) return;
    const pending = await pendingAppointment(deps.db, requestId);
    const say = sayIn(deps, staff.language);
    if (!pending) return tellUser(client, audience, say('slack:followup.no_allocation'));
    assertCanActOnRequest(staff, pending);
    await client.views.open({
      trigger_id: triggerId,
      view: rescheduleModal(
        { requestId, reference: pending.reference, at: pending.appointmentAt, place: pending.place },
        say,
      ),
    });
  });

  onSubmission(
    app,
    deps,
    RESCHEDULE_VIEW,
    RESCHEDULE_BLOCKS.at,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const parsed = metadataSchema.safeParse(metadata);
      if (!parsed.success) return { errors: { [RESCHEDULE_BLOCKS.at]: say('slack:errors.generic') } };
      const at = state.dateTime(RESCHEDULE_BLOCKS.at, 'at');
      const place = state.text(RESCHEDULE_BLOCKS.place, 'place');
      if (!at || at.getTime() < Date.now() - PAST_TOLERANCE_MS)
        return { errors: { [RESCHEDULE_BLOCKS.at]: say('slack:allocate.in_the_past') } };
      if (!place) return { errors: { [RESCHEDULE_BLOCKS.place]: say('slack:allocate.need_place') } };
      try {
        await runStaffAction(deps, async (tx) => {
          if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
          const result = await rescheduleAppointment(tx, deps.i18n, {
            requestId: parsed.data.requestId,
            staff,
            at,
            place,
            timeZone: deps.config.TIME_ZONE,
          });
          return { messages: [result.message], jobIds: result.jobIds };
        });
      } catch (error) {
        if (error instanceof InvalidTransition)
          return { errors: { [RESCHEDULE_BLOCKS.at]: say('slack:followup.no_allocation') } };
        throw error;
      }
      return { close: true };
    },
  );
}

/** The tasks that post follow-up notices (they replace the core's no-ops when Slack runs). */
export function followUpNoticeTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  const run = (name: string) => (data: unknown) =>
    postNotice(deps, client, readTaskData(followUpTask, data, name).followUpId).catch((error: unknown) =>
      Promise.reject(asTaskError(error)),
    );
  return {
    [FOLLOW_UP_TASKS.answered]: run(FOLLOW_UP_TASKS.answered),
    [FOLLOW_UP_TASKS.unanswered]: run(FOLLOW_UP_TASKS.unanswered),
  };
}
