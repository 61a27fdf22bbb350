import type { DropOffPoint } from '../../../core/places/dropOffPoints.js';
import { formatHoursText } from '../../../core/places/hoursText.js';
import { canManagePlace, type StaffActor } from '../../../core/staff/staffAccess.js';
import { escapeMrkdwn } from '../slackText.js';
import { actions, button, section, type Block } from './kit.js';
import type { Say } from './requestCard.js';

/** Buttons of `/relais places`: "Add a drop-off point" (value `new`) and each point's "Edit" (value: the place id). */
export const PLACE_ACTIONS = { add: 'places.add', edit: 'places.edit' } as const;

function itemLabel(item: string, say: Say): string {
  return say(`slack:pledge_item.${item}`, { defaultValue: item });
}

/** One point: name and status, address, whose it is, what it accepts, its hours. */
export function placeText(place: DropOffPoint, staff: StaffActor, say: Say): string {
  const town = [place.postcode, place.city].filter(Boolean).join(' ');
  const where = [place.address, town].filter(Boolean).join(', ') || '—';
  const owner = place.associationId === null ? say('slack:places.network') : place.associationId !== staff.associationId ? place.associationName ?? '' : '';
  const items = place.acceptedItems.map((i) => itemLabel(i, say)).join(', ');
  const hours = formatHoursText(place.hours, staff.language).split('\n').filter(Boolean).join(' · ');
  return [
    `*${escapeMrkdwn(place.name)}* · ${say(place.active ? 'slack:places.active' : 'slack:places.inactive')}`,
    escapeMrkdwn([where, owner].filter(Boolean).join(' · ')),
    say('slack:places.accepts', { items: items ? escapeMrkdwn(items) : '—' }),
    say('slack:places.hours_line', { hours: hours || say('slack:places.no_hours') }),
  ].join('\n');
}

/**
 * The answer of `/relais places`: one section per point (with "Edit" where the staff member
 * may change it), "Add a drop-off point" for coordinators and admins. `more` points were left
 * out (Slack shows at most 50 blocks).
 */
export function placeListBlocks(m: { title: string; places: DropOffPoint[]; more: boolean }, staff: StaffActor, say: Say): { text: string; blocks: Block[] } {
  const lines = m.places.map((p) => placeText(p, staff, say));
  const text = [`*${m.title}*`, ...(lines.length > 0 ? lines : [say('slack:places.none')]), ...(m.more ? [say('slack:places.more')] : [])].join('\n\n');
  const blocks: Block[] = [
    section(`*${m.title}*`),
    ...(m.places.length === 0 ? [section(say('slack:places.none'))] : []),
    ...m.places.map((p, i) => section(lines[i] ?? '', canManagePlace(staff, p) ? button(PLACE_ACTIONS.edit, say('slack:places.edit'), p.id) : undefined)),
    ...(m.more ? [section(say('slack:places.more'))] : []),
    ...actions('places', canManagePlace(staff) ? [button(PLACE_ACTIONS.add, say('slack:places.add'), 'new', 'primary')] : []),
  ];
  return { text, blocks };
}
