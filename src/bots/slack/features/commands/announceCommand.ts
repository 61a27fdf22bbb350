import { announceablePlaces } from '../../../../core/announcements/announcementService.js';
import { composeModal } from '../../modals/announceModals.js';
import { reply, type SubCommand } from './commandTypes.js';

/**
 * `/relais announce` (`annonce`): opens the announcement modal for coordinators (their
 * association's people) and admins (also the whole network); volunteers are told politely.
 * The places offered are the association's and the network-wide ones (all for an admin).
 */
export const announceCommand: SubCommand = async ({ deps, staff, say, client, triggerId, channelId }) => {
  if (staff.role === 'VOLUNTEER') return reply(say('slack:announce.coordinators_only'));
  if (client && triggerId) {
    const everyone = staff.role === 'ADMIN';
    const places = await announceablePlaces(deps.db, everyone ? null : staff.associationId);
    await client.views.open({
      trigger_id: triggerId,
      view: composeModal({ places, mayReachNetwork: everyone, channel: channelId ?? '' }, say),
    });
  }
  return reply(say('slack:announce.opened'));
};
