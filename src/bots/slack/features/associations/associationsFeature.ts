import type { App } from '@slack/bolt';
import { z } from 'zod';
import { NotFound } from '../../../../core/errors.js';
import { claimOnce } from '../../../../core/idempotency/claimOnce.js';
import {
  createAssociation,
  DEPARTMENT_PATTERN,
  findAssociation,
  listAssociations,
  updateAssociation,
  type AssociationEntry,
  type AssociationFields,
} from '../../../../core/staff/associationDirectory.js';
import { runStaffAction } from '../../../../core/staff/staffTransaction.js';
import { actions, button, section, type Block } from '../../blocks/kit.js';
import type { Say } from '../../blocks/requestCard.js';
import {
  ACTIVE_OPTION,
  ASSOCIATION_BLOCKS,
  ASSOCIATION_VIEW,
  associationModal,
} from '../../modals/associationModal.js';
import { onSubmission, type SubmissionOutcome } from '../../modals/submission.js';
import type { ViewState } from '../../modals/viewState.js';
import type { SlackDeps } from '../../slackDeps.js';
import { escapeMrkdwn } from '../../slackText.js';
import { tellUser } from '../../staffGate.js';
import { reply, type SubCommand } from '../commands/commandTypes.js';
import { onTeamAction, teamErrorText } from '../team/teamActionHandler.js';

export const ASSOCIATION_ACTIONS = { add: 'associations.add', edit: 'associations.edit' } as const;
const metadataSchema = z.object({ associationId: z.string().uuid().optional() });
const CHANNEL = /^[CG][A-Z0-9]{2,}$/;
const SHOWN = 45;

function associationText(a: AssociationEntry, say: Say): string {
  const where = [a.city, a.department ? say('slack:associations.department_short', { department: a.department }) : null]
    .filter(Boolean)
    .join(' · ');
  const channel = a.slackChannelId ? `<#${a.slackChannelId}>` : say('slack:associations.no_channel');
  const status = say(a.active ? 'slack:associations.active' : 'slack:associations.inactive');
  return [`*${escapeMrkdwn(a.name)}* · ${status}`, [escapeMrkdwn(where), channel].filter(Boolean).join(' · ')].join(
    '\n',
  );
}

/** `/relais associations` (admins): the network's associations, each with "Edit", and "New association". */
export const associationsCommand: SubCommand = async ({ deps, staff, say }) => {
  if (staff.role !== 'ADMIN') return reply(say('slack:associations.admins_only'));
  const all = await listAssociations(deps.db);
  const shown = all.slice(0, SHOWN);
  const title = say('slack:associations.title', { count: all.length });
  const blocks: Block[] = [
    section(`*${title}*`),
    ...shown.map((a) =>
      section(associationText(a, say), button(ASSOCIATION_ACTIONS.edit, say('slack:associations.edit'), a.id)),
    ),
    ...actions('associations', [button(ASSOCIATION_ACTIONS.add, say('slack:associations.add'), 'new', 'primary')]),
  ];
  return reply([`*${title}*`, ...shown.map((a) => associationText(a, say))].join('\n\n'), blocks);
};

function readForm(state: ViewState, say: Say): { fields: AssociationFields } | { errors: Record<string, string> } {
  const name = state.text(ASSOCIATION_BLOCKS.name, 'value');
  const channel = state.conversation(ASSOCIATION_BLOCKS.channel, 'value');
  const city = state.text(ASSOCIATION_BLOCKS.city, 'value');
  const department = state.text(ASSOCIATION_BLOCKS.department, 'value')?.toUpperCase() ?? null;
  const errors: Record<string, string> = {};
  if (!name || name.length > 120) errors[ASSOCIATION_BLOCKS.name] = say('slack:associations.invalid_name');
  if (channel && !CHANNEL.test(channel)) errors[ASSOCIATION_BLOCKS.channel] = say('slack:associations.invalid_channel');
  if (city && city.length > 80) errors[ASSOCIATION_BLOCKS.city] = say('slack:associations.invalid_city');
  if (department && !DEPARTMENT_PATTERN.test(department))
    errors[ASSOCIATION_BLOCKS.department] = say('slack:associations.invalid_department');
  if (Object.keys(errors).length > 0 || !name) return { errors };
  const active = state.selectedMany(ASSOCIATION_BLOCKS.active, 'value').includes(ACTIVE_OPTION);
  return { fields: { name, slackChannelId: channel, city, department, active } };
}

/**
 * Associations managed from Slack by admins: created or edited through the same directory as
 * the admin API's rules (unique channel), audited with the staff actor, once per submission.
 */
export function registerAssociations(app: App, deps: SlackDeps): void {
  onTeamAction(app, deps, ASSOCIATION_ACTIONS.add, async ({ staff, say, client, audience, triggerId }) => {
    if (staff.role !== 'ADMIN') return tellUser(client, audience, say('slack:associations.admins_only'));
    if (triggerId) await client.views.open({ trigger_id: triggerId, view: associationModal(null, say) });
  });

  onTeamAction(app, deps, ASSOCIATION_ACTIONS.edit, async ({ staff, say, value, client, audience, triggerId }) => {
    if (staff.role !== 'ADMIN') return tellUser(client, audience, say('slack:associations.admins_only'));
    if (!z.string().uuid().safeParse(value).success) return;
    const association = await findAssociation(deps.db, value);
    if (!association) throw new NotFound('association');
    if (triggerId) await client.views.open({ trigger_id: triggerId, view: associationModal(association, say) });
  });

  onSubmission(
    app,
    deps,
    ASSOCIATION_VIEW,
    ASSOCIATION_BLOCKS.name,
    async ({ staff, say, state, metadata, viewId, client }): Promise<SubmissionOutcome> => {
      if (staff.role !== 'ADMIN')
        return { errors: { [ASSOCIATION_BLOCKS.name]: say('slack:associations.admins_only') } };
      const meta = metadataSchema.safeParse(metadata);
      if (!meta.success) return { errors: { [ASSOCIATION_BLOCKS.name]: say('slack:errors.generic') } };
      const read = readForm(state, say);
      if ('errors' in read) return read;
      let saved: AssociationEntry | null;
      try {
        saved = (
          await runStaffAction<{ association: AssociationEntry | null; jobIds?: string[] }>(deps, async (tx) => {
            if (!(await claimOnce(tx, `slack:view:${viewId}`))) return { association: null };
            const { associationId } = meta.data;
            return {
              association: associationId
                ? await updateAssociation(tx, staff, associationId, read.fields)
                : await createAssociation(tx, staff, read.fields),
            };
          })
        ).association;
      } catch (error) {
        const block =
          error instanceof Error && 'code' in error && error.code === 'RELAIS_CHANNEL_TAKEN'
            ? ASSOCIATION_BLOCKS.channel
            : ASSOCIATION_BLOCKS.name;
        return { errors: { [block]: teamErrorText(say, error) } };
      }
      if (saved)
        await tellUser(
          client,
          { userId: staff.slackUserId },
          say('slack:associations.saved', {
            name: escapeMrkdwn(saved.name),
            status: say(saved.active ? 'slack:associations.active' : 'slack:associations.inactive'),
          }),
        );
      return { close: true };
    },
  );
}
