import type { StaffRole } from '../../../../core/staff/staffDirectory.js';
import type { AssociationEntry } from '../../../../core/staff/associationDirectory.js';
import type { StaffActor } from '../../../../core/staff/staffAccess.js';
import { assignableRoles, canManageStaff, type TeamMember } from '../../../../core/staff/staffDirectory.js';
import { actions, button, context, option, overflow, section, staticSelect, type Block } from '../../blocks/kit.js';
import type { Say } from '../../blocks/requestCard.js';
import { escapeMrkdwn } from '../../slackText.js';

/**
 * Action ids of `/relais staff`; a member's overflow values are `role:<ROLE>:<id>`,
 * `deactivate:<id>` and `reactivate:<id>`.
 */
export const TEAM_ACTIONS = { add: 'team.add', member: 'team.member', association: 'team.association' } as const;

/** Slack shows at most 50 blocks: title, picker, members, "more", buttons. */
const SHOWN = 44;

export const roleLabel = (say: Say, role: StaffRole) => say(`slack:team.role.${role}`);
export const languageLabel = (say: Say, language: string) =>
  say(`slack:team.language.${language === 'en' ? 'en' : 'fr'}`);

function memberText(member: TeamMember, say: Say): string {
  const status = say(member.active ? 'slack:team.active' : 'slack:team.inactive');
  const role = roleLabel(say, member.role);
  return `<@${member.slackUserId}> · *${role}* · ${languageLabel(say, member.language)} · ${status}`;
}

/** A deactivated member gets a Reactivate button; an active one a menu of roles and Deactivate. */
function memberMenu(member: TeamMember, staff: StaffActor, say: Say) {
  if (member.id === staff.id || !canManageStaff(staff, member)) return undefined;
  if (!member.active) return button(TEAM_ACTIONS.member, say('slack:team.reactivate'), `reactivate:${member.id}`);
  const roles = member.active ? assignableRoles(staff).filter((r) => r !== member.role) : [];
  const options = [
    ...roles.map((role) => option(say('slack:team.make', { role: roleLabel(say, role) }), `role:${role}:${member.id}`)),
    member.active
      ? option(say('slack:team.deactivate'), `deactivate:${member.id}`)
      : option(say('slack:team.reactivate'), `reactivate:${member.id}`),
  ];
  return overflow(TEAM_ACTIONS.member, options);
}

/**
 * The answer of `/relais staff`: the association's team (role, language, active), each member
 * with a menu for those who may manage them, "Add someone", and for admins a picker of the
 * other associations' teams. `notice` says what was just done.
 */
export function teamListBlocks(
  m: { association: AssociationEntry; members: TeamMember[]; associations?: AssociationEntry[]; notice?: string },
  staff: StaffActor,
  say: Say,
): { text: string; blocks: Block[] } {
  const title = say('slack:team.title', {
    association: escapeMrkdwn(m.association.name),
    count: m.members.filter((x) => x.active).length,
  });
  const shown = m.members.slice(0, SHOWN);
  const lines = shown.map((member) => memberText(member, say));
  const text = [
    ...(m.notice ? [m.notice] : []),
    `*${title}*`,
    ...(lines.length > 0 ? lines : [say('slack:team.none')]),
  ].join('\n');
  const picker =
    m.associations && m.associations.length > 1
      ? actions('team_pick', [
          staticSelect(
            TEAM_ACTIONS.association,
            say('slack:team.other_team'),
            m.associations.map((a) => option(a.name, a.id)),
            option(m.association.name, m.association.id),
          ),
        ])
      : [];
  const blocks: Block[] = [
    ...(m.notice ? [context(m.notice)] : []),
    section(`*${title}*`),
    ...picker,
    ...(shown.length === 0
      ? [section(say('slack:team.none'))]
      : shown.map((member, i) => section(lines[i] ?? '', memberMenu(member, staff, say)))),
    ...(m.members.length > SHOWN ? [context(say('slack:team.more', { count: m.members.length - SHOWN }))] : []),
    ...actions(
      'team',
      canManageStaff(staff, { associationId: m.association.id })
        ? [button(TEAM_ACTIONS.add, say('slack:team.add'), m.association.id, 'primary')]
        : [],
    ),
  ];
  return { text, blocks };
}
