import type { App } from '@slack/bolt';
import { z } from 'zod';
import { RelaisError } from '../../../../core/errors.js';
import { errorSummary } from '../../../../core/outbound/outboxDispatcher.js';
import {
  decideJoinRequest,
  findJoinRequest,
  joinableAssociations,
  recordJoinRequestMessage,
  requestToJoinNow,
  type JoinRequest,
} from '../../../../core/staff/joinRequests.js';
import { coordinatorSlackIds } from '../../../../core/staff/staffDirectory.js';
import type { StaffLanguage } from '../../../../core/staff/staffI18n.js';
import { runStaffAction } from '../../../../core/staff/staffTransaction.js';
import {
  actions,
  button,
  context,
  option,
  section,
  staticSelect,
  type Block,
  type HomeView,
} from '../../blocks/kit.js';
import { sayIn, type SlackClient, type SlackDeps } from '../../slackDeps.js';
import { escapeMrkdwn } from '../../slackText.js';
import { tellUser, unknownUserText } from '../../staffGate.js';
import type { CommandReply } from '../commands/commandTypes.js';
import type { TeamMember } from '../../../../core/staff/staffDirectory.js';
import { onTeamAction, teamErrorText } from '../team/teamActionHandler.js';

/** `join.ask.fr` / `join.ask.en`: the select the newcomer used tells their staff language. */
export const JOIN_ACTIONS = { ask: /^join\.ask\.(fr|en)$/, accept: 'join.accept', decline: 'join.decline' } as const;
const askAction = z.object({ action_id: z.string(), selected_option: z.object({ value: z.string().uuid() }) });
const askBody = z.object({ user: z.object({ id: z.string().min(1) }), response_url: z.string().url().optional() });

/**
 * What a Slack user who is not staff is offered (`/relais` or the App Home): in French and in
 * English, a menu of the associations they may ask to join. Nothing else is shown to them.
 */
export async function joinOfferBlocks(deps: SlackDeps): Promise<{ text: string; blocks: Block[] }> {
  const associations = await joinableAssociations(deps.db);
  const text = `${unknownUserText(deps)}`;
  if (associations.length === 0) return { text, blocks: [section(text)] };
  const options = associations.map((a) => option(a.city ? `${a.name} (${a.city})` : a.name, a.id));
  const pick = (lng: StaffLanguage) => staticSelect(`join.ask.${lng}`, deps.text.t(lng, 'slack:join.ask'), options);
  const offer = `${deps.text.t('fr', 'slack:join.offer')}\n${deps.text.t('en', 'slack:join.offer')}`;
  return {
    text: `${text}\n\n${offer}`,
    blocks: [
      section(deps.text.t('fr', 'slack:join.unknown')),
      section(deps.text.t('en', 'slack:join.unknown')),
      ...actions('join', [pick('fr'), pick('en')]),
      context(offer),
    ],
  };
}

export async function joinOfferReply(deps: SlackDeps): Promise<CommandReply> {
  const offer = await joinOfferBlocks(deps);
  return { response_type: 'ephemeral', text: offer.text, blocks: offer.blocks };
}

export async function joinOfferHome(deps: SlackDeps): Promise<HomeView> {
  return { type: 'home', blocks: (await joinOfferBlocks(deps)).blocks };
}

function requestBlocks(
  deps: SlackDeps,
  request: JoinRequest,
  coordinators: string[],
): { text: string; blocks: Block[] } {
  // a channel is read by staff of both languages: the request is written in French, then English
  const say = sayIn(deps, 'fr');
  const sayEn = sayIn(deps, 'en');
  const params = {
    user: `<@${request.slackUserId}>`,
    association: escapeMrkdwn(request.associationName),
    language: say(`slack:team.language.${request.language === 'en' ? 'en' : 'fr'}`),
  };
  const languageKey = `slack:team.language.${request.language === 'en' ? 'en' : 'fr'}`;
  const english = sayEn('slack:join.request', { ...params, language: sayEn(languageKey) });
  const text = `${say('slack:join.request', params)}\n${english}`;
  const cc =
    coordinators.length > 0 ? [context(`${say('slack:join.cc')} ${coordinators.map((u) => `<@${u}>`).join(' ')}`)] : [];
  return {
    text,
    blocks: [
      section(text),
      ...cc,
      ...actions('join_decision', [
        button(
          JOIN_ACTIONS.accept,
          `${say('slack:join.accept')} / ${sayEn('slack:join.accept')}`,
          request.id,
          'primary',
        ),
        button(
          JOIN_ACTIONS.decline,
          `${say('slack:join.decline')} / ${sayEn('slack:join.decline')}`,
          request.id,
          'danger',
        ),
      ]),
    ],
  };
}

