import { associationName } from '../../../../core/associations/associationQueries.js';
import { listDropOffPoints } from '../../../../core/places/dropOffPoints.js';
import { placeListBlocks } from '../../blocks/placeList.js';
import { escapeMrkdwn } from '../../slackText.js';
import { reply, type SubCommand } from './commandTypes.js';

/** Slack shows at most 50 blocks: title, points, "more" and the add button. */
const SHOWN = 45;

/**
 * `/relais places` (`lieux`): the drop-off points of the staff member's association and the
 * network-wide ones (every one for an admin), active or not, with "Edit" and "Add a drop-off
 * point" for those who may change them (coordinators of the association, admins).
 */
export const placesCommand: SubCommand = async ({ deps, staff, say }) => {
  const everyone = staff.role === 'ADMIN';
  const [association, places] = await Promise.all([
    associationName(deps.db, staff.associationId),
    listDropOffPoints(deps.db, { associationId: everyone ? null : staff.associationId, take: SHOWN + 1 }),
  ]);
  const title = everyone ? say('slack:places.title_all') : say('slack:places.title', { association: escapeMrkdwn(association) });
  const list = placeListBlocks({ title, places: places.slice(0, SHOWN), more: places.length > SHOWN }, staff, say);
  return reply(list.text, list.blocks);
};
