import type { AnnouncementActor } from '../../src/core/announcements/announcementService.js';
import type { Db } from '../../src/core/db.js';

/** The place the announcement tests name, as a coordinator would have entered it. */
export const AUBERGE_PLACE = {
  name: 'Auberge des Migrants',
  category: 'DISTRIBUTION',
  address: '1 rue de la Paix',
  postcode: '62100',
  city: 'Calais',
} as const;

/** An association with its place in Calais and a coordinator who announces (`slackUserId`). */
export async function announcingAssociation(db: Db, slackUserId: string, slug = 'auberge') {
  const association = await db.association.create({ data: { slug, name: 'Auberge' } });
  const place = await db.place.create({ data: { ...AUBERGE_PLACE, associationId: association.id } });
  const staff = await db.staffMember.create({
    data: { slackUserId, associationId: association.id, role: 'COORDINATOR' },
  });
  const coordinator: AnnouncementActor = {
    type: 'STAFF',
    id: staff.id,
    role: 'COORDINATOR',
    associationId: association.id,
  };
  return { associationId: association.id, placeId: place.id, coordinator };
}
