import type { App } from '@slack/bolt';
import { z } from 'zod';
import { StaffRole } from '../../../../core/staff/staffDirectory.js';
import { NotFound } from '../../../../core/errors.js';
import { claimOnce } from '../../../../core/idempotency/claimOnce.js';
import { findAssociation, listAssociations } from '../../../../core/staff/associationDirectory.js';
import type { StaffActor } from '../../../../core/staff/staffAccess.js';
import {
  addTeamMember,
  assignableRoles,
  canManageStaff,
  changeTeamRole,
  listTeam,
  setTeamMemberActive,
  type TeamMember,
} from '../../../../core/staff/staffDirectory.js';
import { STAFF_LANGUAGES } from '../../../../core/staff/staffI18n.js';
import { runStaffAction } from '../../../../core/staff/staffTransaction.js';
import type { Say } from '../../blocks/requestCard.js';
import { onSubmission, type SubmissionOutcome } from '../../modals/submission.js';
import { TEAM_MEMBER_BLOCKS, TEAM_MEMBER_VIEW, teamMemberModal } from '../../modals/teamMemberModal.js';
import { sayIn, type SlackClient, type SlackDeps } from '../../slackDeps.js';
import { escapeMrkdwn } from '../../slackText.js';
import { tellUser } from '../../staffGate.js';
import { reply, type SubCommand } from '../commands/commandTypes.js';
import { roleLabel, TEAM_ACTIONS, teamListBlocks } from './teamBlocks.js';
import { onTeamAction, teamErrorText } from './teamActionHandler.js';

const memberAction = z.union([
  z.tuple([z.literal('role'), z.nativeEnum(StaffRole), z.string().uuid()]),
  z.tuple([z.enum(['deactivate', 'reactivate']), z.string().uuid()]),
]);
const metadataSchema = z.object({ associationId: z.string().uuid() });
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

const slackUser = z.object({ user: z.object({ is_bot: z.boolean().optional(), deleted: z.boolean().optional() }) });

/**
 * Whether a picked Slack user is a person with an active account (the picker also offers bots,
 * Relais itself, and deactivated accounts). Needs `users:read`; without it, the pick is trusted.
 */
async function isPerson(client: SlackClient, userId: string): Promise<boolean> {
  try {
    const parsed = slackUser.safeParse(await client.users.info({ user: userId }));
    return !parsed.success || (!parsed.data.user.is_bot && !parsed.data.user.deleted);
  } catch {
    return true;
  }
}

/** The team list of one association, for a staff member who may see it (volunteers see their own, read-only). */
async function teamAnswer(deps: SlackDeps, staff: StaffActor, say: Say, associationId: string, notice?: string) {
  const [association, members, associations] = await Promise.all([
    findAssociation(deps.db, associationId),
    listTeam(deps.db, associationId),
    staff.role === 'ADMIN' ? listAssociations(deps.db) : Promise.resolve(undefined),
  ]);
  if (!association) throw new NotFound('association');
  return teamListBlocks(
    { association, members, ...(associations ? { associations } : {}), ...(notice ? { notice } : {}) },
    staff,
    say,
  );
}

/**
 * `/relais staff` (`équipe`): the association's team, with its role, language and whether it
 * is active. Coordinators add, change and deactivate their association's members; admins any
 * association's (a picker shows the others' teams). Volunteers see their team, read-only.
 */
export const staffCommand: SubCommand = async ({ deps, staff, say }) => {
  const list = await teamAnswer(deps, staff, say, staff.associationId);
  return reply(list.text, list.blocks);
};

function noticeFor(say: Say, member: TeamMember, verb: 'role' | 'deactivated' | 'reactivated'): string {
  if (verb === 'role')
    return say('slack:team.role_changed', { user: `<@${member.slackUserId}>`, role: roleLabel(say, member.role) });
  return say(`slack:team.${verb}`, { user: `<@${member.slackUserId}>` });
}

/**
 * Team management from Slack. Every change runs through the staff directory (role checks,
 * audit with the staff actor) in one transaction; the list the click came from is replaced
 * by the refreshed one. A member is never deleted: deactivated, they are refused by Relais.
 */
