import type { App } from '@slack/bolt';
import { z } from 'zod';
import { AnnouncementRefused, InvalidAnnouncement } from '../../../core/announcements/announcementTemplates.js';
import {
  ANNOUNCEMENT_TASKS,
  attachSlackMessage,
  audienceLanguages,
  allowedAudience,
  cancelAnnouncement,
  createAnnouncement,
  drawGroups,
  previewAnnouncement,
  readAnnouncement,
  type AnnouncementActor,
  announcementAuthor,
  announceablePlaces,
} from '../../../core/announcements/announcementService.js';
import { audienceSchema } from '../../../core/announcements/announcementAudience.js';
import { claimOnce } from '../../../core/idempotency/claimOnce.js';
import { errorSummary } from '../../../core/outbound/outboxDispatcher.js';
import type { TaskHandlers } from '../../../core/queue/taskWorker.js';
import { findStaffBySlackId, type StaffActor } from '../../../core/staff/staffAccess.js';
import { runStaffAction } from '../../../core/staff/staffTransaction.js';
import { ANNOUNCE_CANCEL_ACTION, announcementProgressBlocks } from '../blocks/announcementProgress.js';
import type { Say } from '../blocks/requestCard.js';
import {
  ANNOUNCE_BLOCKS,
  ANNOUNCE_VIEWS,
  placeOption,
  previewModal,
  readCompose,
  readTexts,
  textBlocksOf,
  textsModal,
} from '../modals/announceModals.js';
import { safeJson, submissionSchema } from '../modals/submission.js';
import { ViewState } from '../modals/viewState.js';
import { asTaskError } from '../slackErrors.js';
import { sayIn, type SlackClient, type SlackDeps } from '../slackDeps.js';
import { tellUser, unknownUserText } from '../staffGate.js';
import { onRequestButton } from './requestButtons.js';

const metadataSchema = z.object({
  channel: z.string().default(''),
  draft: z.string().optional(),
  languages: z.string().optional(),
});
const draftSchema = z.object({ freeText: z.boolean(), input: z.record(z.unknown()) });
/** what a `block_suggestion` (a searching menu asking for its options) carries that we read */
const suggestionSchema = z.object({ user: z.object({ id: z.string() }), value: z.string().max(200).default('') });

export const staffActor = (staff: StaffActor): AnnouncementActor => ({
  type: 'STAFF',
  id: staff.id,
  role: staff.role,
  associationId: staff.associationId,
});

type Answer =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: ReturnType<typeof previewModal> }
  | undefined;

interface Step {
  staff: StaffActor;
  say: Say;
  state: ViewState;
  metadata: z.infer<typeof metadataSchema>;
  viewId: string;
  client: SlackClient;
}

/** A refusal from the core, as a sentence under the modal's first field. */
function refusal(error: unknown, say: Say): Record<string, string> | null {
  if (error instanceof AnnouncementRefused)
    return { [ANNOUNCE_BLOCKS.kind]: say(`slack:announce.errors.${error.reason}`) };
  if (error instanceof InvalidAnnouncement) return { [ANNOUNCE_BLOCKS.kind]: say('slack:announce.errors.invalid') };
  return null;
}

function onAnnounceView(app: App, deps: SlackDeps, callbackId: string, handle: (step: Step) => Promise<Answer>): void {
  app.view(callbackId, async ({ ack, body, client }) => {
    const parsed = submissionSchema.safeParse(body);
    if (!parsed.success) return void (await ack());
    const metadata = metadataSchema.safeParse(safeJson(parsed.data.view.private_metadata));
    const staff = await findStaffBySlackId(deps.db, parsed.data.user.id);
    if (!staff || !metadata.success)
      return void (await ack({ response_action: 'errors', errors: { [ANNOUNCE_BLOCKS.kind]: unknownUserText(deps) } }));
    const say = sayIn(deps, staff.language);
    let answer: Answer;
    try {
      answer = await handle({
        staff,
        say,
        state: new ViewState(parsed.data.view.state.values),
        metadata: metadata.data,
        viewId: parsed.data.view.id,
        client,
      });
    } catch (error) {
      const errors = refusal(error, say);
      if (!errors) deps.log.warn({ err: errorSummary(error), view: callbackId }, 'slack announcement step failed');
      answer = { response_action: 'errors', errors: errors ?? { [ANNOUNCE_BLOCKS.kind]: say('slack:errors.generic') } };
    }
    await ack(answer);
  });
}

/**
 * The draft carried from one modal to the next (private_metadata: ids and choices, never texts); checked again by the
 * core.
 */
function draftOf(metadata: z.infer<typeof metadataSchema>): Record<string, unknown> {
  return draftSchema.parse(safeJson(metadata.draft ?? '')).input;
}

/**
 * Records the announcement (audited, start scheduled), posts its progress message in the
 * channel the command was typed in (or to the author when the bot is not there), once per
 * modal submission.
 */
async function send(deps: SlackDeps, step: Step, input: Record<string, unknown>): Promise<void> {
  const created = await runStaffAction(deps, async (tx) => {
    if (!(await claimOnce(tx, `slack:view:${step.viewId}`))) return { id: null, number: 0, jobIds: [] };
    return createAnnouncement(tx, { config: deps.config }, input, staffActor(step.staff));
  });
  if (!created.id) return;
  const view = await readAnnouncement(deps.db, created.id);
  if (!view) return;
  const message = announcementProgressBlocks(
    view,
    step.staff.slackUserId,
    step.say,
    deps.config.ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS,
  );
  const posted = await step.client.chat
    .postMessage({ channel: step.metadata.channel || step.staff.slackUserId, ...message })
    .catch(() => step.client.chat.postMessage({ channel: step.staff.slackUserId, ...message }));
  if (posted.ts && posted.channel) await attachSlackMessage(deps.db, created.id, posted.channel, posted.ts);
}

