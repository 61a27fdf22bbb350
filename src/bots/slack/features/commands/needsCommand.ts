import { associationName } from '../../../../core/associations/associationQueries.js';
import {
  currentNeeds,
  needsLines,
  needsTotals,
  unmetNeed,
  type NeedsLine,
} from '../../../../core/needs/needsCensus.js';
import { canManagePledges, type StaffActor } from '../../../../core/staff/staffAccess.js';
import { section } from '../../blocks/kit.js';
import type { Say } from '../../blocks/requestCard.js';
import { needsModal } from '../../modals/needsModal.js';
import type { SlackDeps } from '../../slackDeps.js';
import { escapeMrkdwn } from '../../slackText.js';
import { reply, type CommandReply, type SubCommand } from './commandTypes.js';

function lineText(l: NeedsLine, say: Say): string {
  return say('slack:needs.line', {
    association: escapeMrkdwn(l.associationName),
    phones: l.phonesPerMonth,
    laptops: l.laptopsPerMonth,
    tablets: l.tabletsPerMonth,
    recharges: l.rechargesPerMonth,
    phonesUnmet: unmetNeed(l, 'SMARTPHONE'),
    laptopsUnmet: unmetNeed(l, 'LAPTOP'),
    tabletsUnmet: unmetNeed(l, 'TABLET'),
  });
}

/** The network's needs: totals, then one line per association (coordinators and admins). */
export async function needsTotalsReply(deps: Pick<SlackDeps, 'db'>, say: Say): Promise<CommandReply> {
  const lines = await needsLines(deps.db);
  if (lines.length === 0) return reply(say('slack:needs.none'));
  const t = needsTotals(lines);
  const total = say('slack:needs.totals', {
    phones: t.phonesPerMonth,
    laptops: t.laptopsPerMonth,
    tablets: t.tabletsPerMonth,
    recharges: t.rechargesPerMonth,
    phonesUnmet: t.unmet.SMARTPHONE,
    laptopsUnmet: t.unmet.LAPTOP,
    tabletsUnmet: t.unmet.TABLET,
  });
  const text = `*${say('slack:needs.totals_title')}*\n${total}\n\n${lines.map((l) => lineText(l, say)).join('\n')}`;
  return reply(text, [section(text)]);
}

/** Whether a staff member sees the whole network's needs. */
export const seesNetworkNeeds = (staff: StaffActor): boolean => canManagePledges(staff);

/**
 * `/relais needs`: opens the census modal of the volunteer's association (coordinators also
 * get the network totals in the answer); `/relais needs totals`: the totals only.
 */
export const needsCommand: SubCommand = async ({ deps, staff, say, args, client, triggerId }) => {
  const wantsTotals = ['totals', 'total', 'totaux'].includes(args[0]?.toLowerCase() ?? '');
  if (wantsTotals)
    return seesNetworkNeeds(staff) ? needsTotalsReply(deps, say) : reply(say('slack:needs.coordinators_only'));
  if (client && triggerId) {
    const [name, current] = await Promise.all([
      associationName(deps.db, staff.associationId),
      currentNeeds(deps.db, staff.associationId),
    ]);
    await client.views.open({ trigger_id: triggerId, view: needsModal({ associationName: name, current }, say) });
  }
  if (seesNetworkNeeds(staff)) return needsTotalsReply(deps, say);
  return reply(say('slack:needs.opened'));
};