export function registerTeam(app: App, deps: SlackDeps): void {
  onTeamAction(app, deps, TEAM_ACTIONS.association, async ({ staff, say, value, answer }) => {
    if (staff.role !== 'ADMIN' || !z.string().uuid().safeParse(value).success) return;
    const list = await teamAnswer(deps, staff, say, value);
    await answer(list.text, list.blocks);
  });

  onTeamAction(
    app,
    deps,
    TEAM_ACTIONS.add,
    async ({ staff, say, value: associationId, client, audience, triggerId }) => {
      if (!z.string().uuid().safeParse(associationId).success) return;
      if (!canManageStaff(staff, { associationId }))
        return tellUser(client, audience, say('slack:team.coordinators_only'));
      const association = await findAssociation(deps.db, associationId);
      if (!association) throw new NotFound('association');
      if (!triggerId) return;
      await client.views.open({
        trigger_id: triggerId,
        view: teamMemberModal({ associationId, associationName: association.name, roles: assignableRoles(staff) }, say),
      });
    },
  );

  onTeamAction(app, deps, TEAM_ACTIONS.member, async ({ staff, say, value, client, audience, answer }) => {
    const parsed = memberAction.safeParse(value.split(':'));
    if (!parsed.success) return;
    if (!canManageStaff(staff)) return tellUser(client, audience, say('slack:team.coordinators_only'));
    const action = parsed.data;
    const member = await runStaffAction<{ member: TeamMember; jobIds?: string[] }>(deps, async (tx) => {
      if (action[0] === 'role') return { member: await changeTeamRole(tx, staff, action[2], action[1]) };
      return { member: await setTeamMemberActive(tx, staff, action[1], action[0] === 'reactivate') };
    });
    const verb = action[0] === 'role' ? 'role' : action[0] === 'deactivate' ? 'deactivated' : 'reactivated';
    const list = await teamAnswer(deps, staff, say, member.member.associationId, noticeFor(say, member.member, verb));
    await answer(list.text, list.blocks);
  });

  onSubmission(
    app,
    deps,
    TEAM_MEMBER_VIEW,
    TEAM_MEMBER_BLOCKS.user,
    async ({ staff, say, state, metadata, viewId, client }): Promise<SubmissionOutcome> => {
      const meta = metadataSchema.safeParse(metadata);
      if (!meta.success) return { errors: { [TEAM_MEMBER_BLOCKS.user]: say('slack:errors.generic') } };
      const { associationId } = meta.data;
      // a forged submission from a volunteer (or for another association) is refused before anything is written
      if (!canManageStaff(staff, { associationId }))
        return { errors: { [TEAM_MEMBER_BLOCKS.user]: say('slack:team.coordinators_only') } };
      const userId = state.user(TEAM_MEMBER_BLOCKS.user, 'value');
      const chosenRole = z.nativeEnum(StaffRole).safeParse(state.selected(TEAM_MEMBER_BLOCKS.role, 'value'));
      const language = z.enum(STAFF_LANGUAGES).safeParse(state.selected(TEAM_MEMBER_BLOCKS.language, 'value') ?? 'fr');
      if (!userId || !SLACK_USER.test(userId))
        return { errors: { [TEAM_MEMBER_BLOCKS.user]: say('slack:team.pick_someone') } };
      if (!chosenRole.success || !assignableRoles(staff).includes(chosenRole.data))
        return { errors: { [TEAM_MEMBER_BLOCKS.role]: say('slack:team.pick_role') } };
      if (!language.success) return { errors: { [TEAM_MEMBER_BLOCKS.language]: say('slack:team.pick_language') } };
      if (!(await isPerson(client, userId)))
        return { errors: { [TEAM_MEMBER_BLOCKS.user]: say('slack:team.not_a_person') } };
      let added: TeamMember | null;
      try {
        added = (
          await runStaffAction<{ member: TeamMember | null; jobIds?: string[] }>(deps, async (tx) => {
            // a submission delivered twice adds the person once
            if (!(await claimOnce(tx, `slack:view:${viewId}`))) return { member: null };
            return {
              member: await addTeamMember(tx, staff, {
                slackUserId: userId,
                associationId,
                role: chosenRole.data,
                language: language.data,
              }),
            };
          })
        ).member;
      } catch (error) {
        return { errors: { [TEAM_MEMBER_BLOCKS.user]: teamErrorText(say, error) } };
      }
      if (added) {
        const association = await findAssociation(deps.db, associationId);
        const name = escapeMrkdwn(association?.name ?? '');
        await tellUser(
          client,
          { userId: staff.slackUserId },
          say('slack:team.added', {
            user: `<@${added.slackUserId}>`,
            role: roleLabel(say, added.role),
            association: name,
          }),
        );
        const theirs = sayIn(deps, added.language);
        await tellUser(
          client,
          { userId: added.slackUserId },
          theirs('slack:team.welcome', {
            association: name,
            role: roleLabel(theirs, added.role),
            by: `<@${staff.slackUserId}>`,
          }),
        );
      }
      return { close: true };
    },
  );
}