/**
 * `/relais announce` from Slack: step 1 (what, to whom, when) → for a template, a preview
 * (counts per language and channel, time per channel, the text as two languages read it) →
 * Send; for free text, one field per language of the audience with its readers → Send. Then
 * a progress message in the channel, updated in place, with Cancel.
 */
export function registerAnnounce(app: App, deps: SlackDeps): void {
  const whatsappDays = deps.config.ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS;

  onAnnounceView(app, deps, ANNOUNCE_VIEWS.compose, async (step) => {
    const read = readCompose(step.state, step.say);
    if ('errors' in read) return { response_action: 'errors', errors: read.errors };
    const { freeText, input, sendAt } = read.draft;
    const actor = staffActor(step.staff);
    const metadata = { channel: step.metadata.channel, draft: JSON.stringify({ freeText, input }) };
    if (freeText) {
      const audience = allowedAudience(actor, audienceSchema.parse(input.audience));
      const languages = audienceLanguages(await drawGroups(deps.db, { config: deps.config }, audience));
      if (languages.length === 0)
        return {
          response_action: 'errors',
          errors: { [ANNOUNCE_BLOCKS.kind]: step.say('slack:announce.invalid.nobody') },
        };
      const footer = deps.i18n.t(languages[0]?.language ?? 'fr', 'announcements:footer', {
        keyword: deps.i18n.t(languages[0]?.language ?? 'fr', 'announcements:stop_word'),
      });
      const view = textsModal(
        {
          languages,
          footer,
          metadata: { ...metadata, languages: languages.map((l) => l.language).join(',') },
          scheduled: sendAt !== null,
        },
        step.say,
      );
      return { response_action: 'update', view };
    }
    const preview = await previewAnnouncement(deps.db, deps.i18n, { config: deps.config }, input, actor);
    if (preview.total === 0)
      return {
        response_action: 'errors',
        errors: { [ANNOUNCE_BLOCKS.kind]: step.say('slack:announce.invalid.nobody') },
      };
    return { response_action: 'update', view: previewModal({ preview, metadata, sendAt, whatsappDays }, step.say) };
  });

  onAnnounceView(app, deps, ANNOUNCE_VIEWS.texts, async (step) => {
    const languages = (step.metadata.languages ?? '').split(',').filter(Boolean);
    const texts = readTexts(step.state, languages);
    if (Object.keys(texts).length === 0)
      return {
        response_action: 'errors',
        errors: Object.fromEntries(
          textBlocksOf(languages)
            .slice(0, 1)
            .map((b) => [b, step.say('slack:announce.invalid.texts')]),
        ),
      };
    await send(deps, step, { ...draftOf(step.metadata), texts });
    return undefined;
  });

  onAnnounceView(app, deps, ANNOUNCE_VIEWS.preview, async (step) => {
    await send(deps, step, draftOf(step.metadata));
    return undefined;
  });

  // the place menu of a network with more than 100 places: the places matching what is typed, in the staff's scope
  app.options<'block_suggestion'>({ block_id: ANNOUNCE_BLOCKS.place, action_id: 'value' }, async ({ ack, body }) => {
    const parsed = suggestionSchema.safeParse(body);
    const staff = parsed.success ? await findStaffBySlackId(deps.db, parsed.data.user.id) : null;
    if (!parsed.success || !staff || staff.role === 'VOLUNTEER') return void (await ack({ options: [] }));
    const places = await announceablePlaces(deps.db, staff.role === 'ADMIN' ? null : staff.associationId, {
      search: parsed.data.value,
    });
    await ack({ options: places.map(placeOption) });
  });

  onRequestButton(app, deps, ANNOUNCE_CANCEL_ACTION, async ({ staff, requestId: announcementId, client, audience }) => {
    const say = sayIn(deps, staff.language);
    try {
      await runStaffAction(deps, (tx) => cancelAnnouncement(tx, announcementId, staffActor(staff)));
    } catch (error) {
      if (error instanceof AnnouncementRefused)
        return tellUser(client, audience, say(`slack:announce.errors.${error.reason}`));
      throw error;
    }
  });
}

/** `announcement.progress`: the progress message re-rendered in place from the exact counts. */
export function announcementSlackTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  return {
    [ANNOUNCEMENT_TASKS.progress]: async (data) => {
      const { announcementId } = z.object({ announcementId: z.string().uuid() }).parse(data);
      const view = await readAnnouncement(deps.db, announcementId);
      if (!view?.slack) return 'no progress message';
      const author = await announcementAuthor(deps.db, view);
      const say = sayIn(deps, author?.language ?? deps.config.SLACK_LANGUAGE);
      const message = announcementProgressBlocks(
        view,
        author?.slackUserId ?? null,
        say,
        deps.config.ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS,
      );
      await client.chat
        .update({ channel: view.slack.channel, ts: view.slack.ts, ...message })
        .catch((error: unknown) => Promise.reject(asTaskError(error)));
      return 'updated';
    },
  };
}
