import { announceablePlaces, PLACE_MENU_MAX } from '../../../../core/announcements/announcementService.js';
import { composeModal } from '../../modals/announceModals.js';
import { reply, type SubCommand } from './commandTypes.js';

/**
 * `/relais announce` (`annonce`): opens the announcement modal for coordinators (their
 * association's people) and admins (also the whole network); volunteers are told politely.
 * The places offered are the association's and the network-wide ones (all for an admin): in
 * the menu itself up to 100, beyond that a menu that searches as the coordinator types.
 */
export const announceCommand: SubCommand = async ({ deps, staff, say, client, triggerId, channelId }) => {
  if (staff.role === 'VOLUNTEER') return reply(say('slack:announce.coordinators_only'));
  if (client && triggerId) {
    const everyone = staff.role === 'ADMIN';
    const places = await announceablePlaces(deps.db, everyone ? null : staff.associationId, {
      take: PLACE_MENU_MAX + 1,
    });
    const menu = places.length > PLACE_MENU_MAX ? 'search' : places;
    await client.views.open({
      trigger_id: triggerId,
      view: composeModal({ places: menu, mayReachNetwork: everyone, channel: channelId ?? '' }, say),
    });
  }
  return reply(say('slack:announce.opened'));
};