async function askToJoin(
  deps: SlackDeps,
  client: SlackClient,
  userId: string,
  associationId: string,
  language: StaffLanguage,
): Promise<string> {
  const say = sayIn(deps, language);
  try {
    const { request, announce } = await requestToJoinNow(deps.db, { slackUserId: userId, associationId, language });
    if (!announce) return say('slack:join.already_asked', { association: escapeMrkdwn(request.associationName) });
    const channel = request.associationChannelId;
    if (!channel) return say('slack:team.errors.RELAIS_JOIN_CLOSED');
    const message = requestBlocks(deps, request, await coordinatorSlackIds(deps.db, associationId));
    const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    if (posted.ts) await recordJoinRequestMessage(deps.db, request.id, { channelId: channel, ts: posted.ts });
    return say('slack:join.sent', { association: escapeMrkdwn(request.associationName) });
  } catch (error) {
    if (!(error instanceof RelaisError)) deps.log.warn({ err: errorSummary(error) }, 'slack join request failed');
    return teamErrorText(say, error);
  }
}

/**
 * Joining a team from Slack: a newcomer picks an association, its coordinators get the
 * request in the association's channel with Accept / Decline; the first decision wins, the
 * message says who decided, and the newcomer is told in their language. Accepting makes them
 * a volunteer (the coordinators may change the role in `/relais staff`).
 */
export function registerJoin(app: App, deps: SlackDeps): void {
  app.action(JOIN_ACTIONS.ask, async ({ ack, body, action, client, respond }) => {
    await ack();
    const parsedAction = askAction.safeParse(action);
    const parsedBody = askBody.safeParse(body);
    if (!parsedAction.success || !parsedBody.success) return;
    const language: StaffLanguage = parsedAction.data.action_id.endsWith('.en') ? 'en' : 'fr';
    const userId = parsedBody.data.user.id;
    const text = await askToJoin(deps, client, userId, parsedAction.data.selected_option.value, language);
    if (parsedBody.data.response_url) await respond({ replace_original: true, response_type: 'ephemeral', text });
    else await tellUser(client, { userId }, text);
  });

  for (const accept of [true, false]) {
    onTeamAction(
      app,
      deps,
      accept ? JOIN_ACTIONS.accept : JOIN_ACTIONS.decline,
      async ({ staff, say, value, client, audience }) => {
        if (!z.string().uuid().safeParse(value).success) return;
        const decided = await runStaffAction<{ member: TeamMember | null; request: JoinRequest; jobIds?: string[] }>(
          deps,
          (tx) => decideJoinRequest(tx, staff, value, accept),
        );
        const request = await findJoinRequest(deps.db, value);
        const outcome = say(accept ? 'slack:join.accepted_by' : 'slack:join.declined_by', {
          user: `<@${decided.request.slackUserId}>`,
          by: `<@${staff.slackUserId}>`,
          association: escapeMrkdwn(decided.request.associationName),
        });
        const channel = request?.slackChannelId ?? audience.channelId;
        const ts = request?.slackTs;
        if (channel && ts)
          await client.chat
            .update({ channel, ts, text: outcome, blocks: [section(outcome)] })
            .catch((error: unknown) =>
              deps.log.warn({ err: errorSummary(error) }, 'slack join request message not updated'),
            );
        const theirs = sayIn(deps, decided.request.language);
        const association = escapeMrkdwn(decided.request.associationName);
        await tellUser(
          client,
          { userId: decided.request.slackUserId },
          accept
            ? theirs('slack:join.you_are_in', { association })
            : theirs('slack:join.you_are_declined', { association }),
        );
      },
    );
  }
}
