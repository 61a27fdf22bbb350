import { associationName } from '../../../../core/associations/associationQueries.js';
import { stockSummary } from '../../../../core/devices/stockQueries.js';
import { findRequestByReference, listOpenRequests, requestView } from '../../../../core/requests/requestQueries.js';
import { canActOnRequest } from '../../../../core/staff/staffAccess.js';
import { actions, button, section } from '../../blocks/kit.js';
import { requestLines, stockLines } from '../../blocks/lists.js';
import { requestCard } from '../../blocks/requestCard.js';
import { escapeMrkdwn } from '../../slackText.js';
import { TRANSFER_DEVICES_ACTION } from '../transferFeature.js';
import { reply, type SubCommand } from './commandTypes.js';

/** `/relais stock`: the association's stock by model and grade (coordinators get a transfer button). */
export const stockCommand: SubCommand = async ({ deps, staff, say }) => {
  const [association, stock] = await Promise.all([
    associationName(deps.db, staff.associationId),
    stockSummary(deps.db, staff.associationId),
  ]);
  const text = `*${say('slack:stock.title', { association: escapeMrkdwn(association) })}*\n${stockLines(stock, say)}`;
  const canTransfer = staff.role !== 'VOLUNTEER' && stock.length > 0;
  return reply(text, [
    section(text),
    ...actions('stock', canTransfer ? [button(TRANSFER_DEVICES_ACTION, say('slack:stock.transfer'), 'command')] : []),
  ]);
};

/** `/relais requests [mine|open]`: open requests of the association, or the volunteer's own. */
export const requestsCommand: SubCommand = async ({ deps, staff, say, args }) => {
  const mine = args[0]?.toLowerCase() === 'mine' || args[0]?.toLowerCase() === 'moi';
  const lines = await listOpenRequests(
    deps.db,
    mine ? { assigneeId: staff.id, take: 30 } : { associationId: staff.associationId, take: 30 },
  );
  const title = say(mine ? 'slack:home.mine' : 'slack:home.open', { count: lines.length });
  const text = `*${title}*\n${requestLines(lines, say)}`;
  return reply(text, [section(text)]);
};

/** `/relais find P-1042`: the request's card, privately, with its buttons. */
export const findCommand: SubCommand = async ({ deps, staff, say, args }) => {
  const found = args[0] ? await findRequestByReference(deps.db, args[0]) : null;
  const view = found && canActOnRequest(staff, found) ? await requestView(deps.db, found.id) : null;
  if (!view) return reply(say('slack:commands.not_found', { reference: escapeMrkdwn(args[0] ?? '') }));
  const card = requestCard(view, say);
  return reply(card.text, card.blocks);
};

/** `/relais help` (and anything not understood). */
export const helpCommand: SubCommand = async ({ say }) => reply(say('slack:commands.help'));
