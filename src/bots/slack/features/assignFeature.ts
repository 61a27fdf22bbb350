import type { App } from '@slack/bolt';
import { z } from 'zod';
import { NotFound, UnknownReference } from '../../../core/errors.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { readTaskData } from '../../../core/queue/taskData.js';
import { requestView } from '../../../core/requests/requestQueries.js';
import {
  assignRequest,
  canAssign,
  REQUEST_ASSIGNED_TASK,
  tellAssigneeOnce,
} from '../../../core/requests/assignRequest.js';
import { assertCanActOnRequest } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { input, modal, section, type ModalView } from '../blocks/kit.js';
import { REQUEST_ACTIONS, type Say } from '../blocks/requestCard.js';
import { onSubmission, type SubmissionOutcome } from '../modals/submission.js';
import { asTaskError } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { tellUser } from '../staffGate.js';
import { onRequestButton } from './requestButtons.js';

export const ASSIGN_VIEW = 'assign_request';
export const ASSIGN_BLOCK = 'assignee';
const metadataSchema = z.object({ requestId: z.string().uuid() });
const assignedTask = z.object({
  requestId: z.string().uuid(),
  assigneeId: z.string().uuid(),
  byStaffId: z.string().uuid(),
});

/**
 * The assignment modal: a user picker (Slack shows people's names); the choice is checked against the association's
 * staff on submit.
 */
export function assignModal(
  m: { requestId: string; reference: string; currentSlackId: string | null },
  say: Say,
): ModalView {
  return modal(
    ASSIGN_VIEW,
    say('slack:assign.title'),
    [
      section(say('slack:assign.intro', { reference: m.reference })),
      input(ASSIGN_BLOCK, say('slack:assign.who'), {
        type: 'users_select',
        action_id: 'user',
        ...(m.currentSlackId ? { initial_user: m.currentSlackId } : {}),
      }),
    ],
    { submit: say('slack:assign.submit'), close: say('slack:modal.cancel'), metadata: { requestId: m.requestId } },
  );
}

/**
 * Assigning a request to a colleague: the card's "Assign" button opens a user picker
 * (coordinators and admins only); the submission assigns, audits and refreshes the card;
 * the colleague gets a direct message from the app (`request.assigned`).
 */
export function registerAssign(app: App, deps: SlackDeps): void {
  onRequestButton(app, deps, REQUEST_ACTIONS.assign, async ({ staff, requestId, client, triggerId, audience }) => {
    const say = sayIn(deps, staff.language);
    if (!canAssign(staff)) return tellUser(client, audience, say('slack:assign.coordinators_only'));
    if (!triggerId) return;
    const request = await requestView(deps.db, requestId);
    if (!request) throw new NotFound('request');
    assertCanActOnRequest(staff, request);
    const current = { requestId, reference: request.reference, currentSlackId: request.assigneeSlackId };
    await client.views.open({ trigger_id: triggerId, view: assignModal(current, say) });
  });

  onSubmission(
    app,
    deps,
    ASSIGN_VIEW,
    ASSIGN_BLOCK,
    async ({ staff, say, state, metadata, viewId }): Promise<SubmissionOutcome> => {
      const parsed = metadataSchema.safeParse(metadata);
      const assigneeSlackId = state.user(ASSIGN_BLOCK, 'user');
      if (!parsed.success || !assigneeSlackId) return { errors: { [ASSIGN_BLOCK]: say('slack:assign.pick') } };
      try {
        await runStaffAction(deps, async (tx) => {
          if (!(await claimOnce(tx, `slack:view:${viewId}`))) return {};
          return assignRequest(tx, { requestId: parsed.data.requestId, staff, assigneeSlackId });
        });
      } catch (error) {
        if (error instanceof UnknownReference) return { errors: { [ASSIGN_BLOCK]: say('slack:assign.not_colleague') } };
        throw error;
      }
      return { close: true };
    },
  );
}

/** The direct message to the colleague a request was assigned to, once per assignment. */
export function assignTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  return {
    [REQUEST_ASSIGNED_TASK]: async (data, job) => {
      const task = readTaskData(assignedTask, data, REQUEST_ASSIGNED_TASK);
      return tellAssigneeOnce(
        deps.db,
        { ...task, taskKey: job.id ?? `${task.requestId}:${task.assigneeId}` },
        async (notice) => {
          const say = sayIn(deps, notice.assigneeLanguage);
          const params = {
            coordinator: notice.coordinatorSlackId,
            reference: notice.reference,
            kind: say(`slack:kind.${notice.kind}`),
            channel: notice.cardChannelId ?? '',
          };
          const text = say(notice.cardChannelId ? 'slack:assign.dm' : 'slack:assign.dm_no_card', params);
          // a user id as channel: Slack posts in the app's direct messages with that person
          await client.chat.postMessage({
            channel: notice.assigneeSlackId,
            text,
            unfurl_links: false,
            unfurl_media: false,
          });
        },
      ).catch((error: unknown) => Promise.reject(asTaskError(error)));
    },
  };
}
