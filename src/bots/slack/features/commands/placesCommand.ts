import { associationName } from '../../../../core/associations/associationQueries.js';
import { listNetworkPlaces } from '../../../../core/places/networkPlaces.js';
import { placeListBlocks } from '../../blocks/placeList.js';
import { escapeMrkdwn } from '../../slackText.js';
import { reply, type SubCommand } from './commandTypes.js';

/** Slack shows at most 50 blocks: title, points, "more" and the add button. */
const SHOWN = 45;

/**
 * `/relais places` (`lieux`): the places of the staff member's association (active or not),
 * then the network-wide ones and the other associations' (marked as theirs), each with its
 * category; every place for an admin. "Edit" (drop-off points) and "Add a drop-off point" for
 * those who may change them (coordinators of the association, admins).
 */
export const placesCommand: SubCommand = async ({ deps, staff, say }) => {
  const everyone = staff.role === 'ADMIN';
  const [association, places] = await Promise.all([
    associationName(deps.db, staff.associationId),
    listNetworkPlaces(deps.db, { associationId: everyone ? null : staff.associationId, take: SHOWN + 1 }),
  ]);
  const title = everyone
    ? say('slack:place_list.title_all')
    : say('slack:place_list.title', { association: escapeMrkdwn(association) });
  const list = placeListBlocks({ title, places: places.slice(0, SHOWN), more: places.length > SHOWN }, staff, say);
  return reply(list.text, list.blocks);
};
